import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import zlib from 'node:zlib';

/**
 * "deflate" should mean zlib-wrapped data, but many servers send raw deflate under that name.
 * The first two bytes tell them apart (a zlib header is a multiple of 31 with method 8).
 */
export class AutoInflate extends Transform {
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
