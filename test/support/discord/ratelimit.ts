import { createHash } from 'node:crypto';
import { ApiError } from './http.ts';

export interface RateLimitWindow {
  limit: number;
  windowMs: number;
}

export type RateLimitScope = 'user' | 'global' | 'shared';

export interface BucketDecision {
  allowed: boolean;
  headers: Record<string, string>;
  retryAfterMs: number;
}

interface BucketState {
  count: number;
  resetAt: number;
}

const seconds = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(3);

/** Discord announces buckets by opaque hash; any stable string per route works. */
export function bucketHash(name: string): string {
  return createHash('sha1').update(name).digest('hex').slice(0, 32);
}

/**
 * Fixed windows that start at the first request, like Discord's: the headers
 * tell @discordjs/rest how much is left so it can queue before hitting 429.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, BucketState>();

  take(bucketName: string, majorParameter: string, window: RateLimitWindow, now = Date.now()): BucketDecision {
    const key = `${bucketName}:${majorParameter}`;
    let state = this.buckets.get(key);
    if (!state || now >= state.resetAt) {
      state = { count: 0, resetAt: now + window.windowMs };
      this.buckets.set(key, state);
    }
    const allowed = state.count < window.limit;
    if (allowed) state.count += 1;
    const retryAfterMs = allowed ? 0 : state.resetAt - now;
    return {
      allowed,
      retryAfterMs,
      headers: {
        'X-RateLimit-Limit': String(window.limit),
        'X-RateLimit-Remaining': String(Math.max(0, window.limit - state.count)),
        'X-RateLimit-Reset': (state.resetAt / 1000).toFixed(3),
        'X-RateLimit-Reset-After': seconds(state.resetAt - now),
        'X-RateLimit-Bucket': bucketHash(bucketName),
      },
    };
  }

  reset(): void {
    this.buckets.clear();
  }
}

/**
 * `Retry-After` keeps its fraction (Discord rounds it up to whole seconds)
 * so millisecond windows in tests do not turn into one-second waits.
 */
export function rateLimitedError(retryAfterMs: number, scope: RateLimitScope, headers: Record<string, string> = {}): ApiError {
  const retryAfter = Math.max(0, retryAfterMs) / 1000;
  const global = scope === 'global';
  return new ApiError(
    429,
    0,
    'You are being rate limited.',
    undefined,
    {
      ...headers,
      'Retry-After': retryAfter.toFixed(3),
      'X-RateLimit-Scope': scope,
      ...(global ? { 'X-RateLimit-Global': 'true' } : {}),
    },
    { retry_after: Number(retryAfter.toFixed(3)), global },
  );
}
