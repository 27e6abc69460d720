import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

/** How the server compresses a route when the client accepts it ('deflate-raw' = raw deflate labelled "deflate"). */
export type RouteEncoding = 'gzip' | 'deflate' | 'deflate-raw' | 'br';

export interface RouteOptions {
  body?: string | Buffer;
  contentType?: string;
  /** Status to answer with (default 200). Conditional requests are only honoured for 200. */
  status?: number;
  headers?: Record<string, string>;
  /** Enables conditional GET; with `conditional: true` and no etag, one is made from the body. */
  etag?: string;
  lastModified?: string | Date;
  /** Generate an ETag (body hash) and a Last-Modified (now) and answer conditional requests with 304. */
  conditional?: boolean;
  /** Compress on the way out when Accept-Encoding allows it (compressed once, at set()). */
  encoding?: RouteEncoding;
  /** Body bytes are already encoded; sent as is under this Content-Encoding whatever the client accepts. */
  contentEncoding?: string;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Send headers and the first half of the body, then wait this long before the rest. */
  bodyDelayMs?: number;
  /** Leave out Content-Length and send the body in 64 KiB chunks (Transfer-Encoding: chunked). */
  chunked?: boolean;
}

export interface RecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  status: number;
}

export interface FeedServer {
  /** http://127.0.0.1:PORT/path */
  url(path: string): string;
  readonly origin: string;
  set(path: string, route: RouteOptions): void;
  redirect(path: string, to: string, status?: number): void;
  /** Serves every file of `dir` at `${prefix}/<name>`, conditional GET on. */
  serveFolder(prefix: string, dir: string): void;
  /** Requests received for a path (query string ignored). */
  hits(path: string): number;
  readonly requests: RecordedRequest[];
  /** Forgets recorded requests and hit counts (routes stay). */
  resetStats(): void;
  close(): Promise<void>;
}

interface PreparedRoute {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  encoded: Map<string, Buffer>;
  etag: string | undefined;
  lastModifiedMs: number | undefined;
  delayMs: number;
  bodyDelayMs: number;
  chunked: boolean;
}

const CONTENT_TYPES: Record<string, string> = {
  '.rss': 'application/rss+xml',
  '.atom': 'application/atom+xml',
  '.rdf': 'application/rdf+xml',
  '.xml': 'application/xml',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.json': 'application/json',
  '.md': 'text/markdown',
  '.txt': 'text/plain',
  '.gz': 'application/gzip',
};

/** The Content-Type the feed server sends for a file name, so benches can label bytes the same way. */
export function contentTypeFor(name: string): string {
  return CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';
}

/** The repository's shared feed samples (/work/shared/feeds next to the project). */
export const SHARED_FEEDS_DIR = fileURLToPath(new URL('../../../shared/feeds/', import.meta.url));

function encode(body: Buffer, encoding: RouteEncoding): Buffer {
  switch (encoding) {
    case 'gzip':
      return zlib.gzipSync(body);
    case 'deflate':
      return zlib.deflateSync(body);
    case 'deflate-raw':
      return zlib.deflateRawSync(body);
    case 'br':
      return zlib.brotliCompressSync(body);
  }
}

function prepare(route: RouteOptions): PreparedRoute {
  const body = typeof route.body === 'string' ? Buffer.from(route.body) : (route.body ?? Buffer.alloc(0));
  const headers: Record<string, string> = {};
  if (route.contentType !== undefined) headers['content-type'] = route.contentType;
  let etag = route.etag;
  let lastModified = route.lastModified;
  if (route.conditional) {
    etag ??= `"${createHash('sha1').update(body).digest('base64url').slice(0, 16)}"`;
    lastModified ??= new Date();
  }
  const lastModifiedMs =
    lastModified === undefined ? undefined : Math.floor(new Date(lastModified).getTime() / 1000) * 1000;
  if (etag !== undefined) headers['etag'] = etag;
  if (lastModifiedMs !== undefined) headers['last-modified'] = new Date(lastModifiedMs).toUTCString();
  if (route.contentEncoding !== undefined) headers['content-encoding'] = route.contentEncoding;
  const encoded = new Map<string, Buffer>();
  if (route.encoding !== undefined) {
    encoded.set(route.encoding === 'deflate-raw' ? 'deflate' : route.encoding, encode(body, route.encoding));
    headers['vary'] = 'Accept-Encoding';
  }
  for (const [name, value] of Object.entries(route.headers ?? {})) headers[name.toLowerCase()] = value;
  return {
    status: route.status ?? 200,
    headers,
    body,
    encoded,
    etag,
    lastModifiedMs,
    delayMs: route.delayMs ?? 0,
    bodyDelayMs: route.bodyDelayMs ?? 0,
    chunked: route.chunked ?? false,
  };
}

