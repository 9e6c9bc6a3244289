import type { EventToPublish } from '../events/events.service.js';

/**
 * What the inbox ingests, already normalised from Meta's webhook payload (the webhook
 * module builds these; see server/webhook/meta-notification.ts). Plain data, no Meta shapes
 * beyond the raw objects kept for reference.
 */

/**
 * Who a customer is. Meta identifies users by phone number (`wa_id`) and, since 2026, by a
 * business-scoped user id (BSUID, `user_id`); a user with a username may arrive with the
 * BSUID only. At least one of the two is set.
 */
export interface ContactIdentity {
  waId: string | null;
  userId: string | null;
}

export interface ContactProfile extends ContactIdentity {
  /** WhatsApp profile name; null when Meta sent none (the stored name is kept then). */
  profileName: string | null;
  username: string | null;
}

/** One customer message (`value.messages[]`). */
export interface InboundMessageInput {
  waMessageId: string;
  contact: ContactProfile;
  /** Meta's clock (`timestamp`), or the receive time when Meta's is unreadable. */
  timestamp: Date;
  /** Meta's `type` as sent: text, image, audio, interactive, reaction, unsupported… */
  messageType: string;
  /** Readable text for the inbox: the body, a caption, a place, the chosen reply… */
  content: string | null;
  mediaId: string | null;
  mimeType: string | null;
  sha256: string | null;
  fileName: string | null;
  /** wamid this message replies to (`context.id`) or reacts to (`reaction.message_id`). */
  replyToWaMessageId: string | null;
  forwarded: boolean;
  referral: Record<string, unknown> | null;
  /** Meta's `errors[0]` (unsupported message types carry one). */
  errorCode: number | null;
  errorTitle: string | null;
  errorDetails: string | null;
  /** Meta's message object as received. */
  raw: unknown;
}

/** One delivery status of an outbound message (`value.statuses[]`). */
export interface StatusInput {
  waMessageId: string;
  /** Lower-cased Meta status: sent, delivered, read, played, failed, deleted, or newer. */
  status: string;
  timestamp: Date;
  recipientId: string | null;
  recipientUserId: string | null;
  errorCode: number | null;
  errorTitle: string | null;
  errorDetails: string | null;
  raw: unknown;
}

export interface IngestBatch {
  messages: InboundMessageInput[];
  statuses: StatusInput[];
  /** wamid → id of the WhatsApp number (whatsapp_numbers.id) the message arrived on. */
  numberIds?: Map<string, number>;
}

export interface IngestOptions {
  /**
   * Replay after a parser fix: messages already stored get their parsed fields (type,
   * content, media, context, errors, raw) rewritten from the new parse; identity, status
   * and conversation stay. Live deliveries never rewrite a stored message.
   */
  reparse?: boolean;
  /**
   * Collects the live events instead of publishing them: the caller publishes them later
   * in the same transaction (EventsService.publishAll), with its own last write.
   */
  deferEvents?: EventToPublish[];
}

export interface IngestResult {
  messagesStored: number;
  messagesUpdated: number;
  statusesStored: number;
  /** wamid → message id for every message of the batch that is stored (new or not). */
  messageIds: Map<string, number>;
  /** wamids of the messages this call stored (not those stored before). */
  storedMessages: Set<string>;
  /** statusKey() of every status event this call stored. */
  storedStatuses: Set<string>;
}

/** Identity of one status event: Meta redelivers it with the same wamid, status and time. */
export const statusKey = (waMessageId: string, status: string, timestamp: Date): string =>
  `${waMessageId}\u0000${status}\u0000${timestamp.getTime()}`;
