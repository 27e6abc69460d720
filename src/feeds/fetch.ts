import http from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Transform, addAbortSignal, pipeline } from 'node:stream';
import type { Readable, TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import { FeedUrlError, parseFeedUrl, resolvePublicHost } from './address-guard.ts';
import type { GuardOptions } from './address-guard.ts';

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

export type FeedFetchErrorKind =
  | 'timeout'
  | 'too-large'
  | 'http'
  | 'network'
  | 'too-many-redirects'
  | 'blocked-address'
  | 'bad-url'
  | 'aborted';

/** Why a feed could not be fetched; `message` is meant for moderators as is. */
export class FeedFetchError extends Error {
  override readonly name = 'FeedFetchError';
  readonly kind: FeedFetchErrorKind;
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;
  /** True when retrying will not help until someone changes the feed's URL. */
  readonly permanent: boolean;

  constructor(
    kind: FeedFetchErrorKind,
    message: string,
    extra: { status?: number | undefined; retryAfterSeconds?: number | undefined; cause?: unknown } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.kind = kind;
    this.status = extra.status;
    this.retryAfterSeconds = extra.retryAfterSeconds;
    this.permanent =
      kind === 'bad-url' ||
      kind === 'blocked-address' ||
      (kind === 'http' && (extra.status === 404 || extra.status === 410));
  }
}

const ACCEPT =
  'application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// Retry-After beyond this is treated as this; callers put it into timers.
const MAX_RETRY_AFTER_SECONDS = 7 * 24 * 3600;
// Small error bodies are drained so the keep-alive socket can be reused; larger ones are not worth it.
const MAX_DRAIN_BYTES = 16 * 1024;

export async function fetchFeed(url: string, validators: Validators, opts: FetchOptions): Promise<FetchResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  try {
    return await fetchWithRedirects(url, validators, opts, signal);
  } catch (err) {
    throw explain(err, timeout, opts.signal, timeoutMs);
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
    const res = await send(url, addresses, headers, signal);
    const status = res.statusCode ?? 0;

    if (REDIRECTS.has(status)) {
      const location = res.headers.location;
      discard(res, status);
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
      discard(res, status);
      return {
        kind: 'not-modified',
        finalUrl: url.href,
        // A 304 may omit validators it is not changing; the ones we sent are still current then.
        validators: {
          etag: header(res, 'etag') ?? validators.etag,
          lastModified: header(res, 'last-modified') ?? validators.lastModified,
        },
      };
    }

    if (status < 200 || status > 299) {
      const retryAfter = parseRetryAfter(header(res, 'retry-after'));
      discard(res, status);
      const wait = retryAfter === undefined ? '' : ` and asked the bot to wait ${retryAfter} seconds`;
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
      contentType: header(res, 'content-type'),
      validators: { etag: header(res, 'etag'), lastModified: header(res, 'last-modified') },
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

function send(url: URL, addresses: LookupAddress[], headers: OutgoingHttpHeaders, signal: AbortSignal, retried = false): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, { method: 'GET', headers, lookup: pinnedLookup(addresses), signal });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      resolve(res);
    });
    // Stays attached after the response: a later error (e.g. abort mid-body) must not go unhandled.
    req.on('error', (err: NodeJS.ErrnoException) => {
      // A keep-alive socket the server closed while idle fails the next request; Node's
      // documented remedy is to retry once on a fresh socket.
      if (!answered && !retried && req.reusedSocket && err.code === 'ECONNRESET' && !signal.aborted) {
        resolve(send(url, addresses, headers, signal, true));
        return;
      }
      reject(err);
    });
    req.end();
  });
}

/** Makes the socket connect to the addresses the guard approved instead of resolving again. */
function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return (hostname, options, callback) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
    const usable = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
    const first = usable[0];
    if (!first) {
      const err: NodeJS.ErrnoException = new Error(`No approved address for ${hostname}`);
      err.code = 'ENOTFOUND';
      callback(err, '', 0);
    } else if (options.all) {
      callback(null, usable);
    } else {
      callback(null, first.address, first.family);
    }
  };
}

function discard(res: IncomingMessage, status: number): void {
  const length = Number(res.headers['content-length']);
  if (status === 304 || status === 204 || (Number.isFinite(length) && length <= MAX_DRAIN_BYTES)) {
    res.resume();
  } else {
    res.destroy();
  }
}

class DecodeError extends Error {}

function readBody(res: IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  const encodings = (header(res, 'content-encoding') ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '' && e !== 'identity');
  const declared = Number(res.headers['content-length']);
  if (encodings.length === 0 && Number.isFinite(declared) && declared > maxBytes) {
    res.destroy();
    return Promise.reject(tooLarge(maxBytes));
  }

  let stream: Readable = res;
  let decodeFailure: string | undefined;
  // Encodings are listed in the order they were applied, so they are undone last-first.
  for (const encoding of encodings.reverse()) {
    const decoder = createDecoder(encoding);
    if (!decoder) {
      res.destroy();
      return Promise.reject(
        new FeedFetchError('network', `The feed server compressed the feed as "${encoding}", which the bot cannot read.`),
      );
    }
    decoder.once('error', () => {
      decodeFailure ??= encoding;
    });
    pipeline(stream, decoder, () => {});
    stream = decoder;
  }
  addAbortSignal(signal, stream);

  return (async () => {
    const chunks: Buffer[] = [];
    let total = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        total += chunk.length;
        // Checked per chunk so decompression stops as soon as the limit is passed.
        if (total > maxBytes) throw tooLarge(maxBytes);
        chunks.push(chunk);
      }
    } catch (err) {
      if (decodeFailure !== undefined && !(err instanceof FeedFetchError) && !signal.aborted) {
        throw new DecodeError(decodeFailure, { cause: err });
      }
      throw err;
    }
    return Buffer.concat(chunks, total);
  })();
}

