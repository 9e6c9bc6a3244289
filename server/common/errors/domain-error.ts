import { HttpStatus } from '@nestjs/common';

/**
 * Base of typed domain and integration failures. `code` is stable for clients;
 * the status comes from the subclass, so services never think in HTTP.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly status: HttpStatus;
  /** Extra fields merged into the error body (never secrets). */
  readonly details?: Record<string, unknown>;

  constructor(message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}
