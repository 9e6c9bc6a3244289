/**
 * The Graph API surface the product uses, under any version prefix (/v18.0 … /v23.0 …):
 * token checks, phone number / WABA / business profile / template reads, media, and
 * POST /{phone-number-id}/messages with Meta's validation and the configured failure injection.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from './dispatcher.js';
import {
  GraphError,
  invalidParameter,
  tokenError,
  unknownObject,
  unknownPath,
  whatsappError,
} from './errors.js';
import { phoneNumberInfo, pickFields, type BusinessProfile } from './fixtures.js';
import { bearerToken, parseJson, readBody, sendGraphError, sendJson, sleep } from './http-io.js';
import { mediaDownloadUrl, uploadMedia } from './media-routes.js';
import type { JsonObject } from './payloads.js';
import { normaliseRecipient, validateSend } from './send-validation.js';
import type { ActiveFailureRule, EmulatorState, SentMessage } from './state.js';
import { scheduleStatuses, type ForcedFailure } from './status-scheduler.js';

export interface GraphContext {
  state: EmulatorState;
  dispatcher: Dispatcher;
  /** e.g. http://127.0.0.1:4010 (known once the server listens). */
  origin(): string;
}

/** Thrown to close the socket without answering (failure rule code 'disconnect'). */
class Disconnect extends Error {}

interface GraphRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  version: string;
  segments: string[];
  traceId: string;
  body: Buffer;
}

export const GRAPH_PATH = /^\/(v\d+(?:\.\d+)?)(?:\/(.*))?$/;

export async function handleGraph(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  ctx: GraphContext,
): Promise<void> {
  const { state } = ctx;
  const match = GRAPH_PATH.exec(url.pathname);
  const traceId = state.ids.fbtraceId();
  let body: Buffer = Buffer.alloc(0);
  try {
    body = await readBody(req);
    await sleep(state.config.latencyMs);
    const token = bearerToken(req, url);
    if (!token) {
      throw tokenError('missing', traceId);
    }
    if (token !== state.identity.accessToken) {
      throw tokenError('invalid', traceId);
    }
    if (state.config.tokenExpired) {
      throw tokenError('expired', traceId);
    }
    const segments = (match?.[2] ?? '').split('/').filter(Boolean).map(decodeURIComponent);
    const request: GraphRequest = {
      req,
      res,
      url,
      version: match?.[1] ?? 'v0',
      segments,
      traceId,
      body,
    };
    const failure = takeFailure(state, 'all', null);
    if (failure) {
      throwFailure(failure, traceId);
    }
    const answer = route(request, ctx);
    sendJson(res, 200, answer, traceId);
  } catch (error) {
    if (error instanceof Disconnect) {
      req.socket.destroy();
      return;
    }
    const graphError =
      error instanceof GraphError
        ? error
        : whatsappError(1, { details: describe(error), fbtraceId: traceId });
    state.rejected.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      request: safeJson(body),
      httpStatus: graphError.httpStatus,
      error: graphError.body,
      at: state.nowIso(),
    });
    sendGraphError(res, graphError);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function safeJson(body: Buffer): unknown {
  try {
    return parseJson(body);
  } catch {
    return body.toString('utf8').slice(0, 2000);
  }
}

function route(request: GraphRequest, ctx: GraphContext): unknown {
  const { state } = ctx;
  const { segments, traceId, url } = request;
  const method = request.req.method ?? 'GET';
  const identity = state.identity;
  const [id, edge, ...rest] = segments;
  if (id === undefined || rest.length > 0) {
    throw unknownPath(`/${segments.join('/')}`, traceId);
  }

  if (id === 'me' && edge === undefined && method === 'GET') {
    return pickFields(
      { id: identity.appId, name: `${identity.verifiedName} (system user)` },
      url.searchParams.get('fields'),
    );
  }
  if (id === 'debug_token' && edge === undefined && method === 'GET') {
    return debugToken(state, url, traceId);
  }

  if (id === identity.phoneNumberId) {
    return phoneNumberRoute(request, ctx, method, edge);
  }
  if (id === identity.wabaId) {
    return wabaRoute(request, state, method, edge);
  }
  const media = state.liveMedia(id);
  if (media && edge === undefined) {
    if (method === 'DELETE') {
      state.media.delete(id);
      return { success: true };
    }
    if (method === 'GET') {
      return {
        messaging_product: 'whatsapp',
        url: mediaDownloadUrl(state, ctx.origin(), media.id),
        mime_type: media.mimeType,
        sha256: media.sha256Hex,
        file_size: media.fileSize,
        id: media.id,
      };
    }
  }
  throw unknownObject(
    id,
    method === 'POST' ? 'post' : method === 'DELETE' ? 'delete' : 'get',
    traceId,
  );
}

