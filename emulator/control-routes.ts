/**
 * The emulator's own control API under /__emulator (JSON, no auth). Each route calls the
 * same method of the MetaEmulator object that in-process tests use, so both stay in step.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJson, readBody, sendJson } from './http-io.js';
import { InboundInputError, type InboundInput } from './inbound.js';
import type { MetaEmulator } from './meta-emulator.js';
import type { JsonObject, StatusValue } from './payloads.js';
import type { ConfigPatch, FailureRule, StatusBehaviour, WebhookSettings } from './state.js';

export const CONTROL_PREFIX = '/__emulator';

/** A bad control request; answered with 400 and the message. */
export class ControlInputError extends Error {}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expectType(value: unknown, type: 'number' | 'boolean' | 'string', name: string): void {
  if (value !== undefined && typeof value !== type) {
    throw new ControlInputError(`${name} must be a ${type}`);
  }
}

function expectRate(value: unknown, name: string): void {
  expectType(value, 'number', name);
  if (typeof value === 'number' && (value < 0 || value > 1)) {
    throw new ControlInputError(`${name} must be between 0 and 1`);
  }
}

export function parseFailureRule(value: unknown): FailureRule {
  if (!isObject(value)) {
    throw new ControlInputError('a failure rule must be an object');
  }
  if (typeof value.code !== 'number' && value.code !== 'disconnect') {
    throw new ControlInputError('failure code must be a Meta error code (number) or "disconnect"');
  }
  if (
    value.times !== undefined &&
    value.times !== null &&
    (typeof value.times !== 'number' || value.times < 1)
  ) {
    throw new ControlInputError('times must be a positive number or null (until cleared)');
  }
  expectType(value.to, 'string', 'to');
  expectType(value.details, 'string', 'details');
  expectType(value.httpStatus, 'number', 'httpStatus');
  if (value.mode !== undefined && value.mode !== 'sync' && value.mode !== 'async') {
    throw new ControlInputError('mode must be "sync" or "async"');
  }
  if (value.endpoint !== undefined && value.endpoint !== 'messages' && value.endpoint !== 'all') {
    throw new ControlInputError('endpoint must be "messages" or "all"');
  }
  return value as unknown as FailureRule;
}

export function parseConfigPatch(value: unknown): ConfigPatch {
  if (!isObject(value)) {
    throw new ControlInputError('config must be a JSON object');
  }
  expectType(value.latencyMs, 'number', 'latencyMs');
  expectRate(value.failureRate, 'failureRate');
  expectType(value.failureCode, 'number', 'failureCode');
  expectType(value.tokenExpired, 'boolean', 'tokenExpired');
  if (value.rateLimitPerSecond !== null) {
    expectType(value.rateLimitPerSecond, 'number', 'rateLimitPerSecond');
  }
  const patch: ConfigPatch = { ...(value as ConfigPatch) };
  if (value.statuses !== undefined) {
    if (!isObject(value.statuses)) {
      throw new ControlInputError('statuses must be an object');
    }
    const statuses = value.statuses as Partial<Record<keyof StatusBehaviour, unknown>>;
    expectType(statuses.enabled, 'boolean', 'statuses.enabled');
    expectType(statuses.read, 'boolean', 'statuses.read');
    for (const key of ['sentDelayMs', 'deliveredDelayMs', 'readDelayMs'] as const) {
      expectType(statuses[key], 'number', `statuses.${key}`);
    }
    for (const key of ['failRate', 'reorderRate', 'skipDeliveredRate', 'duplicateRate'] as const) {
      expectRate(statuses[key], `statuses.${key}`);
    }
  }
  if (value.webhook !== undefined) {
    if (!isObject(value.webhook)) {
      throw new ControlInputError('webhook must be an object');
    }
    const webhook = value.webhook as Partial<Record<keyof WebhookSettings, unknown>>;
    if (webhook.url !== null) {
      expectType(webhook.url, 'string', 'webhook.url');
    }
    for (const key of ['retries', 'retryDelayMs', 'timeoutMs'] as const) {
      expectType(webhook[key], 'number', `webhook.${key}`);
    }
    expectType(webhook.escapeSlashes, 'boolean', 'webhook.escapeSlashes');
  }
  if (value.failures !== undefined) {
    if (!Array.isArray(value.failures)) {
      throw new ControlInputError('failures must be an array of rules');
    }
    patch.failures = value.failures.map(parseFailureRule);
  }
  return patch;
}

function parseInboundInput(input: JsonObject): InboundInput {
  for (const key of ['type', 'from', 'name', 'replyTo'] as const) {
    expectType(input[key], 'string', key);
  }
  if (input.media !== undefined && !isObject(input.media)) {
    throw new ControlInputError(
      'media must be an object ({ dataBase64 | text, mimeType, filename })',
    );
  }
  if (isObject(input.media) && input.media.data !== undefined) {
    throw new ControlInputError('over HTTP, send media bytes as media.dataBase64 or media.text');
  }
  return input;
}

