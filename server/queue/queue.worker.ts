import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { Env } from '../config/env.js';
import { retryDelayMs } from './backoff.js';
import {
  describeError,
  isRetryable,
  RetryJobLater,
  type ClaimedJob,
  type JobCommit,
  type JobHandler,
} from './job-handler.js';
import { JOBS_CHANNEL, QueueService } from './queue.service.js';

interface JobRow {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
}

/** Finished jobs are kept this long (dedupe keys stay effective), then deleted. */
const RETENTION_DAYS = 30;
const PRUNE_EVERY_MS = 60 * 60 * 1000;
/** How long shutdown waits for running jobs before leaving them to their lease. */
const DRAIN_TIMEOUT_MS = 20_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs due jobs in this instance (docs/queue.md):
 * - claims them with `FOR UPDATE SKIP LOCKED`, so instances never run the same job at once,
 *   and leases them (`locked_until`), renewing the lease while they run;
 * - is woken by NOTIFY when a job is enqueued, and polls as a fallback (and for retries);
 * - commits a job's effect and its completion in one transaction, fenced by the lease;
 * - on shutdown stops claiming and lets running jobs finish.
 */
@Injectable()
export class QueueWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Queue');
  private readonly workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly retryBaseMs: number;
  private readonly leaseMs: number;
  private readonly databaseUrl: string;
  private readonly running = new Map<string, Promise<void>>();
  private readonly wakeTimers = new Set<NodeJS.Timeout>();
  private pollTimer?: NodeJS.Timeout;
  private heartbeatTimer?: NodeJS.Timeout;
  private listener?: pg.Client;
  private started = false;
  private stopping = false;
  private claiming = false;
  private claimAgain = false;
  private lastPrune = 0;

  constructor(
    config: ConfigService<Env, true>,
    private readonly queue: QueueService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.concurrency = config.get('QUEUE_CONCURRENCY', { infer: true });
    this.pollMs = config.get('QUEUE_POLL_INTERVAL_MS', { infer: true });
    this.retryBaseMs = config.get('QUEUE_RETRY_BASE_MS', { infer: true });
    this.leaseMs = config.get('QUEUE_LEASE_MS', { infer: true });
    this.databaseUrl = config.get('DATABASE_URL', { infer: true }) ?? '';
  }

  onApplicationBootstrap(): void {
    if (this.concurrency === 0 || this.queue.registeredTypes().length === 0) return;
    this.started = true;
    this.pollTimer = setInterval(() => this.wake(), this.pollMs);
    this.heartbeatTimer = setInterval(
      () => void this.renewLeases(),
      Math.max(500, Math.floor(this.leaseMs / 3)),
    );
    void this.listen();
    this.wake();
  }

  /**
   * Stops claiming, then waits for running jobs (bounded): each either commits its outcome
   * or, past the bound, is left to its lease and retried by another instance.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.started) return;
    this.stopping = true;
    clearInterval(this.pollTimer);
    for (const timer of this.wakeTimers) clearTimeout(timer);
    this.wakeTimers.clear();
    // A claim in progress ends quickly; its jobs then count as running.
    while (this.claiming) await sleep(10);
    // Leases keep being renewed while running jobs finish.
    const drained = Promise.allSettled([...this.running.values()]);
    const timeout = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), DRAIN_TIMEOUT_MS).unref(),
    );
    if ((await Promise.race([drained, timeout])) === 'timeout') {
      this.logger.warn(
        `Shutting down with ${this.running.size} job(s) still running; their leases will expire`,
      );
    }
    clearInterval(this.heartbeatTimer);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  /** Looks for due jobs now (coalesces concurrent calls). */
  private wake(): void {
    if (this.stopping) return;
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    void this.claimAndRun();
  }

  private wakeIn(delayMs: number): void {
    if (this.stopping) return;
    const timer = setTimeout(() => {
      this.wakeTimers.delete(timer);
      this.wake();
    }, delayMs);
    this.wakeTimers.add(timer);
  }

  private async claimAndRun(): Promise<void> {
    this.claiming = true;
    try {
      do {
        this.claimAgain = false;
        const free = this.concurrency - this.running.size;
        if (free <= 0 || this.stopping) break;
        const jobs = await this.claim(free);
        for (const job of jobs) {
          const run = this.execute(job).finally(() => {
            this.running.delete(job.id);
            this.wake();
          });
          this.running.set(job.id, run);
        }
        if (jobs.length === free) this.claimAgain = true;
      } while (this.claimAgain && !this.stopping);
      await this.pruneIfDue();
    } catch (err) {
      if (!this.stopping) this.logger.warn(`Could not claim jobs: ${describeError(err)}`);
    } finally {
      this.claiming = false;
    }
  }

  /**
   * Due queued jobs, and running jobs whose lease expired (their instance died), oldest
   * first. `attempts` counts the run now starting, so a job that keeps killing its instance
   * still reaches max_attempts.
   */
  private async claim(limit: number): Promise<ClaimedJob[]> {
    const rows = await this.dataSource.query<[JobRow[], number] | JobRow[]>(
      `WITH next AS (
         SELECT id FROM jobs
          WHERE type = ANY($1::text[])
            AND ((status = 'queued' AND run_at <= now()) OR (status = 'running' AND locked_until < now()))
          ORDER BY run_at, id
          LIMIT $2
          FOR UPDATE SKIP LOCKED)
       UPDATE jobs j
          SET status = 'running', locked_by = $3, attempts = j.attempts + 1, updated_at = now(),
              locked_until = now() + make_interval(secs => $4::float8 / 1000)
         FROM next WHERE j.id = next.id
       RETURNING j.id, j.type, j.payload, j.attempts, j.max_attempts`,
      [this.queue.registeredTypes(), limit, this.workerId, this.leaseMs],
    );
    // TypeORM returns [rows, count] for UPDATE … RETURNING on PostgreSQL.
    const list = (Array.isArray(rows[0]) ? rows[0] : rows) as JobRow[];
    return list.map((r) => ({
      id: String(r.id),
      type: r.type,
      payload: r.payload,
      attempts: r.attempts,
      maxAttempts: r.max_attempts,
    }));
  }

  private async execute(job: ClaimedJob): Promise<void> {
    const handler = this.queue.handlerFor(job.type);
    if (!handler) return; // cannot happen: only registered types are claimed
    if (job.attempts > job.maxAttempts) {
      await this.fail(
        job,
        handler,
        new Error(`Gave up after ${job.maxAttempts} attempts (the last one never finished)`),
      );
      return;
    }
    let commit: JobCommit | void;
    try {
      commit = await handler.run(job);
    } catch (err) {
      await this.afterError(job, handler, err);
      return;
    }
    await this.complete(job, commit);
  }

  private async afterError(
    job: ClaimedJob,
    handler: JobHandler<unknown>,
    err: unknown,
  ): Promise<void> {
    if (err instanceof RetryJobLater && !err.countsAsAttempt) {
      await this.reschedule(job, err.delayMs, -1, null);
      return;
    }
    if (isRetryable(err) && job.attempts < job.maxAttempts) {
      const delay =
        err instanceof RetryJobLater ? err.delayMs : retryDelayMs(job.attempts, this.retryBaseMs);
      this.logger.warn(
        `Job ${job.id} (${job.type}) attempt ${job.attempts}/${job.maxAttempts} failed, retrying in ${delay} ms: ${describeError(err)}`,
      );
      await this.reschedule(job, delay, 0, describeError(err));
      return;
    }
    await this.fail(job, handler, err);
  }

  /**
   * Marks the job done and commits the handler's writes in one transaction. The update is
   * fenced by our lease: if another instance took the job over (our lease expired), nothing
   * is committed. A failed commit is retried briefly — giving up leaves the job to its lease.
   */
  private async complete(job: ClaimedJob, commit: JobCommit | void): Promise<void> {
    await this.withRetries(job, 'complete', async () => {
      await this.dataSource.transaction(async (manager) => {
        const owned = await manager.query<[unknown[], number]>(
          `UPDATE jobs SET status = 'done', finished_at = now(), updated_at = now(), last_error = NULL,
                  locked_by = NULL, locked_until = NULL
            WHERE id = $1 AND locked_by = $2 AND status = 'running'
          RETURNING id`,
          [job.id, this.workerId],
        );
        if (owned[1] === 0) throw new LeaseLost(job);
        if (commit) await commit(manager);
      });
    });
  }

  private async fail(job: ClaimedJob, handler: JobHandler<unknown>, err: unknown): Promise<void> {
    this.logger.warn(
      `Job ${job.id} (${job.type}) failed after ${job.attempts} attempt(s): ${describeError(err)}`,
    );
    await this.withRetries(job, 'fail', async () => {
      await this.dataSource.transaction(async (manager) => {
        const owned = await manager.query<[unknown[], number]>(
          `UPDATE jobs SET status = 'failed', finished_at = now(), updated_at = now(), last_error = $3,
                  locked_by = NULL, locked_until = NULL
            WHERE id = $1 AND locked_by = $2 AND status = 'running'
          RETURNING id`,
          [job.id, this.workerId, describeError(err)],
        );
        if (owned[1] === 0) throw new LeaseLost(job);
        await handler.onFailed?.(manager, job, err);
      });
    });
  }

  private async reschedule(
    job: ClaimedJob,
    delayMs: number,
    attemptsDelta: number,
    lastError: string | null,
  ): Promise<void> {
    await this.withRetries(job, 'reschedule', async () => {
      await this.dataSource.query(
        `UPDATE jobs SET status = 'queued', locked_by = NULL, locked_until = NULL, updated_at = now(),
                run_at = now() + make_interval(secs => $3::float8 / 1000),
                attempts = attempts + $4, last_error = coalesce($5, last_error)
          WHERE id = $1 AND locked_by = $2 AND status = 'running'`,
        [job.id, this.workerId, delayMs, attemptsDelta, lastError],
      );
    });
    this.wakeIn(delayMs);
  }

  private async withRetries(
    job: ClaimedJob,
    what: string,
    work: () => Promise<void>,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await work();
        return;
      } catch (err) {
        if (err instanceof LeaseLost) {
          this.logger.warn(
            `Job ${job.id} (${job.type}): lease lost before ${what}; another instance owns it now`,
          );
          return;
        }
        if (attempt >= 5) {
          this.logger.error(
            `Job ${job.id} (${job.type}): could not ${what}, leaving it to its lease: ${describeError(err)}`,
          );
          return;
        }
        await sleep(200 * attempt);
      }
    }
  }

  private async renewLeases(): Promise<void> {
    if (this.running.size === 0) return;
    try {
      await this.dataSource.query(
        `UPDATE jobs SET locked_until = now() + make_interval(secs => $3::float8 / 1000)
          WHERE id = ANY($1::bigint[]) AND locked_by = $2 AND status = 'running'`,
        [[...this.running.keys()], this.workerId, this.leaseMs],
      );
    } catch (err) {
      this.logger.warn(`Could not renew job leases: ${describeError(err)}`);
    }
  }

  private async pruneIfDue(): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = Date.now();
    await this.dataSource.query(
      `DELETE FROM jobs WHERE id IN (
         SELECT id FROM jobs WHERE finished_at < now() - make_interval(days => $1) LIMIT 10000)`,
      [RETENTION_DAYS],
    );
  }

  /**
   * A dedicated connection LISTENs for new jobs, so a send leaves within milliseconds of its
   * commit instead of at the next poll. If it drops, polling carries on and it reconnects.
   */
  private async listen(): Promise<void> {
    if (this.stopping || !this.databaseUrl) return;
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      keepAlive: true,
      application_name: 'no-lose-queue',
    });
    const retry = (): void => {
      if (this.listener === client) this.listener = undefined;
      client.removeAllListeners();
      void client.end().catch(() => undefined);
      if (!this.stopping) setTimeout(() => void this.listen(), 1000).unref();
    };
    client.on('error', retry);
    client.on('end', retry);
    client.on('notification', (n) => {
      if (n.channel === JOBS_CHANNEL) this.wake();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${JOBS_CHANNEL}`);
      if (this.stopping) {
        await client.end();
        return;
      }
      this.listener = client;
      // Jobs enqueued while we were connecting.
      this.wake();
    } catch (err) {
      if (!this.stopping) {
        this.logger.warn(`Queue listener could not connect: ${describeError(err)}`);
      }
      retry();
    }
  }
}

class LeaseLost extends Error {
  constructor(job: ClaimedJob) {
    super(`Lease on job ${job.id} lost`);
  }
}
