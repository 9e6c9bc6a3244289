import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error.js';

/**
 * Graph API failures, typed so that the API answers the right status and the queue knows
 * whether to try again (`retryable`). Codes: Meta's error reference,
 * https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
 */

/** Meta's `error` object (Graph API error responses). */
export interface MetaError {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  error_user_title?: string;
  error_user_msg?: string;
  error_data?: { messaging_product?: string; details?: string };
  is_transient?: boolean;
  fbtrace_id?: string;
}

/** Meta's rate limits: app, account, number, and business↔customer pair. */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80007, 130429, 131056]);
/** Temporary on Meta's side: unknown/service errors that the reference says to retry. */
const TRANSIENT_CODES = new Set([1, 2, 131000, 131016, 133004]);
const TOKEN_CODE = 190;

export function isRateLimit(httpStatus: number, code: number | null): boolean {
  return httpStatus === 429 || (code !== null && RATE_LIMIT_CODES.has(code));
}

/**
 * Whether a Graph error may succeed if sent again unchanged: rate limits, Meta's transient
 * errors and 5xx answers. Everything else (bad parameters, a closed window, an undeliverable
 * number, an invalid token) fails the same way every time.
 */
export function isRetryableGraphError(
  httpStatus: number,
  code: number | null,
  isTransient = false,
): boolean {
  return (
    isTransient ||
    isRateLimit(httpStatus, code) ||
    (code !== null && TRANSIENT_CODES.has(code)) ||
    httpStatus >= 500
  );
}

/** "(#131026) Message undeliverable" → "Message undeliverable". */
export function metaTitle(message: string): string {
  return message.replace(/^\(#\d+\)\s*/, '').trim() || message;
}

/** Meta answered the request with an error. */
export class GraphApiError extends DomainError {
  readonly code: string;
  readonly status: HttpStatus;
  readonly retryable: boolean;
  /** Meta's numeric code (190, 131026, …), null when the answer was not a Graph error. */
  readonly metaCode: number | null;
  readonly metaSubcode: number | null;
  readonly metaType: string | null;
  readonly fbtraceId: string | null;
  /** The HTTP status Meta answered with. */
  readonly httpStatus: number;
  /** Meta's message without the "(#code)" prefix: what error_title shows operators. */
  readonly title: string;
  /** Meta's `error_data.details`, when given. */
  readonly metaDetails: string | null;

  constructor(httpStatus: number, meta: MetaError | null) {
    const metaMessage = meta?.message ?? `HTTP ${httpStatus}`;
    const metaCode = typeof meta?.code === 'number' ? meta.code : null;
    const tokenRejected = metaCode === TOKEN_CODE || (metaCode === null && httpStatus === 401);
    const rateLimited = isRateLimit(httpStatus, metaCode);
    super(
      tokenRejected
        ? `WhatsApp rejected the access token (WA_ACCESS_TOKEN): ${metaMessage}`
        : rateLimited
          ? `WhatsApp is rate limiting this number; try again shortly: ${metaMessage}`
          : `WhatsApp answered with an error: ${metaMessage}`,
      {
        meta_code: metaCode,
        meta_subcode: meta?.error_subcode ?? null,
        meta_type: meta?.type ?? null,
        fbtrace_id: meta?.fbtrace_id ?? null,
      },
    );
    this.code = tokenRejected
      ? 'whatsapp_auth_failed'
      : rateLimited
        ? 'whatsapp_rate_limited'
        : 'whatsapp_error';
    this.status = rateLimited ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_GATEWAY;
    this.retryable = isRetryableGraphError(httpStatus, metaCode, meta?.is_transient === true);
    this.metaCode = metaCode;
    this.metaSubcode = meta?.error_subcode ?? null;
    this.metaType = meta?.type ?? null;
    this.fbtraceId = meta?.fbtrace_id ?? null;
    this.httpStatus = httpStatus;
    this.title = metaTitle(metaMessage);
    this.metaDetails = meta?.error_data?.details ?? null;
  }
}

/** Meta did not answer within WA_API_TIMEOUT_MS (it may still have acted on the request). */
export class GraphApiTimeoutError extends DomainError {
  readonly code = 'whatsapp_timeout';
  readonly status = HttpStatus.GATEWAY_TIMEOUT;
  readonly retryable = true;

  constructor(timeoutMs: number) {
    super(`WhatsApp did not answer within ${timeoutMs} ms (WA_API_TIMEOUT_MS); try again shortly`);
  }
}

/** No answer at all: DNS, refused or reset connection, TLS failure. */
export class GraphApiUnreachableError extends DomainError {
  readonly code = 'whatsapp_unreachable';
  readonly status = HttpStatus.BAD_GATEWAY;
  readonly retryable = true;

  constructor(reason: string) {
    super(`WhatsApp's Graph API could not be reached (WA_API_BASE_URL): ${reason}`);
  }
}

/** The workspace has no usable WhatsApp number: names what is missing. */
export class WhatsappNotConfiguredError extends DomainError {
  readonly code = 'whatsapp_not_configured';
  readonly status = HttpStatus.SERVICE_UNAVAILABLE;
  readonly retryable = false;
}