const STATUS_VALUES: readonly StatusValue[] = ['sent', 'delivered', 'read', 'failed', 'deleted'];

export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  emulator: MetaEmulator,
): Promise<void> {
  const method = req.method ?? 'GET';
  const path = url.pathname.slice(CONTROL_PREFIX.length).replace(/\/+$/, '') || '/';
  try {
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = parseJson(raw);
    } catch {
      throw new ControlInputError('body must be JSON');
    }
    const input: JsonObject = isObject(body) ? body : {};
    const answer = await dispatch(method, path, input, emulator);
    if (answer === undefined) {
      sendJson(res, 404, { error: `No control route ${method} ${CONTROL_PREFIX}${path}` });
      return;
    }
    sendJson(res, 200, answer);
  } catch (error) {
    const known = error instanceof ControlInputError || error instanceof InboundInputError;
    sendJson(res, known ? 400 : 500, {
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

async function dispatch(
  method: string,
  path: string,
  input: JsonObject,
  emulator: MetaEmulator,
): Promise<unknown> {
  const key = `${method} ${path}`;
  const expire = /^\/media\/([^/]+)\/expire$/.exec(path);
  if (method === 'POST' && expire?.[1]) {
    const id = decodeURIComponent(expire[1]);
    if (!emulator.expireMedia(id)) {
      throw new ControlInputError(`unknown media id ${id}`);
    }
    return { id, expired: true };
  }
  switch (key) {
    case 'GET /':
      return emulator.describe();
    case 'GET /config':
      return { config: emulator.config(), failures: emulator.failures() };
    case 'POST /config':
      return { config: emulator.configure(parseConfigPatch(input)), failures: emulator.failures() };
    case 'POST /failures':
      return emulator.injectFailure(parseFailureRule(input));
    case 'DELETE /failures':
      emulator.clearFailures();
      return { failures: [] };
    case 'POST /inbound':
      return emulator.sendInbound(parseInboundInput(input));
    case 'POST /status':
      return sendStatus(input, emulator);
    case 'GET /sent':
      return { messages: emulator.sent(), readReceipts: emulator.readReceipts() };
    case 'GET /rejected':
      return { requests: emulator.rejected() };
    case 'GET /webhooks':
      return { webhooks: emulator.webhooks() };
    case 'GET /media':
      return { media: emulator.media() };
    case 'POST /media':
      return registerMedia(input, emulator);
    case 'POST /verify-webhook':
      return emulator.verifyWebhook(
        typeof input.verifyToken === 'string' ? input.verifyToken : undefined,
      );
    case 'POST /settle':
      await emulator.settled();
      return { settled: true };
    case 'POST /reset':
      emulator.reset();
      return { reset: true };
    default:
      return undefined;
  }
}

async function sendStatus(input: JsonObject, emulator: MetaEmulator): Promise<unknown> {
  if (typeof input.messageId !== 'string') {
    throw new ControlInputError('messageId (a wamid the app sent) is required');
  }
  if (!emulator.sent().some((message) => message.wamid === input.messageId)) {
    throw new ControlInputError(`no sent message has id ${input.messageId}`);
  }
  const status = input.status as StatusValue;
  if (!STATUS_VALUES.includes(status)) {
    throw new ControlInputError(`status must be one of ${STATUS_VALUES.join(', ')}`);
  }
  expectType(input.errorCode, 'number', 'errorCode');
  expectType(input.details, 'string', 'details');
  const failure =
    status === 'failed'
      ? {
          code: typeof input.errorCode === 'number' ? input.errorCode : 131026,
          ...(typeof input.details === 'string' ? { details: input.details } : {}),
        }
      : undefined;
  return emulator.sendStatus(input.messageId, status, failure);
}

function registerMedia(input: JsonObject, emulator: MetaEmulator): unknown {
  if (typeof input.mimeType !== 'string') {
    throw new ControlInputError('mimeType is required');
  }
  let data: Buffer;
  if (typeof input.dataBase64 === 'string') {
    data = Buffer.from(input.dataBase64, 'base64');
  } else if (typeof input.text === 'string') {
    data = Buffer.from(input.text, 'utf8');
  } else {
    throw new ControlInputError('dataBase64 or text is required');
  }
  expectType(input.filename, 'string', 'filename');
  return emulator.registerMedia({
    data,
    mimeType: input.mimeType,
    ...(typeof input.filename === 'string' ? { filename: input.filename } : {}),
    ...(typeof input.id === 'string' ? { id: input.id } : {}),
  });
}
