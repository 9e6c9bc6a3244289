import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A thread with one contact. A contact has at most one open (is_active) conversation —
 * a partial unique index enforces it; an inbound message joins it or opens a new one.
 */
@Entity('conversations')
export class Conversation {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ type: 'integer' })
  workspaceId: number;

  @Column({ type: 'integer' })
  contactId: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  startedAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  lastMessageAt: Date;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;

  /**
   * Read watermark: inbound messages with a larger id are unread. A plain integer, not a
   * foreign key — it marks a position in the conversation, and only moves forward.
   */
  @Column({ type: 'integer', nullable: true })
  lastReadMessageId: number | null;

  /** The teammate handling it (a member of the workspace), or null. */
  @Column({ type: 'integer', nullable: true })
  assigneeId: number | null;
}
