/**
 * Runtime configuration and everything the emulator remembers: sent messages, read receipts,
 * media, webhook deliveries and injected failures. One instance per emulator; `reset()` empties
 * it between tests without restarting the server.
 */
import { createHash } from 'node:crypto';
import type { GraphErrorBody } from './errors.js';
import type { BusinessProfile, MessageTemplate } from './fixtures.js';
import type { IdSource } from './ids.js';
import type { JsonObject, StatusValue, WebhookPayload } from './payloads.js';
import type { DeliveryAttempt } from './webhook-sender.js';

/** How statuses follow a successful send. Rates are probabilities in [0, 1]. */
export interface StatusBehaviour {
  /** Send sent → delivered → read webhooks automatically after each accepted message. */
  enabled: boolean;
  sentDelayMs: number;
  deliveredDelayMs: number;
  readDelayMs: number;
  /** Customers with read receipts off never produce `read` (Meta: "only … if enabled"). */
  read: boolean;
  /** Fail the message asynchronously: `sent`, then `failed` with 131026. */
  failRate: number;
  /** Deliver `read` before `delivered` (Meta: order of notifications may not reflect timing). */
  reorderRate: number;
  /** Omit `delivered` (Meta skips it when delivery and read are near-simultaneous). */
  skipDeliveredRate: number;
  /** Send one of the statuses twice (webhooks are at-least-once). */
  duplicateRate: number;
}

export interface WebhookSettings {
  /** Where notifications go; null disables delivery (payloads are still recorded). */
  url: string | null;
  retries: number;
  retryDelayMs: number;
  timeoutMs: number;
  escapeSlashes: boolean;
}

/**
 * A forced failure. Codes with a known HTTP status use it (see errors.ts); `'disconnect'`
 * drops the socket without answering, to exercise the app's timeout and retry path.
 */
export interface FailureRule {
  code: number | 'disconnect';
  /** How many matching requests fail; null = until cleared. Default 1. */
  times?: number | null;
  /** Only sends to this recipient ("+", spaces and dashes ignored); implies `endpoint: 'messages'`. */
  to?: string;
  /**
   * `sync` answers the send with the error; `async` accepts the send and reports the error in
   * a `failed` status webhook, as Meta does for 131026 and most delivery failures.
   */
  mode?: 'sync' | 'async';
  details?: string;
  httpStatus?: number;
  /** `messages` (default) matches POST …/messages; `all` matches every Graph request. */
  endpoint?: 'messages' | 'all';
}

export interface ActiveFailureRule extends FailureRule {
  remaining: number | null;
}

export interface EmulatorConfig {
  latencyMs: number;
  /** Probability that an otherwise valid send fails with `failureCode`. */
  failureRate: number;
  failureCode: number;
  /** Sends per second per phone number before 130429; null = unlimited. */
  rateLimitPerSecond: number | null;
  /** Simulates an expired token: every Graph call answers 190 / subcode 463. */
  tokenExpired: boolean;
  statuses: StatusBehaviour;
  webhook: WebhookSettings;
}

/** A partial update; `failures`, when present, replaces the injected-failure queue. */
export interface ConfigPatch {
  latencyMs?: number;
  failureRate?: number;
  failureCode?: number;
  rateLimitPerSecond?: number | null;
  tokenExpired?: boolean;
  statuses?: Partial<StatusBehaviour>;
  webhook?: Partial<WebhookSettings>;
  failures?: FailureRule[];
}

export function defaultConfig(): EmulatorConfig {
  return {
    latencyMs: 0,
    failureRate: 0,
    failureCode: 131000,
    rateLimitPerSecond: null,
    tokenExpired: false,
    statuses: {
      enabled: true,
      sentDelayMs: 20,
      deliveredDelayMs: 40,
      readDelayMs: 80,
      read: true,
      failRate: 0,
      reorderRate: 0,
      skipDeliveredRate: 0,
      duplicateRate: 0,
    },
    webhook: { url: null, retries: 3, retryDelayMs: 100, timeoutMs: 5000, escapeSlashes: false },
  };
}

/** Drops keys whose value is undefined, so a patch never blanks a default. */
function defined<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(
    Object.entries(value ?? {}).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}

/** Applies a patch (minus `failures`, which live outside the config) to a config. */
export function mergeConfig(base: EmulatorConfig, patch: ConfigPatch): EmulatorConfig {
  const { failures, statuses, webhook, ...scalars } = patch;
  void failures;
  return {
    ...base,
    ...defined(scalars),
    statuses: { ...base.statuses, ...defined(statuses) },
    webhook: { ...base.webhook, ...defined(webhook) },
  };
}

export interface StatusRecord {
  status: StatusValue;
  at: string;
  delivered: boolean;
  errorCode?: number;
}

export interface SentMessage {
  wamid: string;
  phoneNumberId: string;
  apiVersion: string;
  to: string;
  waId: string;
  type: string;
  request: JsonObject;
  receivedAt: string;
  statuses: StatusRecord[];
}

