/** Turns whatever a poll threw into one sentence a moderator can act on. */
export function describeFailure(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'The feed could not be read for an unknown reason.';
}

/** The server's Retry-After, when the fetch error carried one. */
export function retryAfterMs(error: unknown): number {
  const seconds = (error as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) ? seconds * 1000 : 0;
}
