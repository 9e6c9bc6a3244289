/**
 * Serialises, signs and POSTs webhook notifications the way Meta does.
 *
 * Meta's signature note (Webhooks › "Validate payloads"): the HMAC-SHA256 is computed over an
 * *escaped unicode* version of the payload with lowercase hex digits — "äöå" travels as
 * "\u00e4\u00f6\u00e5". An app that re-serialises the parsed JSON instead of hashing the raw
 * bytes therefore fails on any non-ASCII text; the emulator reproduces exactly that.
 */
import { createHmac } from 'node:crypto';

export interface SerializeOptions {
  /** Escape "/" as "\/" as well (PHP-style); off by default. */
  escapeSlashes?: boolean;
}

/** JSON.stringify, then every non-ASCII UTF-16 unit as \uXXXX (emoji become surrogate pairs). */
export function serializeLikeMeta(value: unknown, options: SerializeOptions = {}): string {
  const json = JSON.stringify(value).replace(
    /[\u0080-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  // "/" can only occur inside JSON strings, so a blanket replace stays valid JSON.
  return options.escapeSlashes ? json.replace(/\//g, '\\/') : json;
}

/** `sha256=<hex HMAC-SHA256(appSecret, raw)>`, the X-Hub-Signature-256 header value. */
export function signBody(appSecret: string, raw: string | Buffer): string {
  return `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`;
}

/** Legacy X-Hub-Signature (SHA-1) that Meta still sends alongside the SHA-256 one. */
export function signBodySha1(appSecret: string, raw: string | Buffer): string {
  return `sha1=${createHmac('sha1', appSecret).update(raw).digest('hex')}`;
}

export interface DeliveryOptions {
  url: string;
  appSecret: string;
  /** Further attempts after the first one. */
  retries: number;
  /** First back-off; doubled after each failed attempt. */
  retryDelayMs: number;
  timeoutMs: number;
  escapeSlashes?: boolean;
}

export interface DeliveryAttempt {
  status: number | null;
  error?: string;
  responseBody?: string;
}

export interface DeliveryResult {
  ok: boolean;
  /** HTTP status of the last attempt, null when no response came back. */
  status: number | null;
  attempts: DeliveryAttempt[];
  raw: string;
  signature: string;
  /** Body of the last response, truncated, to show what the app answered. */
  responseBody?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * POSTs one notification, retrying like Meta: anything but HTTP 200 counts as a failure
 * ("If a notification isn't delivered … or the request returns a HTTP status code other
 * than 200, we retry"), with exponential back-off. Never throws.
 */
export async function deliverWebhook(
  payload: unknown,
  options: DeliveryOptions,
): Promise<DeliveryResult> {
  const raw = serializeLikeMeta(payload, { escapeSlashes: options.escapeSlashes });
  const signature = signBody(options.appSecret, raw);
  const attempts: DeliveryAttempt[] = [];
  for (let attempt = 0; attempt <= options.retries; attempt += 1) {
    if (attempt > 0) {
      await sleep(options.retryDelayMs * 2 ** (attempt - 1));
    }
    try {
      const response = await fetch(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'facebookexternalua',
          'x-hub-signature': signBodySha1(options.appSecret, raw),
          'x-hub-signature-256': signature,
        },
        body: raw,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const responseBody = (await response.text()).slice(0, 2000);
      attempts.push({ status: response.status, responseBody });
      if (response.status === 200) {
        return { ok: true, status: 200, attempts, raw, signature, responseBody };
      }
    } catch (error) {
      attempts.push({
        status: null,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  const last = attempts[attempts.length - 1];
  return {
    ok: false,
    status: last?.status ?? null,
    attempts,
    raw,
    signature,
    ...(last?.responseBody === undefined ? {} : { responseBody: last.responseBody }),
  };
}
