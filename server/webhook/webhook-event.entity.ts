import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const WEBHOOK_OUTCOMES = ['processed', 'unknown_number', 'ignored', 'failed'] as const;
/**
 * - processed: routed to a workspace and ingested (item-level problems, if any, in `error`);
 * - unknown_number: no workspace has the `metadata.phone_number_id`;
 * - ignored: not a WhatsApp Business Account notification we derive anything from;
 * - failed: ingestion threw; nothing derived, the raw event waits for a replay.
 */
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];

/**
 * One accepted POST /api/webhook, kept raw (the exact bytes Meta signed and the parsed JSON)
 * in the same transaction as everything derived from it, so any event can be inspected and
 * re-processed (`npm run webhooks:replay`). Requests with a bad signature are not kept.
 */
@Entity('webhook_events')
export class WebhookEvent {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT', type: 'bigint' })
  id: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  /** The request body exactly as received (what the signature covers). */
  @Column({ type: 'bytea', nullable: true })
  rawBody: Buffer | null;

  /** The parsed body (NUL characters and lone surrogates replaced: jsonb refuses them). */
  @Column({ type: 'jsonb', nullable: true })
  payload: unknown;

  /** true: signature checked; null: accepted unsigned (no app secret, development only). */
  @Column({ type: 'boolean', nullable: true })
  signatureValid: boolean | null;

  @Column({ type: 'text' })
  outcome: WebhookOutcome;

  /** What could not be used (unknown numbers, malformed items) or why processing failed. */
  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ type: 'integer', default: 0 })
  messagesStored: number;

  @Column({ type: 'integer', default: 0 })
  statusesStored: number;

  @Column({ type: 'integer', default: 0 })
  replayCount: number;

  @Column({ type: 'timestamptz', nullable: true })
  replayedAt: Date | null;
}