function debugToken(state: EmulatorState, url: URL, traceId: string): unknown {
  const input = url.searchParams.get('input_token');
  if (!input) {
    throw invalidParameter('The parameter input_token is required', traceId);
  }
  const { identity } = state;
  if (input !== identity.accessToken) {
    return {
      data: {
        is_valid: false,
        error: { code: 190, message: 'Invalid OAuth access token.' },
        scopes: [],
      },
    };
  }
  return {
    data: {
      app_id: identity.appId,
      type: 'SYSTEM_USER',
      application: 'No Lose (Meta emulator)',
      data_access_expires_at: 0,
      expires_at: 0,
      is_valid: !state.config.tokenExpired,
      scopes: ['whatsapp_business_management', 'whatsapp_business_messaging'],
      granular_scopes: [
        { scope: 'whatsapp_business_management', target_ids: [identity.wabaId] },
        { scope: 'whatsapp_business_messaging', target_ids: [identity.wabaId] },
      ],
      user_id: identity.appId,
    },
  };
}

function phoneNumberRoute(
  request: GraphRequest,
  ctx: GraphContext,
  method: string,
  edge: string | undefined,
): unknown {
  const { state } = ctx;
  const { identity } = state;
  const { traceId, url } = request;
  if (edge === undefined && method === 'GET') {
    return pickFields(
      phoneNumberInfo(identity.phoneNumberId, identity.displayPhoneNumber, identity.verifiedName),
      url.searchParams.get('fields'),
    );
  }
  if (edge === 'whatsapp_business_profile' && method === 'GET') {
    const profile = { ...state.profile, messaging_product: 'whatsapp' };
    return { data: [pickFields(profile, url.searchParams.get('fields'))] };
  }
  if (edge === 'whatsapp_business_profile' && method === 'POST') {
    return updateProfile(state, request);
  }
  if (edge === 'messages' && method === 'POST') {
    return sendMessage(request, ctx);
  }
  if (edge === 'media' && method === 'POST') {
    return uploadMedia(state, request.req, request.body, request.traceId);
  }
  throw unknownPath(`/${identity.phoneNumberId}/${edge ?? ''}`, traceId);
}

function wabaRoute(
  request: GraphRequest,
  state: EmulatorState,
  method: string,
  edge: string | undefined,
): unknown {
  const { identity } = state;
  const { url, traceId } = request;
  if (edge === undefined && method === 'GET') {
    return pickFields(
      {
        id: identity.wabaId,
        name: identity.verifiedName,
        currency: 'USD',
        timezone_id: '1',
        message_template_namespace: '4dc1d5c0_6a64_4f5b_9b71_emulator',
      },
      url.searchParams.get('fields'),
    );
  }
  if (edge === 'phone_numbers' && method === 'GET') {
    const info = phoneNumberInfo(
      identity.phoneNumberId,
      identity.displayPhoneNumber,
      identity.verifiedName,
    );
    return { data: [pickFields(info, url.searchParams.get('fields'))], paging: cursors(0, 0) };
  }
  if (edge === 'message_templates' && method === 'GET') {
    return listTemplates(state, url);
  }
  if (edge === 'subscribed_apps') {
    if (method === 'GET') {
      return {
        data: [
          {
            whatsapp_business_api_data: {
              id: identity.appId,
              link: 'https://www.luckyshrub.com',
              name: 'No Lose',
            },
          },
        ],
      };
    }
    return { success: true };
  }
  throw unknownPath(`/${identity.wabaId}/${edge ?? ''}`, traceId);
}

function cursors(first: number, last: number): { cursors: { before: string; after: string } } {
  const encode = (index: number): string => Buffer.from(String(index)).toString('base64');
  return { cursors: { before: encode(first), after: encode(last) } };
}

/** GET /{waba-id}/message_templates with Graph's limit/after paging and name/status/language filters. */
function listTemplates(state: EmulatorState, url: URL): unknown {
  const params = url.searchParams;
  const name = params.get('name');
  const status = params.get('status');
  const language = params.get('language');
  const limit = Math.min(Math.max(Number(params.get('limit') ?? 25) || 25, 1), 100);
  const after = params.get('after');
  const start = after ? Number(Buffer.from(after, 'base64').toString('utf8')) + 1 || 0 : 0;
  const matching = state.templates.filter(
    (template) =>
      (!name || template.name.includes(name)) &&
      (!status || template.status === status.toUpperCase()) &&
      (!language || template.language === language),
  );
  const page = matching.slice(start, start + limit);
  const fields = params.get('fields');
  const paging = cursors(start, start + Math.max(page.length - 1, 0));
  const hasMore = start + limit < matching.length;
  if (hasMore) {
    const next = new URL(url.href);
    next.searchParams.set('after', paging.cursors.after);
    next.searchParams.delete('access_token');
    Object.assign(paging, { next: next.href });
  }
  return { data: page.map((template) => pickFields(template, fields)), paging };
}

