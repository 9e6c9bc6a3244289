/**
 * A local stand-in for Meta's WhatsApp Cloud API (Graph API + webhooks) for development, demos
 * and tests. The product only knows it through WA_API_BASE_URL; see emulator/README.md.
 *
 *   const meta = await startMetaEmulator({ webhookUrl: 'http://127.0.0.1:8000/api/webhook', seed: 1 });
 *   await meta.sendInbound({ type: 'text', from: '351910000000', text: 'Olá!' });
 *   // … the app replies through meta.url …
 *   expect(meta.sent()[0].request.text).toEqual({ body: 'Thanks!' });
 *   await meta.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTROL_PREFIX, handleControl, parseConfigPatch } from './control-routes.js';
import { Dispatcher } from './dispatcher.js';
import {
  defaultBusinessProfile,
  defaultTemplates,
  type BusinessProfile,
  type MessageTemplate,
} from './fixtures.js';
import { GRAPH_PATH, handleGraph, type GraphContext } from './graph-routes.js';
import { handleMediaDownload } from './media-routes.js';
import { sendJson } from './http-io.js';
import { createIdSource } from './ids.js';
import { sendInbound, type InboundInput, type InboundResult } from './inbound.js';
import type { StatusValue } from './payloads.js';
import {
  defaultConfig,
  describeMedia,
  EmulatorState,
  mergeConfig,
  type ActiveFailureRule,
  type ConfigPatch,
  type EmulatorConfig,
  type EmulatorIdentity,
  type FailureRule,
  type MediaInfo,
  type ReadReceipt,
  type RejectedRequest,
  type SentMessage,
  type StatusRecord,
  type WebhookRecord,
} from './state.js';
import { emitStatus, type ForcedFailure } from './status-scheduler.js';

export interface MetaEmulatorOptions extends ConfigPatch {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Version segment used in `url`; every /vNN.N prefix is served regardless. */
  apiVersion?: string;
  accessToken?: string;
  phoneNumberId?: string;
  businessAccountId?: string;
  appId?: string;
  appSecret?: string;
  /** Shorthand for `webhook.url`. */
  webhookUrl?: string | null;
  verifyToken?: string;
  displayPhoneNumber?: string;
  verifiedName?: string;
  /** Seeds ids and random decisions; the same seed gives the same run. */
  seed?: number | string;
  /** Clock in ms since epoch (timestamps, rate-limit window, media URL expiry). */
  clock?: () => number;
  templates?: MessageTemplate[];
  businessProfile?: BusinessProfile;
}

export interface WebhookVerification {
  ok: boolean;
  status: number | null;
  challenge: string;
  body: string;
  error?: string;
}

export interface MetaEmulator {
  /** Graph base including the version, e.g. http://127.0.0.1:4010/v23.0 (WA_API_BASE_URL). */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly controlUrl: string;
  readonly identity: EmulatorIdentity;
  readonly seed: number;

  sent(): SentMessage[];
  readReceipts(): ReadReceipt[];
  rejected(): RejectedRequest[];
  webhooks(): WebhookRecord[];
  media(): MediaInfo[];
  config(): EmulatorConfig;
  failures(): ActiveFailureRule[];
  /** Identity, URLs and the environment the app needs, as printed by the CLI. */
  describe(): Record<string, unknown>;
  /** WA_* variables pointing the app at this emulator. */
  appEnv(): Record<string, string>;

