import type { Quote } from './schema.ts';

/**
 * A random quote, never the one shown last in the same place when there is any other
 * to show: a member asking twice wants something new, not the dice's honesty.
 */
export function pickQuote(candidates: readonly Quote[], lastId: string | undefined, random: () => number = Math.random): Quote | undefined {
  const pool = candidates.length > 1 ? candidates.filter((quote) => quote.id !== lastId) : candidates;
  if (pool.length === 0) return undefined;
  return pool[Math.min(pool.length - 1, Math.floor(random() * pool.length))];
}