export interface ReadReceipt {
  messageId: string;
  phoneNumberId: string;
  typingIndicator: boolean;
  /** Whether the id is one of the inbound messages the emulator delivered. */
  known: boolean;
  receivedAt: string;
}

export interface RejectedRequest {
  method: string;
  path: string;
  request: unknown;
  httpStatus: number;
  error: GraphErrorBody | null;
  at: string;
}

export interface WebhookRecord {
  kind: 'message' | 'status' | 'errors';
  payload: WebhookPayload;
  raw: string;
  signature: string;
  ok: boolean;
  /** Last HTTP status from the app; null when unreachable or delivery is disabled. */
  status: number | null;
  attempts: DeliveryAttempt[];
  at: string;
}

export interface MediaRecord {
  id: string;
  data: Buffer;
  mimeType: string;
  /** Hex digest, as GET /{media-id} reports it. */
  sha256Hex: string;
  /** Base64 digest, as inbound webhooks report it. */
  sha256Base64: string;
  fileSize: number;
  filename?: string;
  expired: boolean;
  source: 'inbound' | 'upload' | 'control';
  createdAt: string;
}

export type MediaInfo = Omit<MediaRecord, 'data'>;

/** A media record without its bytes, for listings and JSON answers. */
export function describeMedia(record: MediaRecord): MediaInfo {
  const { data, ...info } = record;
  void data;
  return info;
}

export interface EmulatorIdentity {
  accessToken: string;
  phoneNumberId: string;
  wabaId: string;
  appId: string;
  appSecret: string;
  /** As the API shows it, e.g. "+1 555-078-3881". */
  displayPhoneNumber: string;
  verifiedName: string;
  verifyToken: string;
}

export class EmulatorState {
  config: EmulatorConfig;
  failures: ActiveFailureRule[] = [];
  sent: SentMessage[] = [];
  readReceipts: ReadReceipt[] = [];
  rejected: RejectedRequest[] = [];
  webhooks: WebhookRecord[] = [];
  media = new Map<string, MediaRecord>();
  /** wamids of inbound messages delivered to the app (read receipts refer to them). */
  inboundIds = new Set<string>();
  /** Send timestamps per phone number, for the per-second rate limit. */
  sendWindow = new Map<string, number[]>();
  /** Conversation id per customer, reused across statuses like Meta's 24-hour conversations. */
  conversations = new Map<string, string>();
  templates: MessageTemplate[];
  profile: BusinessProfile;
  /** Bumped by reset() so work started before it does not write into the fresh state. */
  generation = 0;

  constructor(
    readonly identity: EmulatorIdentity,
    readonly ids: IdSource,
    readonly clock: () => number,
    private readonly initialConfig: EmulatorConfig,
    private readonly initialTemplates: MessageTemplate[],
    private readonly initialProfile: BusinessProfile,
  ) {
    this.config = structuredClone(initialConfig);
    this.templates = structuredClone(initialTemplates);
    this.profile = structuredClone(initialProfile);
  }

  nowIso(): string {
    return new Date(this.clock()).toISOString();
  }

  reset(): void {
    this.config = structuredClone(this.initialConfig);
    this.templates = structuredClone(this.initialTemplates);
    this.profile = structuredClone(this.initialProfile);
    this.failures = [];
    this.sent = [];
    this.readReceipts = [];
    this.rejected = [];
    this.webhooks = [];
    this.media.clear();
    this.inboundIds.clear();
    this.sendWindow.clear();
    this.conversations.clear();
    this.generation += 1;
  }

  applyConfig(patch: ConfigPatch): EmulatorConfig {
    this.config = mergeConfig(this.config, patch);
    if (patch.failures) {
      this.failures = [];
      patch.failures.forEach((rule) => this.addFailure(rule));
    }
    return this.config;
  }

  addFailure(rule: FailureRule): ActiveFailureRule {
    const active: ActiveFailureRule = {
      ...rule,
      remaining: rule.times === undefined ? 1 : rule.times,
    };
    this.failures.push(active);
    return active;
  }

  addMedia(input: {
    data: Buffer;
    mimeType: string;
    filename?: string;
    source: MediaRecord['source'];
    id?: string;
  }): MediaRecord {
    const record: MediaRecord = {
      id: input.id ?? this.ids.numericId(),
      data: input.data,
      mimeType: input.mimeType,
      sha256Hex: createHash('sha256').update(input.data).digest('hex'),
      sha256Base64: createHash('sha256').update(input.data).digest('base64'),
      fileSize: input.data.length,
      ...(input.filename === undefined ? {} : { filename: input.filename }),
      expired: false,
      source: input.source,
      createdAt: this.nowIso(),
    };
    this.media.set(record.id, record);
    return record;
  }

  /** Media that exists and has not expired. */
  liveMedia(id: string): MediaRecord | undefined {
    const record = this.media.get(id);
    return record && !record.expired ? record : undefined;
  }

  findSent(wamid: string): SentMessage | undefined {
    return this.sent.find((message) => message.wamid === wamid);
  }

  /** Digits of the business number, as webhooks show `display_phone_number`. */
  get businessNumber(): string {
    return this.identity.displayPhoneNumber.replace(/\D/g, '');
  }
}