function createDecoder(encoding: string): Transform | undefined {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return new AutoInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}

/**
 * "deflate" should mean zlib-wrapped data, but many servers send raw deflate under that name.
 * The first two bytes tell them apart (a zlib header is a multiple of 31 with method 8).
 */
class AutoInflate extends Transform {
  #inner: zlib.Inflate | zlib.InflateRaw | undefined;
  #head: Buffer[] = [];
  #headBytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#inner) {
      this.#feed(this.#inner, chunk, callback);
      return;
    }
    this.#head.push(chunk);
    this.#headBytes += chunk.length;
    if (this.#headBytes < 2) {
      callback();
      return;
    }
    const head = Buffer.concat(this.#head);
    this.#feed(this.#start(head), head, callback);
  }

  override _flush(callback: TransformCallback): void {
    let inner = this.#inner;
    if (!inner) {
      const head = Buffer.concat(this.#head);
      inner = this.#start(head);
      if (head.length > 0) inner.write(head);
    }
    inner.once('end', () => callback());
    inner.end();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#inner?.destroy();
    callback(error);
  }

  #start(head: Buffer): zlib.Inflate | zlib.InflateRaw {
    const b0 = head[0] ?? 0;
    const b1 = head[1] ?? 0;
    const zlibWrapped = (b0 & 0x0f) === 8 && b0 >> 4 <= 7 && ((b0 << 8) | b1) % 31 === 0;
    const inner = zlibWrapped ? zlib.createInflate() : zlib.createInflateRaw();
    inner.on('data', (data: Buffer) => this.push(data));
    inner.on('error', (err) => this.destroy(err));
    this.#inner = inner;
    return inner;
  }

  #feed(inner: zlib.Inflate | zlib.InflateRaw, chunk: Buffer, callback: TransformCallback): void {
    inner.write(chunk, (err) => callback(err ?? null));
  }
}

function tooLarge(maxBytes: number): FeedFetchError {
  return new FeedFetchError('too-large', `The feed is larger than ${formatBytes(maxBytes)}, so the bot did not download it.`);
}

function header(res: IncomingMessage, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function describeStatus(status: number): string {
  const text = http.STATUS_CODES[status];
  return text ? `${status} ${text}` : String(status);
}

/** Retry-After is either delta-seconds or an HTTP date; returns whole seconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  let seconds: number;
  if (/^\d+$/.test(text)) {
    seconds = Number(text);
  } else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    seconds = Math.ceil((at - now) / 1000);
  }
  return Math.min(Math.max(seconds, 0), MAX_RETRY_AFTER_SECONDS);
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

function explain(err: unknown, timeout: AbortSignal, outer: AbortSignal | undefined, timeoutMs: number): FeedFetchError {
  if (err instanceof FeedFetchError) return err;
  if (outer?.aborted) return new FeedFetchError('aborted', 'The feed download was cancelled.', { cause: err });
  if (timeout.aborted) {
    return new FeedFetchError(
      'timeout',
      `The feed server did not send the whole feed within ${formatDuration(timeoutMs)}.`,
      { cause: err },
    );
  }
  if (err instanceof FeedUrlError) {
    if (err.reason === 'blocked-address') return new FeedFetchError('blocked-address', err.message, { cause: err });
    if (err.reason === 'host-not-found') return new FeedFetchError('network', err.message, { cause: err });
    return new FeedFetchError('bad-url', err.message, { cause: err });
  }
  if (err instanceof DecodeError) {
    return new FeedFetchError(
      'network',
      `The feed server sent a compressed (${err.message}) feed that could not be decompressed.`,
      { cause: err },
    );
  }
  return new FeedFetchError('network', networkMessage(err), { cause: err });
}

function networkMessage(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  switch (code) {
    case 'ECONNREFUSED':
      return 'The feed server refused the connection.';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'The feed server closed the connection before the feed was complete.';
    case 'ETIMEDOUT':
      return 'Connecting to the feed server timed out.';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'The feed server could not be reached from the bot.';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'The bot could not find the feed server.';
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/.test(code)) {
    return `The feed server's HTTPS certificate could not be verified (${code}).`;
  }
  if (code.startsWith('HPE_')) return 'The feed server sent a response that is not valid HTTP.';
  return code ? `The feed could not be downloaded (${code}).` : 'The feed could not be downloaded.';
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${+(ms / 1000).toFixed(1)} seconds`;
}
