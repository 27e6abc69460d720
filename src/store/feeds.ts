import type Keyv from 'keyv';
import { KeyedLock } from './keyed-lock.ts';

/** One fetched URL. Shared by every subscription to it, so it is fetched once per interval. */
export interface FeedRecord {
  id: string;
  url: string;
  title?: string | undefined;
  etag?: string | undefined;
  lastModified?: string | undefined;
  lastFetchAt?: number | undefined;
  lastSuccessAt?: number | undefined;
  lastPostAt?: number | undefined;
  lastError?: string | undefined;
  /** Consecutive failed polls; drives the back-off. */
  failures: number;
  failingSince?: number | undefined;
  /** When the "this feed keeps failing" notice went out, so it goes out once per outage. */
  failureNoticeAt?: number | undefined;
  nextFetchAt: number;
  /**
   * Whether the feed's outbox may hold posts; only `false` promises anything: the outbox
   * is empty, so a poll that queues nothing need not read it. Invariant: a non-empty
   * outbox never goes with `false`. The poll sets it before it queues posts and clears it
   * only once the outbox is empty, so a crash between any two writes keeps the invariant;
   * a record written before the field existed has none and is read as "may hold posts".
   */
  outboxPending?: boolean | undefined;
}

const INDEX = 'feeds:index';
const key = (id: string) => `feed:${id}`;

export class FeedRepository {
  readonly #lock = new KeyedLock();
  constructor(private readonly kv: Keyv) {}

  async get(id: string): Promise<FeedRecord | undefined> {
    return (await this.kv.get<FeedRecord>(key(id))) ?? undefined;
  }

  async put(feed: FeedRecord): Promise<void> {
    await this.kv.set(key(feed.id), feed);
    await this.#lock.run(INDEX, async () => {
      const ids = await this.ids();
      if (!ids.includes(feed.id)) await this.kv.set(INDEX, [...ids, feed.id]);
    });
  }

  /** Read-modify-write of one feed, serialised so a poll and a command cannot lose each other's fields. */
  async update(id: string, change: (feed: FeedRecord) => FeedRecord): Promise<FeedRecord | undefined> {
    return this.#lock.run(key(id), async () => {
      const feed = await this.get(id);
      if (!feed) return undefined;
      const next = change(feed);
      await this.kv.set(key(id), next);
      return next;
    });
  }

  async delete(id: string): Promise<void> {
    await this.kv.delete(key(id));
    await this.#lock.run(INDEX, async () => {
      const ids = await this.ids();
      if (ids.includes(id)) await this.kv.set(INDEX, ids.filter((other) => other !== id));
    });
  }

  async ids(): Promise<string[]> {
    return (await this.kv.get<string[]>(INDEX)) ?? [];
  }

  async all(): Promise<FeedRecord[]> {
    const ids = await this.ids();
    if (ids.length === 0) return [];
    const feeds = await this.kv.getMany<FeedRecord>(ids.map(key));
    return feeds.filter((feed): feed is FeedRecord => feed !== undefined && feed !== null);
  }
}