function updateProfile(state: EmulatorState, request: GraphRequest): unknown {
  const body = parseBody(request);
  if (body.messaging_product !== 'whatsapp') {
    throw invalidParameter('The parameter messaging_product is required.', request.traceId);
  }
  const editable: Array<keyof BusinessProfile> = [
    'about',
    'address',
    'description',
    'email',
    'profile_picture_url',
    'websites',
    'vertical',
  ];
  for (const key of editable) {
    if (body[key] !== undefined) {
      Object.assign(state.profile, { [key]: body[key] });
    }
  }
  return { success: true };
}

function parseBody(request: GraphRequest): JsonObject {
  try {
    const parsed = parseJson(request.body);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as JsonObject;
    }
  } catch {
    throw invalidParameter('The request body is not valid JSON.', request.traceId);
  }
  throw invalidParameter('The request body must be a JSON object.', request.traceId);
}

/** First matching injected failure, consumed. `to` is null for requests without a recipient. */
function takeFailure(
  state: EmulatorState,
  endpoint: 'messages' | 'all',
  to: string | null,
): ActiveFailureRule | undefined {
  const rule = state.failures.find(
    (candidate) =>
      // A recipient filter only makes sense for sends, so it implies the messages endpoint.
      (candidate.to === undefined ? (candidate.endpoint ?? 'messages') : 'messages') === endpoint &&
      (candidate.to === undefined || (to !== null && normaliseRecipient(candidate.to) === to)),
  );
  if (!rule) {
    return undefined;
  }
  if (rule.remaining !== null) {
    rule.remaining -= 1;
    if (rule.remaining <= 0) {
      state.failures.splice(state.failures.indexOf(rule), 1);
    }
  }
  return rule;
}

function throwFailure(rule: ActiveFailureRule, traceId: string): never {
  if (rule.code === 'disconnect') {
    throw new Disconnect();
  }
  if (rule.code === 190) {
    throw tokenError('expired', traceId);
  }
  throw whatsappError(rule.code, {
    fbtraceId: traceId,
    ...(rule.details === undefined ? {} : { details: rule.details }),
    ...(rule.httpStatus === undefined ? {} : { httpStatus: rule.httpStatus }),
  });
}

function sendMessage(request: GraphRequest, ctx: GraphContext): unknown {
  const { state, dispatcher } = ctx;
  const { traceId } = request;
  const validated = validateSend(parseBody(request), state.templates, traceId);
  const phoneNumberId = state.identity.phoneNumberId;

  if (validated.kind === 'read') {
    state.readReceipts.push({
      messageId: validated.messageId,
      phoneNumberId,
      typingIndicator: validated.typingIndicator,
      known: state.inboundIds.has(validated.messageId),
      receivedAt: state.nowIso(),
    });
    return { success: true };
  }

  const now = state.clock();
  const limit = state.config.rateLimitPerSecond;
  const window = (state.sendWindow.get(phoneNumberId) ?? []).filter((at) => at > now - 1000);
  state.sendWindow.set(phoneNumberId, window);
  if (limit !== null && window.length >= limit) {
    throw whatsappError(130429, { fbtraceId: traceId });
  }

  let asyncFailure: ForcedFailure | undefined;
  const rule = takeFailure(state, 'messages', validated.waId);
  if (rule && rule.mode === 'async' && typeof rule.code === 'number') {
    asyncFailure = {
      code: rule.code,
      ...(rule.details === undefined ? {} : { details: rule.details }),
    };
  } else if (rule) {
    throwFailure(rule, traceId);
  }
  if (state.config.failureRate > 0 && state.ids.random() < state.config.failureRate) {
    throw whatsappError(state.config.failureCode, { fbtraceId: traceId });
  }
  // Meta accepts media ids without checking them and reports bad ones later in a failed status.
  const missing = validated.mediaIds.find((mediaId) => !state.liveMedia(mediaId));
  if (missing && !asyncFailure) {
    asyncFailure = {
      code: 131053,
      details: `Media upload error: media id ${missing} was not found or has expired.`,
    };
  }

  window.push(now);
  const message: SentMessage = {
    wamid: state.ids.wamid(validated.waId),
    phoneNumberId,
    apiVersion: request.version,
    to: validated.to,
    waId: validated.waId,
    type: validated.type,
    request: validated.body,
    receivedAt: state.nowIso(),
    statuses: [],
  };
  state.sent.push(message);
  scheduleStatuses(state, dispatcher, message, asyncFailure);
  return {
    messaging_product: 'whatsapp',
    contacts: [{ input: validated.to, wa_id: validated.waId }],
    // Template sends also report the pacing state ("accepted" unless held or paused).
    messages: [
      {
        id: message.wamid,
        ...(validated.type === 'template' ? { message_status: 'accepted' } : {}),
      },
    ],
  };
}
