/**
 * PostgreSQL aborted the transaction because it collided with a concurrent one: a deadlock
 * (40P01) or a serialization failure (40001). Its effects were rolled back, so running it
 * again is safe; it is the request's fault no more than the other transaction's.
 */
const COLLISION_CODES = new Set(['40P01', '40001']);

export function isCollision(err: unknown): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.code ?? e?.driverError?.code;
  return typeof code === 'string' && COLLISION_CODES.has(code);
}

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
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}
