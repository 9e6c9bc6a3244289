import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { JobHandler } from './job-handler.js';

/** NOTIFY channel that wakes idle workers of every instance when a job is enqueued. */
export const JOBS_CHANNEL = 'nolose_jobs';

export interface EnqueueOptions {
  /** Enqueueing again with a key already used is a no-op (the first job stands). */
  dedupeKey?: string;
  /** Not before this time (default: now). */
  runAt?: Date;
  /** Runs before the job is given up (default 10). */
  maxAttempts?: number;
}

/**
 * Owner of the `jobs` table: the durable queue. Producers enqueue inside their own
 * transaction (the outbox pattern), handlers register by type, and QueueWorker runs them.
 * See docs/queue.md.
 */
@Injectable()
export class QueueService {
  private readonly handlers = new Map<string, JobHandler<unknown>>();

  /** Called by each handler in onModuleInit; one handler per type. */
  register<P>(handler: JobHandler<P>): void {
    if (this.handlers.has(handler.type)) {
      throw new Error(`A handler for job type "${handler.type}" is already registered`);
    }
    this.handlers.set(handler.type, handler);
  }

  handlerFor(type: string): JobHandler<unknown> | undefined {
    return this.handlers.get(type);
  }

  registeredTypes(): string[] {
    return [...this.handlers.keys()];
  }

  /**
   * Adds a job inside the caller's transaction: it commits, or rolls back, with the data it
   * works for. Returns the job id, or null when `dedupeKey` was already used. Workers are
   * woken when the transaction commits (NOTIFY is transactional), not before.
   */
  async enqueue(
    manager: EntityManager,
    type: string,
    payload: object,
    options: EnqueueOptions = {},
  ): Promise<string | null> {
    const rows = await manager.query<{ id: string }[]>(
      `INSERT INTO jobs (type, payload, run_at, max_attempts, dedupe_key)
       VALUES ($1, $2, coalesce($3, now()), $4, $5)
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id`,
      [
        type,
        JSON.stringify(payload),
        options.runAt ?? null,
        options.maxAttempts ?? 10,
        options.dedupeKey ?? null,
      ],
    );
    if (rows.length === 0) return null;
    if (!options.runAt || options.runAt.getTime() <= Date.now()) {
      await manager.query(`SELECT pg_notify($1, $2)`, [JOBS_CHANNEL, type]);
    }
    return rows[0].id;
  }
}
