import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { isCollision } from '../../database/collisions.js';
import { DomainError } from './domain-error.js';
import { InputValidationException } from './validation.js';

interface ErrorBody {
  status_code: number;
  error: string;
  message: string;
  code?: string;
  errors?: { field: string; message: string }[];
  [extra: string]: unknown;
}

// Connection-level failures of PostgreSQL (and of the pool reaching it): the request
// could not be served now but may succeed later, so 503 — Meta retries webhooks on it.
const DB_UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
const DB_UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection terminated unexpectedly',
  'Cannot use a pool after calling end',
];

// PostgreSQL refusing a text parameter it cannot store (a NUL byte, a lone surrogate in
// jsonb): the input's fault, so a 422 rather than a 500. Webhooks never get here: their
// payloads are made storable first (database/pg-safe-json.ts).
const UNSTORABLE_TEXT_CODES = new Set(['22021', '22P05']);

export function isUnstorableText(err: unknown): boolean {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code !== 'string') return false;
  // jsonb refusing a lone surrogate escape ("\ud800") is 22P02 on a JSON value.
  const badJson = code === '22P02' && typeof message === 'string' && message.includes('type json');
  return UNSTORABLE_TEXT_CODES.has(code) || badJson;
}

export function isDatabaseUnavailable(err: unknown): boolean {
  // Duck-typed, not `instanceof Error`: socket errors (ECONNREFUSED…) are created by Node's
  // core and fail `instanceof` in another realm (Jest's VM modules, for one).
  if (typeof err !== 'object' || err === null) return false;
  const { code, message, driverError } = err as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
  };
  if (typeof code === 'string' && DB_UNAVAILABLE_CODES.has(code)) return true;
  if (typeof message === 'string' && DB_UNAVAILABLE_MESSAGES.some((m) => message.includes(m))) {
    return true;
  }
  return driverError !== undefined && driverError !== err && isDatabaseUnavailable(driverError);
}

/** Body-parser failures carry `type`; map them to clear 4xx answers. */
function bodyParserError(err: unknown): ErrorBody | undefined {
  const type = (err as { type?: unknown } | null)?.type;
  switch (type) {
    case 'entity.parse.failed':
      return body(400, `Request body is not valid JSON: ${(err as Error).message}`);
    case 'entity.too.large':
      return body(413, 'Request body is too large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return body(415, 'Unsupported content encoding or charset');
    case 'request.aborted':
      return body(400, 'Request aborted by the client');
    default:
      return undefined;
  }
}

function body(status: number, message: string, extra: Partial<ErrorBody> = {}): ErrorBody {
  return { status_code: status, error: STATUS_CODES[status] ?? 'Error', message, ...extra };
}

function fromHttpException(err: HttpException): ErrorBody {
  const status = err.getStatus();
  if (err instanceof InputValidationException) {
    return body(status, err.message, { errors: err.fieldErrors });
  }
  const res = err.getResponse();
  if (typeof res === 'string') return body(status, res);
  const r = res as { message?: unknown; code?: unknown };
  const message = Array.isArray(r.message)
    ? r.message.join('; ')
    : typeof r.message === 'string'
      ? r.message
      : err.message;
  return body(status, message, typeof r.code === 'string' ? { code: r.code } : {});
}

/**
 * The one exception filter: known errors become their status with the shared body;
 * anything else is logged once and answered 500 without internals.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(err: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const out = this.toBody(err, req);
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(out.status_code).json(out);
  }

  private toBody(err: unknown, req: Request): ErrorBody {
    // Nest wraps body-parser failures in an HttpException; the original is the cause.
    const parsed =
      bodyParserError(err) ??
      (err instanceof HttpException ? bodyParserError(err.cause) : undefined);
    if (parsed) {
      // Refused before any route, so before the request logger: this is its only line (a
      // webhook refused as too large would otherwise leave no trace but Meta's retries).
      this.logger.warn(
        { method: req.method, path: req.path, status: parsed.status_code },
        `Request body refused (${parsed.status_code}) for ${req.method} ${req.path}: ${parsed.message}`,
      );
      return parsed;
    }
    if (err instanceof HttpException) return fromHttpException(err);
    if (err instanceof DomainError) {
      return body(err.status, err.message, { code: err.code, ...err.details });
    }
    if (isUnstorableText(err)) {
      return body(
        HttpStatus.UNPROCESSABLE_ENTITY,
        'The input contains characters that cannot be stored (such as NUL)',
        { code: 'invalid_characters' },
      );
    }
    if (isDatabaseUnavailable(err)) {
      this.logger.warn(
        `Database unavailable during ${req.method} ${req.path}: ${(err as Error).message}`,
      );
      return body(
        HttpStatus.SERVICE_UNAVAILABLE,
        'The database is unavailable; try again shortly',
        {
          code: 'database_unavailable',
        },
      );
    }
    if (isCollision(err)) {
      // A deadlock or serialization failure its own retries (if any) did not get past.
      this.logger.warn(
        `Transaction collided with a concurrent one during ${req.method} ${req.path}: ${(err as Error).message}`,
      );
      return body(
        HttpStatus.SERVICE_UNAVAILABLE,
        'The request collided with concurrent changes; try again',
        { code: 'concurrent_update' },
      );
    }
    this.logger.error(
      { err, method: req.method, path: req.path },
      `Unhandled error during ${req.method} ${req.path}`,
    );
    return body(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
  }
}
