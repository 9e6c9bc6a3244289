import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export const JOB_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * A unit of background work (send a message, mark one read, download a media file),
 * inserted in the same transaction as the row it works for — a transactional outbox, so a
 * job exists exactly when its message does. `locked_by`/`locked_until` are the lease of the
 * instance running it; `dedupe_key` makes enqueueing the same work twice a no-op.
 * See docs/queue.md.
 */
@Entity('jobs')
export class Job {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT', type: 'bigint' })
  id: string;

  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'jsonb', default: {} })
  payload: Record<string, unknown>;

  @Column({ type: 'text', default: 'queued' })
  status: JobStatus;

  /** Not before this time (retries wait here). */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  runAt: Date;

  /** Runs started so far, the current one included. */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'integer', default: 10 })
  maxAttempts: number;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'text', nullable: true })
  lockedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @Column({ type: 'text', nullable: true, unique: true })
  dedupeKey: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}
