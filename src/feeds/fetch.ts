import http from 'node:http';
import type { OutgoingHttpHeaders } from 'node:http';
import type { LookupAddress } from 'node:dns';
import { FeedUrlError, parseFeedUrl, resolvePublicHost } from './address-guard.ts';
import type { GuardOptions } from './address-guard.ts';
import { FeedFetchError, explainFetchError } from './fetch-error.ts';
import { discardBody, readBody } from './http-body.ts';
import { sendPinnedRequest } from './pinned-request.ts';
import { responseHeader } from './response-header.ts';
import { parseRetryAfter } from './retry-after.ts';

export { FeedFetchError } from './fetch-error.ts';

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;

/**
 * Decides whether a URL may be fetched and returns the addresses to connect to. The fetcher
 * connects only to those, so whatever the guard checked is what gets contacted.
 */
export type HostGuard = (url: URL, opts: GuardOptions) => Promise<LookupAddress[]>;

export interface FetchOptions {
  /** e.g. "Lightstick/0.1 (+https://github.com/…; Discord news bot)" */
  userAgent: string;
  /** The whole fetch, redirects and body included. */
  timeoutMs?: number;
  /** Counted after decompression, so a small compressed bomb cannot blow up memory. */
  maxBodyBytes?: number;
  maxRedirects?: number;
  allowPrivate: boolean;
  /** Cancels the fetch, e.g. on shutdown; surfaces as kind 'aborted'. */
  signal?: AbortSignal | undefined;
  /** Checked on every hop; defaults to resolvePublicHost. */
  guard?: HostGuard | undefined;
}

export interface Validators {
  etag?: string | undefined;
  lastModified?: string | undefined;
}

export type FetchResult =
  | { kind: 'not-modified'; finalUrl: string; validators: Validators }
  | {
      kind: 'ok';
      finalUrl: string;
      status: number;
      body: Buffer;
      contentType: string | undefined;
      validators: Validators;
    };

const ACCEPT =
  'application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export async function fetchFeed(url: string, validators: Validators, opts: FetchOptions): Promise<FetchResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  try {
    return await fetchWithRedirects(url, validators, opts, signal);
  } catch (err) {
    throw explainFetchError(err, timeout, opts.signal, timeoutMs);
  }
}

async function fetchWithRedirects(
  input: string,
  validators: Validators,
  opts: FetchOptions,
  signal: AbortSignal,
): Promise<FetchResult> {
  const guard = opts.guard ?? resolvePublicHost;
  const maxRedirects = opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const headers: OutgoingHttpHeaders = {
    'User-Agent': opts.userAgent,
    Accept: ACCEPT,
    'Accept-Encoding': 'gzip, deflate, br',
  };
  if (validators.etag) headers['If-None-Match'] = validators.etag;
  if (validators.lastModified) headers['If-Modified-Since'] = validators.lastModified;

  let url = parseFeedUrl(input);
  let redirects = 0;
  for (;;) {
    const addresses = await abortable(guard(url, { allowPrivate: opts.allowPrivate }), signal).catch((err: unknown) => {
      // Without this, a moderator who typed a public URL would be told it points somewhere private.
      if (redirects > 0 && err instanceof FeedUrlError) {
        throw new FeedUrlError(err.reason, `The feed redirected to another address. ${err.message}`);
      }
      throw err;
    });
    const res = await sendPinnedRequest(url, addresses, headers, signal);
    const status = res.statusCode ?? 0;

    if (REDIRECTS.has(status)) {
      const location = res.headers.location;
      discardBody(res, status);
      if (!location) {
        throw new FeedFetchError('http', `The feed server answered ${describeStatus(status)} but did not say where to go.`, {
          status,
        });
      }
      if (redirects >= maxRedirects) {
        throw new FeedFetchError(
          'too-many-redirects',
          `The feed redirected more than ${maxRedirects} times, so the bot gave up following it.`,
        );
      }
      redirects += 1;
      url = redirectTarget(location, url);
      continue;
    }

    if (status === 304) {
      discardBody(res, status);
      return {
        kind: 'not-modified',
        finalUrl: url.href,
        // A 304 may omit validators it is not changing; the ones we sent are still current then.
        validators: {
          etag: responseHeader(res, 'etag') ?? validators.etag,
          lastModified: responseHeader(res, 'last-modified') ?? validators.lastModified,
        },
      };
    }

    if (status < 200 || status > 299) {
      const retryAfter = parseRetryAfter(responseHeader(res, 'retry-after'));
      discardBody(res, status);
      const wait = retryAfter === undefined ? '' : ` and asked the bot to wait ${retryAfter} second${retryAfter === 1 ? '' : 's'}`;
      throw new FeedFetchError('http', `The feed server answered ${describeStatus(status)}${wait}.`, {
        status,
        retryAfterSeconds: retryAfter,
      });
    }

    const body = await readBody(res, maxBodyBytes, signal);
    return {
      kind: 'ok',
      finalUrl: url.href,
      status,
      body,
      contentType: responseHeader(res, 'content-type'),
      validators: { etag: responseHeader(res, 'etag'), lastModified: responseHeader(res, 'last-modified') },
    };
  }
}

function redirectTarget(location: string, from: URL): URL {
  let target: string;
  try {
    target = new URL(location, from).href;
  } catch {
    throw new FeedFetchError('bad-url', 'The feed redirected to an address that is not a valid URL.');
  }
  try {
    return parseFeedUrl(target);
  } catch (err) {
    const why = err instanceof FeedUrlError ? ` ${err.message}` : '';
    throw new FeedFetchError('bad-url', `The feed redirected to an address the bot cannot use.${why}`, { cause: err });
  }
}

function describeStatus(status: number): string {
  const text = http.STATUS_CODES[status];
  return text ? `${status} ${text}` : String(status);
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
