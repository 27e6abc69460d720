import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FeedUrlError, resolvePublicHost } from '../../src/feeds/address-guard.ts';
import { FeedFetchError, fetchFeed } from '../../src/feeds/fetch.ts';
import { parseRetryAfter } from '../../src/feeds/retry-after.ts';
import type { FetchOptions, FetchResult, HostGuard } from '../../src/feeds/fetch.ts';
import { SHARED_FEEDS_DIR, startFeedServer } from '../support/feed-server.ts';
import type { FeedServer } from '../support/feed-server.ts';

const RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Lightstick test</title>
<item><title>Comeback announced</title><link>https://example.com/1</link></item>
</channel></rss>`;

const opts: FetchOptions = {
  userAgent: 'Lightstick/0.1 (+https://github.com/example/lightstick; Discord news bot)',
  timeoutMs: 5_000,
  maxBodyBytes: 1024 * 1024,
  maxRedirects: 5,
  allowPrivate: true,
};

let server: FeedServer;

beforeAll(async () => {
  server = await startFeedServer();
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.resetStats();
});

async function failure(promise: Promise<unknown>): Promise<FeedFetchError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(FeedFetchError);
    return err as FeedFetchError;
  }
  throw new Error('expected a FeedFetchError');
}

function ok(result: FetchResult): Extract<FetchResult, { kind: 'ok' }> {
  if (result.kind !== 'ok') throw new Error(`expected ok, got ${result.kind}`);
  return result;
}

describe('fetchFeed', () => {
  it('fetches a feed politely and returns its bytes, content type and validators', async () => {
    server.set('/plain.rss', {
      body: RSS,
      contentType: 'application/rss+xml; charset=utf-8',
      etag: '"v1"',
      lastModified: 'Tue, 01 Jul 2025 10:00:00 GMT',
    });
    const result = ok(await fetchFeed(server.url('/plain.rss'), {}, opts));
    expect(result.status).toBe(200);
    expect(result.body).toBeInstanceOf(Buffer);
    expect(result.body.toString('utf8')).toBe(RSS);
    expect(result.contentType).toBe('application/rss+xml; charset=utf-8');
    expect(result.validators).toEqual({ etag: '"v1"', lastModified: 'Tue, 01 Jul 2025 10:00:00 GMT' });
    expect(result.finalUrl).toBe(server.url('/plain.rss'));

    const [request] = server.requests;
    expect(request?.headers['user-agent']).toBe(opts.userAgent);
    expect(request?.headers['accept']).toContain('application/rss+xml');
    expect(request?.headers['accept-encoding']).toBe('gzip, deflate, br');
    expect(request?.headers['if-none-match']).toBeUndefined();
  });

  it('answers not-modified on the second fetch, having sent the validators', async () => {
    server.set('/conditional.rss', { body: RSS, contentType: 'application/rss+xml', conditional: true });
    const first = ok(await fetchFeed(server.url('/conditional.rss'), {}, opts));
    expect(first.validators.etag).toMatch(/^".+"$/);
    expect(first.validators.lastModified).toBeDefined();

    const second = await fetchFeed(server.url('/conditional.rss'), first.validators, opts);
    expect(second).toEqual({ kind: 'not-modified', finalUrl: server.url('/conditional.rss'), validators: first.validators });
    expect(server.requests[1]?.headers['if-none-match']).toBe(first.validators.etag);
    expect(server.requests[1]?.headers['if-modified-since']).toBe(first.validators.lastModified);
    expect(server.requests[1]?.status).toBe(304);
  });

  it('uses If-Modified-Since alone when there is no ETag', async () => {
    server.set('/dated.rss', { body: RSS, lastModified: 'Tue, 01 Jul 2025 10:00:00 GMT' });
    const result = await fetchFeed(server.url('/dated.rss'), { lastModified: 'Tue, 01 Jul 2025 10:00:00 GMT' }, opts);
    expect(result.kind).toBe('not-modified');
    expect(result.validators.lastModified).toBe('Tue, 01 Jul 2025 10:00:00 GMT');
  });

  it('fetches again in full when the feed changed', async () => {
    server.set('/changing.rss', { body: RSS, conditional: true });
    const first = ok(await fetchFeed(server.url('/changing.rss'), {}, opts));
    server.set('/changing.rss', { body: RSS.replace('Comeback', 'Debut'), conditional: true });
    const second = ok(await fetchFeed(server.url('/changing.rss'), first.validators, opts));
    expect(second.body.toString()).toContain('Debut');
    expect(second.validators.etag).not.toBe(first.validators.etag);
  });

  it.each(['gzip', 'deflate', 'deflate-raw', 'br'] as const)('decodes a %s body', async (encoding) => {
    const path = `/encoded-${encoding}.rss`;
    server.set(path, { body: RSS, contentType: 'application/rss+xml', encoding });
    const result = ok(await fetchFeed(server.url(path), {}, opts));
    expect(result.body.toString('utf8')).toBe(RSS);
  });

  it('decodes a real saved feed served gzipped', async () => {
    const bytes = readFileSync(join(SHARED_FEEDS_DIR, 'feedjira__techcrunch-wordpress.rss'));
    server.set('/techcrunch.rss', { body: bytes, contentType: 'application/rss+xml', encoding: 'gzip' });
    const result = ok(await fetchFeed(server.url('/techcrunch.rss'), {}, opts));
    expect(result.body.equals(bytes)).toBe(true);
  });

  it('serves a folder of saved feeds with content types and conditional GET', async () => {
    server.serveFolder('/files', SHARED_FEEDS_DIR);
    const atom = ok(await fetchFeed(server.url('/files/feed-extractor__google-news.atom'), {}, opts));
    expect(atom.contentType).toBe('application/atom+xml');
    expect(atom.body.equals(readFileSync(join(SHARED_FEEDS_DIR, 'feed-extractor__google-news.atom')))).toBe(true);
    const again = await fetchFeed(server.url('/files/feed-extractor__google-news.atom'), atom.validators, opts);
    expect(again.kind).toBe('not-modified');
    const gz = ok(await fetchFeed(server.url('/files/node-feedparser__nshipster-gzip-bytes.xml.gz'), {}, opts));
    expect(gz.contentType).toBe('application/gzip');
    expect(gz.body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
  });

  it('refuses an oversized plain body', async () => {
    server.set('/huge.rss', { body: Buffer.alloc(2 * 1024 * 1024, 0x20) });
    const err = await failure(fetchFeed(server.url('/huge.rss'), {}, opts));
    expect(err.kind).toBe('too-large');
    expect(err.message).toBe('The feed is larger than 1 MiB, so the bot did not download it.');
  });

  it('refuses an oversized body sent without a Content-Length', async () => {
    // Chunked bodies cannot be judged up front, so the streaming count has to catch them.
    server.set('/chunked.rss', { body: Buffer.alloc(2 * 1024 * 1024, 0x20), chunked: true });
    const err = await failure(fetchFeed(server.url('/chunked.rss'), {}, { ...opts, maxBodyBytes: 64 * 1024 }));
    expect(err.kind).toBe('too-large');
  });

  it('stops a gzip bomb once the decompressed size passes the limit', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100 * 1024);
    server.set('/bomb.rss', { body: bomb, contentType: 'application/rss+xml', contentEncoding: 'gzip' });
    const err = await failure(fetchFeed(server.url('/bomb.rss'), {}, opts));
    expect(err.kind).toBe('too-large');
  });

  it('stops a deflate bomb too', async () => {
    const bomb = zlib.deflateRawSync(Buffer.alloc(20 * 1024 * 1024));
    server.set('/bomb-raw.rss', { body: bomb, contentEncoding: 'deflate' });
    const err = await failure(fetchFeed(server.url('/bomb-raw.rss'), {}, opts));
    expect(err.kind).toBe('too-large');
  });

  it('reports a corrupt compressed body as a network error, not a crash', async () => {
    server.set('/corrupt.rss', { body: Buffer.from('this is not gzip at all'), contentEncoding: 'gzip' });
    const err = await failure(fetchFeed(server.url('/corrupt.rss'), {}, opts));
    expect(err.kind).toBe('network');
    expect(err.message).toContain('could not be decompressed');
  });

  it('refuses an encoding it cannot read', async () => {
    server.set('/zstd.rss', { body: 'x', contentEncoding: 'zstd' });
    const err = await failure(fetchFeed(server.url('/zstd.rss'), {}, opts));
    expect(err.kind).toBe('network');
    expect(err.message).toContain('zstd');
  });

  it('times out on a server that never answers', async () => {
    server.set('/slow.rss', { body: RSS, delayMs: 5_000 });
    const err = await failure(fetchFeed(server.url('/slow.rss'), {}, { ...opts, timeoutMs: 300 }));
    expect(err.kind).toBe('timeout');
    expect(err.permanent).toBe(false);
    expect(err.message).toBe('The feed server did not send the whole feed within 300 ms.');
  });

  it('times out on a server that stalls halfway through the body', async () => {
    server.set('/stalls.rss', { body: RSS, bodyDelayMs: 5_000 });
    const err = await failure(fetchFeed(server.url('/stalls.rss'), {}, { ...opts, timeoutMs: 300 }));
    expect(err.kind).toBe('timeout');
  });

  it('stops when the caller aborts (shutdown)', async () => {
    server.set('/shutdown.rss', { body: RSS, delayMs: 5_000 });
    const controller = new AbortController();
    const pending = fetchFeed(server.url('/shutdown.rss'), {}, { ...opts, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const err = await failure(pending);
    expect(err.kind).toBe('aborted');
  });

  describe('redirects', () => {
    function chain(name: string, length: number): string {
      for (let i = 0; i < length; i++) server.redirect(`/${name}/${i}`, server.url(`/${name}/${i + 1}`), 301);
      server.set(`/${name}/${length}`, { body: RSS, contentType: 'application/rss+xml' });
      return server.url(`/${name}/0`);
    }

    it('follows five redirects', async () => {
      const result = ok(await fetchFeed(chain('five', 5), {}, opts));
      expect(result.finalUrl).toBe(server.url('/five/5'));
      expect(result.body.toString()).toBe(RSS);
    });

    it('refuses the sixth', async () => {
      const err = await failure(fetchFeed(chain('six', 6), {}, opts));
      expect(err.kind).toBe('too-many-redirects');
      expect(server.hits('/six/6')).toBe(0);
    });

    it.each([302, 303, 307, 308])('follows a relative Location on %i', async (status) => {
      server.redirect(`/moved-${status}/feed`, `../new/feed.xml?from=${status}`, status);
      server.set('/new/feed.xml', { body: RSS });
      const result = ok(await fetchFeed(server.url(`/moved-${status}/feed`), {}, opts));
      expect(result.finalUrl).toBe(server.url(`/new/feed.xml?from=${status}`));
    });

    it('refuses a redirect to a non-http scheme', async () => {
      server.redirect('/to-file', 'file:///etc/passwd');
      const err = await failure(fetchFeed(server.url('/to-file'), {}, opts));
      expect(err.kind).toBe('bad-url');
      expect(err.message).toContain('Only http and https');
    });

    it('returns not-modified through a redirect', async () => {
      server.set('/target-conditional.rss', { body: RSS, etag: '"abc"' });
      server.redirect('/old-conditional.rss', '/target-conditional.rss', 301);
      const result = await fetchFeed(server.url('/old-conditional.rss'), { etag: '"abc"' }, opts);
      expect(result).toMatchObject({ kind: 'not-modified', finalUrl: server.url('/target-conditional.rss') });
    });

    it('re-checks the address of every hop', async () => {
      // Only the loopback server exists, so the first hop (127.0.0.1) is treated as public and
      // the real guard judges everything else, as it would in production.
      const guard: HostGuard = (url, o) =>
        resolvePublicHost(url, { ...o, allowPrivate: url.hostname === '127.0.0.1' });
      const port = new URL(server.origin).port;
      server.set('/inside', { body: 'internal admin page' });
      for (const target of [`http://localhost:${port}/inside`, `http://[::1]:${port}/inside`, 'http://169.254.169.254/latest/meta-data/']) {
        server.redirect('/bounce', target);
        const err = await failure(fetchFeed(server.url('/bounce'), {}, { ...opts, allowPrivate: false, guard }));
        expect(err.kind).toBe('blocked-address');
        expect(err.permanent).toBe(true);
        expect(err.message).toMatch(/^The feed redirected to another address\. That address points to /);
      }
      expect(server.hits('/inside')).toBe(0);
    });
  });

  it('connects to the address the guard approved, not to a fresh DNS answer', async () => {
    // "feeds.lightstick.invalid" cannot resolve; the request only works if the pinned address is used.
    const guard: HostGuard = async (url) => {
      if (url.hostname !== 'feeds.lightstick.invalid') throw new Error(`unexpected host ${url.hostname}`);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    server.set('/pinned.rss', { body: RSS });
    const port = new URL(server.origin).port;
    const result = ok(await fetchFeed(`http://feeds.lightstick.invalid:${port}/pinned.rss`, {}, { ...opts, guard }));
    expect(result.body.toString()).toBe(RSS);
    expect(server.requests[0]?.headers.host).toBe(`feeds.lightstick.invalid:${port}`);
  });

  describe('address guard', () => {
    const strict = { ...opts, allowPrivate: false };

    it.each([
      (s: FeedServer) => s.url('/plain.rss'),
      (s: FeedServer) => s.url('/plain.rss').replace('127.0.0.1', 'localhost'),
      (s: FeedServer) => s.url('/plain.rss').replace('127.0.0.1', '[::1]'),
      (s: FeedServer) => s.url('/plain.rss').replace('127.0.0.1', '[::ffff:127.0.0.1]'),
      () => 'http://10.0.0.5/feed.xml',
      () => 'http://169.254.169.254/latest/meta-data/',
    ])('refuses a private address (#%#) without connecting', async (make) => {
      server.set('/plain.rss', { body: RSS });
      const err = await failure(fetchFeed(make(server), {}, strict));
      expect(err.kind).toBe('blocked-address');
      expect(err.message).toContain('not allowed to fetch');
      expect(server.hits('/plain.rss')).toBe(0);
    });

    it('refuses non-http schemes and credentials', async () => {
      for (const input of ['ftp://example.com/feed.xml', 'file:///etc/passwd', 'https://bob:hunter2@example.com/feed']) {
        const err = await failure(fetchFeed(input, {}, opts));
        expect(err.kind).toBe('bad-url');
        expect(err.permanent).toBe(true);
        expect(err.message).not.toContain('hunter2');
        expect(err.cause).toBeInstanceOf(FeedUrlError);
      }
    });
  });

  describe('HTTP errors', () => {
    it('reports 404 as a permanent http error', async () => {
      const err = await failure(fetchFeed(server.url('/missing.rss'), {}, opts));
      expect(err.kind).toBe('http');
      expect(err.status).toBe(404);
      expect(err.permanent).toBe(true);
      expect(err.message).toBe('The feed server answered 404 Not Found.');
    });

    it('reports 410 as permanent', async () => {
      server.set('/gone.rss', { status: 410, body: 'gone' });
      const err = await failure(fetchFeed(server.url('/gone.rss'), {}, opts));
      expect(err).toMatchObject({ kind: 'http', status: 410, permanent: true });
    });

    it('parses Retry-After seconds on 503', async () => {
      server.set('/busy.rss', { status: 503, body: 'busy', headers: { 'Retry-After': '120' } });
      const err = await failure(fetchFeed(server.url('/busy.rss'), {}, opts));
      expect(err).toMatchObject({ kind: 'http', status: 503, retryAfterSeconds: 120, permanent: false });
      expect(err.message).toBe('The feed server answered 503 Service Unavailable and asked the bot to wait 120 seconds.');
    });

    it('parses a Retry-After date on 429', async () => {
      const when = new Date(Date.now() + 90_000).toUTCString();
      server.set('/limited.rss', { status: 429, body: '', headers: { 'Retry-After': when } });
      const err = await failure(fetchFeed(server.url('/limited.rss'), {}, opts));
      expect(err.status).toBe(429);
      expect(err.retryAfterSeconds).toBeGreaterThan(80);
      expect(err.retryAfterSeconds).toBeLessThanOrEqual(90);
    });

    it('reports a refused connection in plain words', async () => {
      const closed = await startFeedServer();
      const url = closed.url('/feed.rss');
      await closed.close();
      const err = await failure(fetchFeed(url, {}, opts));
      expect(err.kind).toBe('network');
      expect(err.message).toBe('The feed server refused the connection.');
    });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-07-01T10:00:00Z');
  it('reads seconds and dates, and ignores nonsense', () => {
    expect(parseRetryAfter('30', now)).toBe(30);
    expect(parseRetryAfter('Tue, 01 Jul 2025 10:01:00 GMT', now)).toBe(60);
    expect(parseRetryAfter('Tue, 01 Jul 2025 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('99999999999', now)).toBe(7 * 24 * 3600);
  });
});
