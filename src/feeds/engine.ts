import type { Logger } from '../logger.ts';
import type { Poster } from '../discord/poster.ts';
import type { Repositories } from '../store/index.ts';
import { pollFeed, type PollResult, type PollSettings } from './poll.ts';
import { Scheduler } from './scheduler.ts';

export interface EngineOptions {
  repos: Repositories;
  poster: Poster;
  logger: Logger;
  settings: PollSettings;
  concurrency?: number;
  perHost?: number;
  tickMs?: number;
  now?: () => number;
}

/**
 * The news desk's engine: a scheduler handing due feeds to pollFeed. It talks to Discord
 * only through the REST poster, so it could run in a worker without a gateway.
 */
export class FeedEngine {
  readonly #scheduler: Scheduler;
  readonly #abort = new AbortController();
  readonly now: () => number;

  constructor(private readonly options: EngineOptions) {
    this.now = options.now ?? Date.now;
    this.#scheduler = new Scheduler((feedId, now) => this.#poll(feedId, now).then((r) => r.nextFetchAt), {
      concurrency: options.concurrency ?? 8,
      perHost: options.perHost ?? 2,
      tickMs: options.tickMs ?? Math.min(1000, options.settings.intervalMs),
      now: this.now,
      logger: options.logger,
    });
  }

  /** Loads every known feed into the schedule and starts polling. */
  async start(): Promise<void> {
    const now = this.now();
    for (const feed of await this.options.repos.feeds.all()) {
      // Posts queued before a crash go out at once, while Discord still remembers their
      // nonces, rather than at the feed's next fetch.
      const at = feed.outboxPending === false ? feed.nextFetchAt : Math.min(feed.nextFetchAt, now);
      this.schedule(feed.id, feed.url, at);
    }
    this.#scheduler.start();
  }

  schedule(feedId: string, url: string, at: number): void {
    this.#scheduler.schedule(feedId, url, at);
  }

  unschedule(feedId: string): void {
    this.#scheduler.unschedule(feedId);
  }

  /** Polls one feed now, outside the schedule (tests, benchmarks, a worker fed by a queue). */
  pollNow(feedId: string): Promise<PollResult> {
    return this.#poll(feedId, this.now());
  }

  tick(): void {
    this.#scheduler.tick();
  }

  idle(): Promise<void> {
    return this.#scheduler.idle();
  }

  /** Stops polling; in-flight fetches are aborted and their feeds retried on the next start. */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#scheduler.stop();
  }

  #poll(feedId: string, now: number): Promise<PollResult> {
    const { settings } = this.options;
    return pollFeed(
      {
        repos: this.options.repos,
        poster: this.options.poster,
        logger: this.options.logger,
        settings: { ...settings, fetch: { ...settings.fetch, signal: this.#abort.signal } },
      },
      feedId,
      now,
    );
  }
}
