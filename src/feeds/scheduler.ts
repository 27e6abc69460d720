import type { Logger } from '../logger.ts';
import { MinHeap } from './min-heap.ts';

export interface SchedulerOptions {
  /** How many feeds are polled at once. */
  concurrency: number;
  /** How many feeds of one host are polled at once: politeness towards one site with many feeds. */
  perHost: number;
  /** How often the due list is checked. */
  tickMs: number;
  now: () => number;
  logger: Logger;
}

/** Runs one feed's poll and says when it wants to run next (undefined: never again). */
export type PollJob = (feedId: string, now: number) => Promise<number | undefined>;

/** One scheduling of a feed. A new one replaces it, so a stale copy is known by identity. */
interface Entry {
  feedId: string;
  host: string;
  at: number;
  /** Breaks ties between equal due times: first scheduled, first run. */
  order: number;
  /** Moved out of its host's waiting line to take a freed slot (see #releaseWaiting). */
  released?: boolean;
}

const sooner = (a: Entry, b: Entry): boolean => a.at < b.at || (a.at === b.at && a.order < b.order);

/**
 * Hands due feeds to the poll job, soonest due first, under a global and a per-host
 * limit, never one feed twice at once. It only knows ids, hosts and due times, so a queue
 * across machines can later replace it without touching the engine.
 *
 * A tick costs in proportion to the feeds it starts (times a logarithm), not to the feeds
 * scheduled: due times sit in a heap, and a due feed whose host is at its limit waits in
 * that host's own line instead of being passed over on every tick.
 */
export class Scheduler {
  /** The current entry of every scheduled feed, running ones included. */
  readonly #entries = new Map<string, Entry>();
  /** Entries by due time. Replaced and unscheduled ones stay until they surface, then are dropped. */
  readonly #due = new MinHeap<Entry>(sooner);
  /** Due entries whose host was at its limit, per host, by due time. */
  readonly #waiting = new Map<string, MinHeap<Entry>>();
  readonly #running = new Map<string, Promise<void>>();
  readonly #hostLoad = new Map<string, number>();
  #order = 0;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(
    private readonly job: PollJob,
    private readonly options: SchedulerOptions,
  ) {}

  schedule(feedId: string, url: string, at: number): void {
    this.#enter(feedId, hostOf(url), at);
  }

  unschedule(feedId: string): void {
    this.#entries.delete(feedId);
  }

  start(): void {
    this.#stopped = false;
    this.#timer = setInterval(() => this.tick(), this.options.tickMs);
    this.tick();
  }

  /** Starts every due feed that fits under the limits; exposed so tests can step the clock. */
  tick(): void {
    if (this.#stopped) return;
    const now = this.options.now();
    while (this.#running.size < this.options.concurrency) {
      const entry = this.#due.peek();
      if (!entry || entry.at > now) break;
      this.#due.pop();
      if (this.#entries.get(entry.feedId) !== entry || this.#running.has(entry.feedId)) {
        // Replaced, unscheduled, or running (its poll's end schedules it anew). A released
        // entry held a freed slot for its host's line: pass the slot on.
        if (entry.released) this.#releaseWaiting(entry.host);
        continue;
      }
      if ((this.#hostLoad.get(entry.host) ?? 0) >= this.options.perHost) {
        this.#wait(entry);
        continue;
      }
      this.#run(entry, now);
    }
  }

  /** Resolves when every poll started so far has finished. */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running.values()]);
  }

  /** Stops starting polls and waits for those in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.idle();
  }

  #enter(feedId: string, host: string, at: number): void {
    const entry: Entry = { feedId, host, at, order: this.#order++ };
    this.#entries.set(feedId, entry);
    this.#due.push(entry);
    // Rescheduling leaves the replaced entries behind: sweep them out once they are the
    // larger part, so the heap stays within twice the schedule (amortised constant time).
    // Released entries stay: each still holds a slot for its host's line.
    if (this.#due.size > 2 * this.#entries.size + 64) this.#due.retain((e) => e.released === true || this.#entries.get(e.feedId) === e);
  }

  #wait(entry: Entry): void {
    entry.released = false;
    let line = this.#waiting.get(entry.host);
    if (!line) this.#waiting.set(entry.host, (line = new MinHeap<Entry>(sooner)));
    line.push(entry);
  }

  /**
   * A slot of `host` is free: the soonest entry of its line goes back among the due ones,
   * where it takes its turn by due time. One per freed slot, so a busy host's line is
   * never rescanned.
   */
  #releaseWaiting(host: string): void {
    if ((this.#hostLoad.get(host) ?? 0) >= this.options.perHost) return;
    const line = this.#waiting.get(host);
    if (!line) return;
    for (let entry = line.pop(); entry; entry = line.pop()) {
      if (this.#entries.get(entry.feedId) !== entry || this.#running.has(entry.feedId)) continue;
      entry.released = true;
      this.#due.push(entry);
      break;
    }
    if (line.size === 0) this.#waiting.delete(host);
  }

  #run(entry: Entry, now: number): void {
    const { feedId, host } = entry;
    this.#hostLoad.set(host, (this.#hostLoad.get(host) ?? 0) + 1);
    const run = this.job(feedId, now)
      .then((next) => {
        if (next === undefined) this.#entries.delete(feedId);
        // Only a feed still scheduled comes back: one unscheduled meanwhile stays out.
        else if (this.#entries.has(feedId)) this.#enter(feedId, host, next);
      })
      .catch((error: unknown) => {
        // pollFeed records feed failures itself; reaching here means a store or code fault.
        this.options.logger.error({ err: error, feedId }, 'poll crashed');
        if (this.#entries.has(feedId)) this.#enter(feedId, host, now + this.options.tickMs * 60);
      })
      .finally(() => {
        this.#running.delete(feedId);
        const load = (this.#hostLoad.get(host) ?? 1) - 1;
        if (load <= 0) this.#hostLoad.delete(host);
        else this.#hostLoad.set(host, load);
        this.#releaseWaiting(host);
        // Free slot: let the next due feed start without waiting a whole tick.
        if (!this.#stopped) setImmediate(() => this.tick());
      });
    this.#running.set(feedId, run);
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return url;
  }
}
