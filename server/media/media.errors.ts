import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error.js';

/** Meta deleted the file before we could download it. */
export class MediaExpiredError extends DomainError {
  readonly code = 'media_expired';
  readonly status = HttpStatus.GONE;

  constructor() {
    super(
      'WhatsApp no longer has this media: it expired before No Lose could download it. Ask the customer to send it again.',
    );
  }
}

/** The download is queued or running. */
export class MediaNotReadyError extends DomainError {
  readonly code = 'media_not_ready';
  readonly status = HttpStatus.CONFLICT;

  constructor() {
    super('The media is still being downloaded from WhatsApp; try again in a few seconds', {
      retry_after_seconds: 2,
    });
  }
}

/** Every download attempt failed (Meta errors, checksum mismatches). */
export class MediaDownloadFailedError extends DomainError {
  readonly code = 'media_download_failed';
  readonly status = HttpStatus.BAD_GATEWAY;

  constructor() {
    super('Downloading this media from WhatsApp kept failing; it is not available');
  }
}

/** Meta's file did not match the digest it announced: try the download again. */
export class MediaChecksumError extends Error {
  readonly retryable = true;

  constructor(expected: string, actual: string) {
    super(`Downloaded media does not match its sha256 (expected ${expected}, got ${actual})`);
    this.name = 'MediaChecksumError';
  }
}
