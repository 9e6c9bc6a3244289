import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One delivery status Meta reported for an outbound message (sent, delivered, read, played,
 * failed, deleted, or anything newer), kept as history. Unique per (wamid, status, Meta
 * timestamp), so redeliveries add nothing. A status may arrive before its message is
 * known; it is applied when the message appears (InboxIngestService.applyPendingStatuses).
 */
@Entity('message_status_events')
export class MessageStatusEvent {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT', type: 'bigint' })
  id: string;

  @Column({ type: 'integer' })
  workspaceId: number;

  @Column({ type: 'text' })
  waMessageId: string;

  /** Meta's status as sent, lower-cased. */
  @Column({ type: 'text' })
  status: string;

  /** Meta's clock. */
  @Column({ type: 'timestamptz' })
  timestamp: Date;

  @Column({ type: 'text', nullable: true })
  recipientId: string | null;

  @Column({ type: 'text', nullable: true })
  recipientUserId: string | null;

  @Column({ type: 'integer', nullable: true })
  errorCode: number | null;

  @Column({ type: 'text', nullable: true })
  errorTitle: string | null;

  @Column({ type: 'text', nullable: true })
  errorDetails: string | null;

  @Column({ type: 'jsonb', nullable: true })
  rawData: unknown;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
