import type { Logger } from '../logger.ts';

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

/**
 * Hands due feeds to the poll job. It only knows ids, hosts and due times, so a queue
 * across machines can later replace it without touching the engine.
 */
export class Scheduler {
  readonly #due = new Map<string, { at: number; host: string }>();
  readonly #running = new Map<string, Promise<void>>();
  readonly #hostLoad = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(
    private readonly job: PollJob,
    private readonly options: SchedulerOptions,
  ) {}

  schedule(feedId: string, url: string, at: number): void {
    this.#due.set(feedId, { at, host: hostOf(url) });
  }

  unschedule(feedId: string): void {
    this.#due.delete(feedId);
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
    const due = [...this.#due.entries()].filter(([id, entry]) => entry.at <= now && !this.#running.has(id));
    due.sort((a, b) => a[1].at - b[1].at);
    for (const [feedId, { host }] of due) {
      if (this.#running.size >= this.options.concurrency) break;
      if ((this.#hostLoad.get(host) ?? 0) >= this.options.perHost) continue;
      this.#run(feedId, host, now);
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

  #run(feedId: string, host: string, now: number): void {
    this.#hostLoad.set(host, (this.#hostLoad.get(host) ?? 0) + 1);
    const run = this.job(feedId, now)
      .then((next) => {
        if (next === undefined) this.#due.delete(feedId);
        else if (this.#due.has(feedId)) this.#due.set(feedId, { at: next, host });
      })
      .catch((error: unknown) => {
        // pollFeed records feed failures itself; reaching here means a store or code fault.
        this.options.logger.error({ err: error, feedId }, 'poll crashed');
        const entry = this.#due.get(feedId);
        if (entry) entry.at = now + this.options.tickMs * 60;
      })
      .finally(() => {
        this.#running.delete(feedId);
        const load = (this.#hostLoad.get(host) ?? 1) - 1;
        if (load <= 0) this.#hostLoad.delete(host);
        else this.#hostLoad.set(host, load);
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
