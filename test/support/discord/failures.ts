import { ApiError, ERROR_MESSAGES } from './http.ts';
import { rateLimitedError, type RateLimitScope } from './ratelimit.ts';

export interface RouteRequest {
  method: string;
  /** Decoded path without `/api/v10`, e.g. `/channels/123/messages`. */
  path: string;
}

/**
 * Which requests an injection applies to:
 * - `'POST /channels/:id/messages'` — optional method, `:name` or `*` match one segment;
 * - a RegExp, tested against the path only;
 * - `{ method?, path? }` combining both;
 * - any predicate.
 */
export type RouteMatcher =
  | string
  | RegExp
  | { method?: string; path?: string | RegExp }
  | ((request: RouteRequest) => boolean);

export type InjectedFailure =
  | {
      status: number;
      /** Discord JSON error code; defaults to the usual one for the status. */
      code?: number;
      message?: string;
      /** For 429: seconds, fractions allowed. Defaults to 0.05. */
      retryAfter?: number;
      scope?: RateLimitScope;
      errors?: Record<string, unknown>;
      headers?: Record<string, string>;
      /** Answer only after this long, e.g. to push a callback past its deadline. */
      delayMs?: number;
    }
  | {
      /** Drop the TCP connection without an answer (the client sees ECONNRESET). */
      resetConnection: true;
      delayMs?: number;
    };

export interface FailureInjection {
  /** How many of the queued failures have not been used yet. */
  readonly remaining: number;
  /** How many matching requests got a failure. */
  readonly consumed: number;
  cancel(): void;
}

const DEFAULT_CODE: Readonly<Record<number, number>> = { 400: 50035, 403: 50013, 404: 10003, 401: 0 };

export function compileMatcher(matcher: RouteMatcher): (request: RouteRequest) => boolean {
  if (typeof matcher === 'function') return matcher;
  if (matcher instanceof RegExp) return (r) => matcher.test(r.path);
  if (typeof matcher === 'string') {
    const match = /^([A-Za-z]+)\s+(\S+)$/.exec(matcher.trim());
    return compileMatcher(match ? { method: match[1], path: match[2] } : { path: matcher.trim() });
  }
  const method = matcher.method?.toUpperCase();
  const path = matcher.path;
  const pathTest: (p: string) => boolean =
    path === undefined
      ? () => true
      : path instanceof RegExp
        ? (p) => path.test(p)
        : patternToTest(path);
  return (r) => (method === undefined || r.method === method) && pathTest(r.path);
}

function patternToTest(pattern: string): (path: string) => boolean {
  const want = pattern.split('/').filter(Boolean);
  return (path) => {
    const got = path.split('/').filter(Boolean);
    return got.length === want.length && want.every((w, i) => w === '*' || w.startsWith(':') || w === got[i]);
  };
}

interface Injection {
  test: (request: RouteRequest) => boolean;
  queue: InjectedFailure[];
  consumed: number;
}

export class FailureInjector {
  private injections: Injection[] = [];

  inject(matcher: RouteMatcher, failures: InjectedFailure[]): FailureInjection {
    const injection: Injection = { test: compileMatcher(matcher), queue: [...failures], consumed: 0 };
    this.injections.push(injection);
    return {
      get remaining() {
        return injection.queue.length;
      },
      get consumed() {
        return injection.consumed;
      },
      cancel: () => {
        injection.queue.length = 0;
        this.injections = this.injections.filter((i) => i !== injection);
      },
    };
  }

  /** Takes the next failure for this request, oldest injection first. */
  take(request: RouteRequest): InjectedFailure | undefined {
    for (const injection of this.injections) {
      if (injection.queue.length === 0 || !injection.test(request)) continue;
      injection.consumed += 1;
      const failure = injection.queue.shift();
      if (injection.queue.length === 0) this.injections = this.injections.filter((i) => i !== injection);
      return failure;
    }
    return undefined;
  }

  clear(): void {
    this.injections = [];
  }
}

export function failureToError(failure: Extract<InjectedFailure, { status: number }>): ApiError {
  if (failure.status === 429) {
    return rateLimitedError((failure.retryAfter ?? 0.05) * 1000, failure.scope ?? 'user', failure.headers);
  }
  const code = failure.code ?? DEFAULT_CODE[failure.status] ?? 0;
  const message =
    failure.message ??
    (code !== 0 ? ERROR_MESSAGES[code] : undefined) ??
    `${failure.status}: ${failure.status >= 500 ? 'Internal Server Error' : 'Error'}`;
  return new ApiError(failure.status, code, message, failure.errors, failure.headers ?? {});
}