  configure(patch: ConfigPatch): EmulatorConfig;
  injectFailure(rule: FailureRule): ActiveFailureRule;
  clearFailures(): void;
  sendInbound(input: InboundInput): Promise<InboundResult>;
  /** Sends one status webhook for a message the app sent. */
  sendStatus(wamid: string, status: StatusValue, failure?: ForcedFailure): Promise<StatusRecord>;
  registerMedia(input: {
    data: Buffer;
    mimeType: string;
    filename?: string;
    id?: string;
  }): MediaInfo;
  /** Makes a media id unknown to GET /{media-id} and its download URL; false if no such id. */
  expireMedia(id: string): boolean;
  /** Performs Meta's hub.challenge subscription handshake against the webhook URL. */
  verifyWebhook(verifyToken?: string): Promise<WebhookVerification>;
  /** Waits until every scheduled status and webhook delivery has finished. */
  settled(): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

export async function startMetaEmulator(options: MetaEmulatorOptions = {}): Promise<MetaEmulator> {
  const identity: EmulatorIdentity = {
    accessToken: options.accessToken ?? 'EAAG-emulator-access-token',
    phoneNumberId: options.phoneNumberId ?? '106540352242922',
    wabaId: options.businessAccountId ?? '102290129340398',
    appId: options.appId ?? '1234567890123456',
    appSecret: options.appSecret ?? 'emulator-app-secret',
    displayPhoneNumber: options.displayPhoneNumber ?? '+1 555-078-3881',
    verifiedName: options.verifiedName ?? 'Lucky Shrub',
    verifyToken: options.verifyToken ?? 'emulator-verify-token',
  };
  const ids = createIdSource(options.seed);
  const clock = options.clock ?? Date.now;
  // Options go through the same checks as POST /__emulator/config.
  const patch = parseConfigPatch({
    latencyMs: options.latencyMs,
    failureRate: options.failureRate,
    failureCode: options.failureCode,
    rateLimitPerSecond: options.rateLimitPerSecond,
    tokenExpired: options.tokenExpired,
    statuses: options.statuses,
    webhook: {
      ...options.webhook,
      ...(options.webhookUrl === undefined ? {} : { url: options.webhookUrl }),
    },
    failures: options.failures,
  });
  const initialConfig = mergeConfig(defaultConfig(), patch);
  const state = new EmulatorState(
    identity,
    ids,
    clock,
    initialConfig,
    options.templates ?? defaultTemplates(),
    options.businessProfile ?? defaultBusinessProfile(),
  );
  const initialFailures = patch.failures ?? [];
  initialFailures.forEach((rule) => state.addFailure(rule));
  const dispatcher = new Dispatcher(state);
  const apiVersion = options.apiVersion ?? 'v23.0';
  const host = options.host ?? '127.0.0.1';
  // Known once the server listens; the getters below read it.
  let port = 0;
  let origin = '';
  const graph: GraphContext = { state, dispatcher, origin: () => origin };

  const emulator: MetaEmulator = {
    get url() {
      return `${origin}/${apiVersion}`;
    },
    get origin() {
      return origin;
    },
    get port() {
      return port;
    },
    get controlUrl() {
      return `${origin}${CONTROL_PREFIX}`;
    },
    identity,
    seed: ids.seed,
    sent: () => state.sent,
    readReceipts: () => state.readReceipts,
    rejected: () => state.rejected,
    webhooks: () => state.webhooks,
    media: () => [...state.media.values()].map(describeMedia),
    config: () => state.config,
    failures: () => state.failures,
    describe: () => ({
      graphUrl: emulator.url,
      controlUrl: emulator.controlUrl,
      webhookUrl: state.config.webhook.url,
      seed: ids.seed,
      ...identity,
      appEnv: emulator.appEnv(),
    }),
    appEnv: () => ({
      WA_API_BASE_URL: emulator.url,
      WA_ACCESS_TOKEN: identity.accessToken,
      WA_PHONE_NUMBER_ID: identity.phoneNumberId,
      WA_BUSINESS_ACCOUNT_ID: identity.wabaId,
      WA_APP_SECRET: identity.appSecret,
      WA_VERIFY_TOKEN: identity.verifyToken,
    }),
    configure: (patch) => state.applyConfig(patch),
    injectFailure: (rule) => state.addFailure(rule),
    clearFailures: () => {
      state.failures = [];
    },
    sendInbound: (input) => sendInbound(state, dispatcher, input),
    sendStatus: (wamid, status, failure) => {
      const message = state.findSent(wamid);
      if (!message) {
        return Promise.reject(new Error(`No sent message has id ${wamid}`));
      }
      return emitStatus(state, dispatcher, message, status, failure);
    },
    registerMedia: (input) => describeMedia(state.addMedia({ ...input, source: 'control' })),
    expireMedia: (id) => {
      const record = state.media.get(id);
      if (!record) {
        return false;
      }
      record.expired = true;
      return true;
    },
    verifyWebhook: (verifyToken) =>
      verifyWebhook(state.config.webhook.url, verifyToken ?? identity.verifyToken, ids.hex(10)),
    settled: () => dispatcher.settled(),
    reset: () => {
      dispatcher.cancelAll();
      state.reset();
      initialFailures.forEach((rule) => state.addFailure(rule));
    },
    close: () => {
      dispatcher.cancelAll();
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', origin || 'http://127.0.0.1');
    try {
      if (url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
        await handleControl(req, res, url, emulator);
      } else if (url.pathname.startsWith('/media-download/') && req.method === 'GET') {
        handleMediaDownload(req, res, url, state);
      } else if (GRAPH_PATH.test(url.pathname)) {
        await handleGraph(req, res, url, graph);
      } else {
        sendJson(res, 404, {
          error: `Not a Graph path (expected /vNN.N/…) or ${CONTROL_PREFIX}/…: ${url.pathname}`,
        });
      }
    } catch (error) {
      if (!res.headersSent) {
        sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
      } else {
        res.destroy();
      }
    }
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  origin = `http://${host}:${port}`;
  return emulator;
}

async function verifyWebhook(
  url: string | null,
  verifyToken: string,
  challenge: string,
): Promise<WebhookVerification> {
  if (url === null) {
    return { ok: false, status: null, challenge, body: '', error: 'No webhook URL configured' };
  }
  const target = new URL(url);
  target.searchParams.set('hub.mode', 'subscribe');
  target.searchParams.set('hub.verify_token', verifyToken);
  target.searchParams.set('hub.challenge', challenge);
  try {
    const response = await fetch(target, { signal: AbortSignal.timeout(5000) });
    const body = await response.text();
    // Meta requires HTTP 200 whose body is exactly the challenge.
    return {
      ok: response.status === 200 && body === challenge,
      status: response.status,
      challenge,
      body,
    };
  } catch (error) {
    return {
      ok: false,
      status: null,
      challenge,
      body: '',
      error: error instanceof Error ? error.message : String(error),
    };
  }
}
