import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const MESSAGE_STATUSES = [
  'received',
  'pending',
  'sent',
  'delivered',
  'read',
  'failed',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/**
 * One WhatsApp message, inbound (from a customer, status `received`) or outbound (from
 * an operator: pending → sent → delivered → read, or failed). `wa_message_id` is Meta's
 * wamid, unique within the workspace — the key that makes webhook redelivery harmless.
 * `raw_data` keeps Meta's message object as received.
 */
@Entity('messages')
export class Message {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ type: 'integer' })
  workspaceId: number;

  /** Null only for an outbound message Meta has not accepted yet. */
  @Column({ type: 'text', nullable: true })
  waMessageId: string | null;

  @Column({ type: 'integer' })
  contactId: number;

  @Column({ type: 'integer' })
  conversationId: number;

  @Column({ type: 'text' })
  messageType: string;

  @Column({ type: 'text', nullable: true })
  content: string | null;

  @Column({ type: 'text', nullable: true })
  mediaUrl: string | null;

  @Column({ type: 'text', nullable: true })
  mediaId: string | null;

  @Column({ type: 'boolean', default: false })
  isOutbound: boolean;

  @Column({ type: 'text' })
  status: MessageStatus;

  /** When the message was sent, by Meta's clock for inbound messages. */
  @Column({ type: 'timestamptz' })
  timestamp: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'jsonb', nullable: true })
  rawData: unknown;

  /** MIME type of the media as Meta reported it ("image/jpeg", "audio/ogg; codecs=opus"). */
  @Column({ type: 'text', nullable: true })
  mimeType: string | null;

  /** Base64 SHA-256 of the media file as Meta reported it (checked by the media fetcher). */
  @Column({ type: 'text', nullable: true })
  sha256: string | null;

  /** File name of a document. */
  @Column({ type: 'text', nullable: true })
  fileName: string | null;

  /** State of the media download (issue 4); null until the fetcher looks at the message. */
  @Column({ type: 'text', nullable: true })
  mediaStatus: string | null;

  /** The teammate who sent an outbound message; null for inbound ones. */
  @Column({ type: 'integer', nullable: true })
  sentByUserId: number | null;

  /** wamid this message replies to (`context.id`) or reacts to (`reaction.message_id`). */
  @Column({ type: 'text', nullable: true })
  replyToWaMessageId: string | null;

  /** Meta marked the message forwarded (or frequently forwarded). */
  @Column({ type: 'boolean', default: false })
  forwarded: boolean;

  /** Click-to-WhatsApp ad or post the customer came from (Meta's `referral` object). */
  @Column({ type: 'jsonb', nullable: true })
  referral: unknown;

  /** Meta's error code: a failed delivery, or an inbound message type Meta cannot show. */
  @Column({ type: 'integer', nullable: true })
  errorCode: number | null;

  @Column({ type: 'text', nullable: true })
  errorTitle: string | null;

  @Column({ type: 'text', nullable: true })
  errorDetails: string | null;
}
