import type Keyv from 'keyv';
import type { RESTPostAPIChannelMessageJSONBody } from 'discord.js';

/** A post that must reach one channel: written before the feed's seen-set, removed after Discord accepts it. */
export interface Delivery {
  /** Stable per (subscription, item); doubles as the message nonce. */
  id: string;
  subscriptionId: string;
  channelId: string;
  itemKey: string;
  body: RESTPostAPIChannelMessageJSONBody;
  queuedAt: number;
  attempts: number;
}

const key = (feedId: string) => `outbox:${feedId}`;

/**
 * Pending posts per feed. The engine is the only writer of a feed's outbox and polls a
 * feed at most once at a time, so a plain get/set per change is race-free.
 */
export class OutboxRepository {
  constructor(private readonly kv: Keyv) {}

  async list(feedId: string): Promise<Delivery[]> {
    return (await this.kv.get<Delivery[]>(key(feedId))) ?? [];
  }

  /** Adds deliveries not already queued; a crash between enqueue and the seen-set write re-enqueues the same ids. */
  async enqueue(feedId: string, deliveries: Delivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    const queued = await this.list(feedId);
    const ids = new Set(queued.map((d) => d.id));
    const fresh = deliveries.filter((d) => !ids.has(d.id));
    if (fresh.length > 0) await this.kv.set(key(feedId), [...queued, ...fresh]);
  }

  async replace(feedId: string, deliveries: Delivery[]): Promise<void> {
    if (deliveries.length === 0) await this.kv.delete(key(feedId));
    else await this.kv.set(key(feedId), deliveries);
  }

  async delete(feedId: string): Promise<void> {
    await this.kv.delete(key(feedId));
  }
}
