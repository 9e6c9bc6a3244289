import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error.js';

/** X-Hub-Signature-256 missing or not Meta's HMAC of the body: nothing is stored. */
export class InvalidSignatureError extends DomainError {
  readonly code = 'invalid_signature';
  readonly status = HttpStatus.UNAUTHORIZED;
}

/** The verification handshake lacks hub.mode, hub.verify_token or hub.challenge. */
export class VerificationParamsMissingError extends DomainError {
  readonly code = 'verification_params_missing';
  readonly status = HttpStatus.BAD_REQUEST;
}

/** The handshake's mode is not "subscribe" or its token is not ours. */
export class VerificationFailedError extends DomainError {
  readonly code = 'verification_failed';
  readonly status = HttpStatus.FORBIDDEN;
}

/** The body was not sent as JSON (no application/json body to verify and parse). */
export class NotJsonBodyError extends DomainError {
  readonly code = 'not_json';
  readonly status = HttpStatus.BAD_REQUEST;
}

/**
 * Concurrent deliveries kept colliding (deadlocks, serialization failures) after retries.
 * Meta retries on anything but 200, so answering 503 loses nothing.
 */
export class WebhookBusyError extends DomainError {
  readonly code = 'retry_later';
  readonly status = HttpStatus.SERVICE_UNAVAILABLE;
}
