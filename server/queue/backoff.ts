/** Longest wait between two attempts of a job. */
export const MAX_RETRY_DELAY_MS = 5 * 60 * 1000;

/**
 * Delay before retry number `attempt` (1 after the first failure): exponential from
 * `baseMs`, capped, with "equal jitter" — half fixed, half random — so that jobs which
 * failed together (a burst hitting Meta's rate limit) do not all come back together, and
 * yet none retries sooner than half its step.
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function retryDelayMs(
  attempt: number,
  baseMs: number,
  random: () => number = Math.random,
  maxMs = MAX_RETRY_DELAY_MS,
): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}
