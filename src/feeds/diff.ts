import type { Item } from './item.ts';
import { keyItems, type KeyedItem } from './identify.ts';

export type { KeyedItem } from './identify.ts';

export interface Diff {
  /** New stories to post, oldest first. */
  fresh: KeyedItem[];
  /** New but dated before the age limit: recorded as seen, never posted. */
  stale: KeyedItem[];
  /** New stories beyond this poll's cap: left unseen so the next poll posts them. */
  deferred: KeyedItem[];
  /** Every distinct story in the body, in document order. */
  all: KeyedItem[];
}

/** Posts per feed per poll unless configured otherwise: a publisher's glitch posts ten stories, not a hundred. */
export const MAX_POSTS_PER_POLL = 10;

export interface DiffOptions {
  now: number;
  maxAgeMs: number;
  /** At most this many posts per feed per poll, so a publisher's glitch cannot flood a channel. */
  maxPerPoll: number;
}

/** Splits a feed body into what is new, too old and over the cap, given what was seen before. */
export function diffItems(items: readonly Item[], seen: ReadonlySet<string>, options: DiffOptions): Diff {
  const all: KeyedItem[] = [];
  const inBody = new Set<string>();
  for (const { item, keys } of keyItems(items)) {
    // The same story twice in one body (duplicated guid, mirrored entries) is one story.
    if (keys.some((key) => inBody.has(key))) continue;
    for (const key of keys) inBody.add(key);
    all.push({ item, keys });
  }

  const unseen = all.filter(({ keys }) => !keys.some((key) => seen.has(key)));
  const oldestFirst = orderOldestFirst(unseen);
  const cutoff = options.now - options.maxAgeMs;
  const isStale = ({ item }: KeyedItem) => item.date !== undefined && item.date.getTime() < cutoff;
  const stale = oldestFirst.filter(isStale);
  const recent = oldestFirst.filter((entry) => !isStale(entry));
  return {
    fresh: recent.slice(0, options.maxPerPoll),
    deferred: recent.slice(options.maxPerPoll),
    stale,
    all,
  };
}

/**
 * Feeds list newest first, so reversed document order is the best guess for undated
 * items; dated items are then ordered by date, stably.
 */
function orderOldestFirst(entries: KeyedItem[]): KeyedItem[] {
  const reversed = [...entries].reverse();
  if (reversed.every(({ item }) => item.date !== undefined)) {
    return reversed.sort((a, b) => (a.item.date?.getTime() ?? 0) - (b.item.date?.getTime() ?? 0));
  }
  return reversed;
}