function accepts(acceptEncoding: string | undefined, coding: string): boolean {
  if (!acceptEncoding) return false;
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.split(';');
    if (name.trim().toLowerCase() !== coding) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

function isNotModified(route: PreparedRoute, headers: IncomingHttpHeaders): boolean {
  if (route.status !== 200) return false;
  const inm = headers['if-none-match'];
  // RFC 9110: If-None-Match wins over If-Modified-Since, and uses weak comparison.
  if (inm !== undefined) {
    if (route.etag === undefined) return false;
    const ours = route.etag.replace(/^W\//, '');
    return inm.split(',').some((tag) => {
      const t = tag.trim();
      return t === '*' || t.replace(/^W\//, '') === ours;
    });
  }
  const ims = headers['if-modified-since'];
  if (ims !== undefined && route.lastModifiedMs !== undefined) {
    const since = Date.parse(ims);
    return !Number.isNaN(since) && route.lastModifiedMs <= since;
  }
  return false;
}

function writeChunks(res: ServerResponse, body: Buffer, offset = 0): void {
  const size = 64 * 1024;
  while (offset < body.length) {
    const more = res.write(body.subarray(offset, offset + size));
    offset += size;
    if (!more && offset < body.length) {
      res.once('drain', () => writeChunks(res, body, offset));
      return;
    }
  }
  res.end();
}

function pathOf(rawUrl: string | undefined): string {
  const url = rawUrl ?? '/';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, PreparedRoute>();
  const hitCounts = new Map<string, number>();
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const later = (ms: number, res: ServerResponse, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!res.destroyed) fn();
    }, ms);
    timers.add(timer);
  };

  const respond = (req: IncomingMessage, res: ServerResponse, route: PreparedRoute | undefined, record: RecordedRequest): void => {
    if (!route) {
      record.status = 404;
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    if (isNotModified(route, req.headers)) {
      record.status = 304;
      const headers: Record<string, string> = {};
      if (route.headers['etag'] !== undefined) headers['etag'] = route.headers['etag'];
      if (route.headers['last-modified'] !== undefined) headers['last-modified'] = route.headers['last-modified'];
      res.writeHead(304, headers).end();
      return;
    }
    let body = route.body;
    const headers = { ...route.headers };
    for (const [coding, bytes] of route.encoded) {
      if (accepts(req.headers['accept-encoding'], coding)) {
        body = bytes;
        headers['content-encoding'] = coding;
        break;
      }
    }
    record.status = route.status;
    const noBody = req.method === 'HEAD' || route.status === 204 || route.status === 304;
    if (!route.chunked) headers['content-length'] = String(noBody ? 0 : body.length);
    res.writeHead(route.status, headers);
    if (noBody) {
      res.end();
    } else if (route.chunked) {
      writeChunks(res, body);
    } else if (route.bodyDelayMs > 0) {
      const half = Math.floor(body.length / 2);
      res.write(body.subarray(0, half));
      later(route.bodyDelayMs, res, () => res.end(body.subarray(half)));
    } else {
      res.end(body);
    }
  };

  const server = createServer({ keepAlive: true }, (req, res) => {
    const path = pathOf(req.url);
    hitCounts.set(path, (hitCounts.get(path) ?? 0) + 1);
    const record: RecordedRequest = { path, headers: req.headers, status: 0 };
    requests.push(record);
    const route = routes.get(path);
    if (route && route.delayMs > 0) later(route.delayMs, res, () => respond(req, res, route, record));
    else respond(req, res, route, record);
  });
  // Requests from a closing client can reset; that is the client's business, not a test failure.
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const normalise = (path: string): string => (path.startsWith('/') ? path : `/${path}`);

  return {
    origin,
    requests,
    url: (path) => `${origin}${normalise(path)}`,
    set(path, route) {
      routes.set(normalise(path), prepare(route));
    },
    redirect(path, to, status = 302) {
      routes.set(normalise(path), prepare({ status, headers: { location: to }, body: '' }));
    },
    serveFolder(prefix, dir) {
      const base = normalise(prefix).replace(/\/$/, '');
      for (const name of readdirSync(dir)) {
        const file = join(dir, name);
        if (!statSync(file).isFile()) continue;
        routes.set(
          `${base}/${encodeURIComponent(name)}`,
          prepare({
            body: readFileSync(file),
            contentType: contentTypeFor(name),
            conditional: true,
          }),
        );
      }
    },
    hits: (path) => hitCounts.get(pathOf(normalise(path))) ?? 0,
    resetStats() {
      requests.length = 0;
      hitCounts.clear();
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
