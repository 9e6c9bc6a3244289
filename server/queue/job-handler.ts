import type { EntityManager } from 'typeorm';

/** A job as its handler sees it, after this instance claimed it. */
export interface ClaimedJob<P = Record<string, unknown>> {
  id: string;
  type: string;
  payload: P;
  /** Runs started so far, this one included (1 on the first run). */
  attempts: number;
  maxAttempts: number;
}

/** Writes committed in the same transaction that marks the job done (or failed). */
export type JobCommit = (manager: EntityManager) => Promise<void>;

/**
 * Runs one type of job. Handlers register themselves with QueueService.register() in
 * onModuleInit. What a handler returns from run() is committed atomically with the job's
 * completion: a crash can never leave the effect recorded and the job still due, or the
 * other way round (docs/queue.md).
 *
 * run() throws to report failure. An error with `retryable: false` (GraphApiError and
 * friends carry it) fails the job at once; anything else is retried with exponential
 * back-off until `maxAttempts`, then fails the job. onFailed() then records the outcome.
 */
export interface JobHandler<P = Record<string, unknown>> {
  readonly type: string;
  run(job: ClaimedJob<P>): Promise<JobCommit | void>;
  onFailed?(manager: EntityManager, job: ClaimedJob<P>, error: unknown): Promise<void>;
}

/**
 * "Not now": reschedules the job after `delayMs`. When `countsAsAttempt` is false (the
 * default, e.g. waiting for a rate-limit token) the run is not counted against maxAttempts.
 */
export class RetryJobLater extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
    readonly countsAsAttempt = false,
  ) {
    super(message);
    this.name = 'RetryJobLater';
  }
}

/** Errors decide for themselves through a `retryable` flag; unknown errors are retried. */
export function isRetryable(err: unknown): boolean {
  const flag = (err as { retryable?: unknown } | null)?.retryable;
  return typeof flag === 'boolean' ? flag : true;
}

/** A short, log- and column-friendly description of an error. */
export function describeError(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.length > 1000 ? `${text.slice(0, 997)}...` : text;
}
