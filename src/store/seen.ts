import type Keyv from 'keyv';

/** How many keys a seen-set keeps beyond those in the current feed body. */
export const SEEN_HISTORY = 1000;

const key = (feedId: string) => `seen:${feedId}`;

/**
 * Remembers which stories of a feed were already handled. Bounded so it cannot grow
 * forever, yet every key of the feed's current body is always kept: forgetting one of
 * those would repost it on the next poll.
 */
export class SeenRepository {
  constructor(private readonly kv: Keyv) {}

  async get(feedId: string): Promise<Set<string> | undefined> {
    const keys = await this.kv.get<string[]>(key(feedId));
    return keys ? new Set(keys) : undefined;
  }

  /**
   * @param current keys of every item in the feed body just read (must all be kept)
   * @param previous the set read before this poll
   */
  async record(feedId: string, current: string[], previous: Set<string> | undefined): Promise<void> {
    const keep = new Set(current);
    for (const old of previous ?? []) {
      if (keep.size >= current.length + SEEN_HISTORY) break;
      keep.add(old);
    }
    await this.kv.set(key(feedId), [...keep]);
  }

  async delete(feedId: string): Promise<void> {
    await this.kv.delete(key(feedId));
  }
}
