import type Keyv from 'keyv';
import { KeyedLock } from './keyed-lock.ts';

/** A channel's wish to receive one feed's stories. */
export interface Subscription {
  id: string;
  guildId: string;
  channelId: string;
  feedId: string;
  /** The only role an automatic post may mention. */
  roleId?: string | undefined;
  paused: boolean;
  /** Why it is paused, in words a moderator understands. */
  pausedReason?: string | undefined;
  createdAt: number;
  createdBy: string;
  lastPostAt?: number | undefined;
  /**
   * Item keys that were already in the feed when this subscription joined a feed other
   * channels follow: they are old news for this channel even if the shared seen-set has
   * not recorded them yet. Cleared by the first poll after joining.
   */
  skipKeys?: string[] | undefined;
}

const key = (id: string) => `sub:${id}`;
const byGuild = (guildId: string) => `subs:guild:${guildId}`;
const byFeed = (feedId: string) => `subs:feed:${feedId}`;

export class SubscriptionRepository {
  readonly #lock = new KeyedLock();
  constructor(private readonly kv: Keyv) {}

  async get(id: string): Promise<Subscription | undefined> {
    return (await this.kv.get<Subscription>(key(id))) ?? undefined;
  }

  async create(sub: Subscription): Promise<void> {
    await this.kv.set(key(sub.id), sub);
    await this.#addToIndex(byGuild(sub.guildId), sub.id);
    await this.#addToIndex(byFeed(sub.feedId), sub.id);
  }

  async update(id: string, change: (sub: Subscription) => Subscription): Promise<Subscription | undefined> {
    return this.#lock.run(key(id), async () => {
      const sub = await this.get(id);
      if (!sub) return undefined;
      const next = change(sub);
      await this.kv.set(key(id), next);
      return next;
    });
  }

  async delete(sub: Subscription): Promise<void> {
    await this.#removeFromIndex(byGuild(sub.guildId), sub.id);
    await this.#removeFromIndex(byFeed(sub.feedId), sub.id);
    await this.kv.delete(key(sub.id));
  }

  async forGuild(guildId: string): Promise<Subscription[]> {
    return this.#load((await this.kv.get<string[]>(byGuild(guildId))) ?? []);
  }

  async forFeed(feedId: string): Promise<Subscription[]> {
    return this.#load((await this.kv.get<string[]>(byFeed(feedId))) ?? []);
  }

  async #load(ids: string[]): Promise<Subscription[]> {
    if (ids.length === 0) return [];
    const subs = await this.kv.getMany<Subscription>(ids.map(key));
    return subs.filter((sub): sub is Subscription => sub !== undefined && sub !== null);
  }

  async #addToIndex(indexKey: string, id: string): Promise<void> {
    await this.#lock.run(indexKey, async () => {
      const ids = (await this.kv.get<string[]>(indexKey)) ?? [];
      if (!ids.includes(id)) await this.kv.set(indexKey, [...ids, id]);
    });
  }

  async #removeFromIndex(indexKey: string, id: string): Promise<void> {
    await this.#lock.run(indexKey, async () => {
      const ids = (await this.kv.get<string[]>(indexKey)) ?? [];
      const rest = ids.filter((other) => other !== id);
      if (rest.length === 0) await this.kv.delete(indexKey);
      else if (rest.length !== ids.length) await this.kv.set(indexKey, rest);
    });
  }
}
