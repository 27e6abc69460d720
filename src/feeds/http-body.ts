import type { IncomingMessage } from 'node:http';
import { addAbortSignal, pipeline } from 'node:stream';
import type { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import { AutoInflate } from './auto-inflate.ts';
import { BodyDecodeError, FeedFetchError } from './fetch-error.ts';
import { responseHeader } from './response-header.ts';

// Small error bodies are drained so the keep-alive socket can be reused; larger ones are not worth it.
const MAX_DRAIN_BYTES = 16 * 1024;

/**
 * A response body, decompressed, refused as soon as it passes `maxBytes` (counted after
 * decompression, so a small compressed bomb cannot blow up memory).
 */
export function readBody(res: IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  const encodings = (responseHeader(res, 'content-encoding') ?? '')
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
        throw new BodyDecodeError(decodeFailure, { cause: err });
      }
      throw err;
    }
    return Buffer.concat(chunks, total);
  })();
}

/** Lets go of a body nobody will read: drained when small (the socket stays reusable), else destroyed. */
export function discardBody(res: IncomingMessage, status: number): void {
  const length = Number(res.headers['content-length']);
  if (status === 304 || status === 204 || (Number.isFinite(length) && length <= MAX_DRAIN_BYTES)) {
    res.resume();
  } else {
    res.destroy();
  }
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

function tooLarge(maxBytes: number): FeedFetchError {
  return new FeedFetchError('too-large', `The feed is larger than ${formatBytes(maxBytes)}, so the bot did not download it.`);
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
