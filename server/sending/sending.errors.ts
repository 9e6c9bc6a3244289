import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error.js';

/**
 * WhatsApp's customer service window: free-form messages only within 24 hours of the
 * customer's last message; after that, only an approved template (Meta's error 131047).
 * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-messages#customer-service-windows
 */
export class WindowClosedError extends DomainError {
  readonly code = 'window_closed';
  readonly status = HttpStatus.UNPROCESSABLE_ENTITY;

  constructor(lastInboundAt: Date | null) {
    super(
      lastInboundAt
        ? "The customer's last message is more than 24 hours old, so WhatsApp only allows a template now: send one with {template: {name, language}}"
        : 'The customer has not written yet, so WhatsApp only allows a template: send one with {template: {name, language}}',
      { last_inbound_at: lastInboundAt?.toISOString() ?? null },
    );
  }
}
