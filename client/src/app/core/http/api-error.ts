import { HttpErrorResponse } from '@angular/common/http';
import type { WritableSignal } from '@angular/core';

/** One field-level validation failure, as listed in the server's `errors` array. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/**
 * The error body every `/api` route answers with (docs/inbox-api.md):
 * `{status_code, error, message, errors?}`. `code` is set for domain failures such as
 * `window_closed`. Kept loose because a proxy or an older server may answer differently.
 */
interface ServerErrorBody {
  readonly status_code?: unknown;
  readonly error?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly errors?: unknown;
  readonly detail?: unknown;
}

const FALLBACK_MESSAGES: Readonly<Record<number, string>> = {
  0: 'Cannot reach the server. Check your connection and try again.',
  400: 'The request was not accepted.',
  401: 'Please sign in again.',
  403: 'You are not allowed to do that.',
  404: 'Not found.',
  409: 'That conflicts with existing data.',
  410: 'This is no longer available.',
  413: 'That is too large.',
  422: 'Some fields are not valid.',
  429: 'Too many requests. Please wait a moment and try again.',
  502: 'An upstream service failed.',
  503: 'The service is unavailable right now.',
};

/** A failed `/api` call, with the server's own message so pages can show it as is. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    message: string,
    readonly fieldErrors: readonly FieldError[] = [],
    readonly code: string | null = null,
  ) {
    super(message);
  }

  /** Builds an ApiError from whatever HttpClient reported. */
  static fromHttpError(response: HttpErrorResponse): ApiError {
    const body = parseBody(response.error);
    const fieldErrors = readFieldErrors(body?.errors);
    const message =
      readMessage(body?.message) ??
      readMessage(body?.detail) ??
      fieldErrors[0]?.message ??
      FALLBACK_MESSAGES[response.status] ??
      (response.status >= 500 ? 'Something went wrong on the server.' : 'The request failed.');
    const code = typeof body?.code === 'string' ? body.code : null;
    return new ApiError(response.status, message, fieldErrors, code);
  }

  /** Turns anything caught from an HTTP call into an ApiError. */
  static from(error: unknown): ApiError {
    if (error instanceof ApiError) {
      return error;
    }
    if (error instanceof HttpErrorResponse) {
      return ApiError.fromHttpError(error);
    }
    return new ApiError(0, error instanceof Error ? error.message : 'Unexpected error.');
  }

  /** The message for one field, if the server reported one. */
  messageFor(field: string): string | null {
    return this.fieldErrors.find((e) => e.field === field)?.message ?? null;
  }
}

/** Error bodies are JSON objects, but text and blob responses arrive as strings or Blobs. */
function parseBody(raw: unknown): ServerErrorBody | null {
  if (typeof raw === 'string') {
    try {
      const parsed: unknown = JSON.parse(raw);
      return isObject(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }
  return isObject(raw) ? raw : null;
}

function isObject(value: unknown): value is ServerErrorBody {
  return typeof value === 'object' && value !== null && !(value instanceof Blob);
}

/** Nest reports validation messages as a string array when not reshaped; join them. */
function readMessage(value: unknown): string | null {
  if (typeof value === 'string' && value.trim() !== '') {
    return value;
  }
  if (Array.isArray(value)) {
    const parts = value.filter((v): v is string => typeof v === 'string' && v !== '');
    return parts.length > 0 ? parts.join('. ') : null;
  }
  return null;
}

function readFieldErrors(value: unknown): FieldError[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) {
      return [];
    }
    const { field, message } = item as { field?: unknown; message?: unknown };
    return typeof field === 'string' && typeof message === 'string' ? [{ field, message }] : [];
  });
}

/**
 * Runs a page action, clearing `error` first and showing the API's message in it when the
 * action fails (the pages' one error banner).
 */
export async function reportingErrors(
  error: WritableSignal<string | null>,
  work: () => Promise<void>,
): Promise<void> {
  error.set(null);
  try {
    await work();
  } catch (failure: unknown) {
    error.set(ApiError.from(failure).message);
  }
}
