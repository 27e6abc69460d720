import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Shared measuring helpers for `npm run bench`: timing, percentiles, memory sampling, tables. */

export interface Timed<T> {
  value: T;
  wallMs: number;
  /** User + system CPU of the whole process over the same span. */
  cpuMs: number;
  userMs: number;
  systemMs: number;
}

/** Wall and CPU time of one async call. */
export async function timed<T>(run: () => Promise<T>): Promise<Timed<T>> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await run();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { value, wallMs, cpuMs: (used.user + used.system) / 1000, userMs: used.user / 1000, systemMs: used.system / 1000 };
}

export function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** Nearest-rank percentile of unsorted samples (p in 0..100); NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

export interface MemoryPeak {
  /** Highest resident set size seen, bytes. */
  rss: number;
  /** Highest V8 heap in use seen, bytes. */
  heapUsed: number;
  /** Values when sampling started, for deltas. */
  startRss: number;
  startHeapUsed: number;
  samples: number;
}

/**
 * Samples process memory every `intervalMs` until stopped. The timer is unref'd so a
 * forgotten sampler never keeps the process alive.
 */
export function sampleMemory(intervalMs = 20): { stop(): MemoryPeak } {
  const first = process.memoryUsage();
  const peak: MemoryPeak = {
    rss: first.rss,
    heapUsed: first.heapUsed,
    startRss: first.rss,
    startHeapUsed: first.heapUsed,
    samples: 1,
  };
  const take = (): void => {
    const now = process.memoryUsage();
    peak.rss = Math.max(peak.rss, now.rss);
    peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed);
    peak.samples += 1;
  };
  const timer = setInterval(take, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}

let gc: (() => void) | undefined;

/**
 * A full garbage collection, so a heap figure taken next is what is really retained.
 * Works without --expose-gc (tsx starts node itself): the flag is set at run time and the
 * function taken from a fresh context.
 */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

/** V8 heap in use after a full collection. */
export function retainedHeap(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const ms = (value: number): string => `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ms`;
export const ratio = (value: number): string => `×${value.toFixed(2)}`;
export const percent = (value: number): string => `${value >= 0 ? '+' : ''}${value.toFixed(1)} %`;

/**
 * Prints rows as an aligned table. Numbers-looking cells are right-aligned, the rest left.
 */
export function printTable(headers: readonly string[], rows: readonly (readonly string[])[], indent = '  '): void {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const numeric = /^[-+×]?[\d.,]+(\s?\S+)?$/;
  const line = (cells: readonly string[]): string =>
    indent +
    cells
      .map((cell, column) => {
        const width = widths[column] ?? cell.length;
        return column > 0 && numeric.test(cell) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  console.log(line(headers));
  console.log(indent + widths.map((width) => '─'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
}

/** A section heading in the bench output. */
export function heading(title: string): void {
  console.log('');
  console.log(`━━ ${title} ${'━'.repeat(Math.max(3, 76 - title.length))}`);
}
