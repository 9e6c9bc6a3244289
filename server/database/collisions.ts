/**
 * PostgreSQL aborted the transaction because it collided with a concurrent one: a deadlock
 * (40P01) or a serialization failure (40001). Its effects were rolled back, so running it
 * again is safe; it is the request's fault no more than the other transaction's.
 */
const COLLISION_CODES = new Set(['40P01', '40001']);

/** PostgreSQL's SQLSTATE of a pg error, or of the one TypeORM wrapped (`driverError`). */
export function pgErrorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.code ?? e?.driverError?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isCollision(err: unknown): boolean {
  const code = pgErrorCode(err);
  return code !== undefined && COLLISION_CODES.has(code);
}

/** The pause before running a collided transaction again: short, random, growing. */
export const collisionPause = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));

/**
 * Runs `work` (a whole transaction) again when PostgreSQL aborted it for a collision, after
 * a short random pause so the two do not meet again; the last collision is thrown (the
 * exception filter answers it 503).
 */
export async function retryOnCollision<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!isCollision(err) || attempt >= attempts) throw err;
      await collisionPause(attempt);
    }
  }
}
