/** Longest wait between two attempts at a failing feed. */
export const MAX_BACKOFF_MS = 6 * 3_600_000;

/**
 * Doubles the wait with each consecutive failure, from one interval up to six hours
 * (or the interval itself when that is longer), and never sooner than the server's Retry-After.
 */
export function backoffDelay(failures: number, intervalMs: number, retryAfterMs = 0): number {
  const exponential = intervalMs * 2 ** Math.min(Math.max(failures - 1, 0), 20);
  return Math.max(Math.min(exponential, Math.max(MAX_BACKOFF_MS, intervalMs)), retryAfterMs);
}
