import type { Logger } from '../logger.ts';
import type { Poster } from '../discord/poster.ts';
import type { Delivery, FeedRecord, Repositories, Subscription } from '../store/index.ts';
import { backoffDelay } from './backoff.ts';
import { diffItems } from './diff.ts';
import type { FetchOptions } from './fetch.ts';
import { formatItem } from './format.ts';
import { loadFeed } from './load.ts';
import { deliveryNonce } from './nonce.ts';
import { describeFailure, retryAfterMs } from './failure.ts';
import { failureNotice } from './notice.ts';

export interface PollSettings {
  intervalMs: number;
  maxItemAgeMs: number;
  maxPostsPerPoll: number;
  /** A feed that fails this many times in a row … */
  noticeAfterFailures: number;
  /** … over at least this long gets one notice in its channels. */
  noticeAfterMs: number;
  fetch: FetchOptions;
}

export interface PollDeps {
  repos: Repositories;
  poster: Poster;
  logger: Logger;
  settings: PollSettings;
}

/** How soon a post that failed for now is tried again. */
const RETRY_HELD_BACK_MS = 60_000;
/** A post still undeliverable after this long is dropped (logged) rather than blocking its channel forever. */
const MAX_QUEUED_MS = 24 * 3_600_000;

export type PollStatus = 'updated' | 'not-modified' | 'failed' | 'idle' | 'gone';

export interface PollResult {
  status: PollStatus;
  /** Undefined when the feed no longer exists and should leave the schedule. */
  nextFetchAt: number | undefined;
  posted: number;
}

/**
 * One feed's poll: fetch, diff against what was seen, queue posts, record the seen-set,
 * then deliver. The order of writes is what makes a crash harmless: posts are queued
 * before their stories are marked seen, and a queued post leaves the queue only after
 * Discord accepted it (with a nonce that turns a repeat into a no-op). The feed record's
 * `outboxPending` lets a poll that queues nothing skip reading an outbox known to be empty.
 */
export async function pollFeed(deps: PollDeps, feedId: string, now: number): Promise<PollResult> {
  const { repos, settings } = deps;
  const feed = await repos.feeds.get(feedId);
  if (!feed) return { status: 'gone', nextFetchAt: undefined, posted: 0 };
  const log = deps.logger.child({ feedId, url: feed.url });
  const subs = await repos.subscriptions.forFeed(feedId);
  const active = subs.filter((sub) => !sub.paused);
  if (active.length === 0) {
    const nextFetchAt = now + settings.intervalMs;
    await repos.feeds.update(feedId, (current) => ({ ...current, nextFetchAt }));
    return { status: 'idle', nextFetchAt, posted: 0 };
  }

  // Each step hands on the record its last write left (undefined once the feed is gone).
  let status: PollStatus;
  let record: FeedRecord | undefined;
  try {
    ({ status, record } = await fetchAndQueue(deps, feed, active, now, log));
  } catch (error) {
    // A shutdown abort is not the feed's fault: leave its record as it was.
    if (settings.fetch.signal?.aborted) return { status: 'failed', nextFetchAt: feed.nextFetchAt, posted: 0 };
    status = 'failed';
    record = await recordFailure(deps, feed, active, error, now, log);
  }
  const delivered = await deliverQueued(deps, feed.id, record, now, log);
  return { status, nextFetchAt: delivered.record?.nextFetchAt, posted: delivered.posted };
}

async function fetchAndQueue(
  deps: PollDeps,
  feed: FeedRecord,
  active: Subscription[],
  now: number,
  log: Logger,
): Promise<{ status: PollStatus; record: FeedRecord | undefined }> {
  const { repos, settings } = deps;
  const result = await loadFeed(feed.url, { etag: feed.etag, lastModified: feed.lastModified }, settings.fetch);
  const nextFetchAt = now + settings.intervalMs;
  if (result.kind === 'not-modified') {
    const record = await repos.feeds.update(feed.id, (current) => ({ ...succeeded(current, now), nextFetchAt }));
    return { status: 'not-modified', record };
  }

  const previous = await repos.seen.get(feed.id);
  const diff = diffItems(result.feed.items, previous ?? new Set(), {
    now,
    maxAgeMs: settings.maxItemAgeMs,
    maxPerPoll: settings.maxPostsPerPoll,
  });
  if (previous === undefined) {
    // A feed with no seen-set has never been read: its whole body is backlog.
    diff.stale.push(...diff.fresh, ...diff.deferred);
    diff.fresh = [];
    diff.deferred = [];
  }

  const deliveries: Delivery[] = [];
  for (const { item, keys } of diff.fresh) {
    const itemKey = keys[0] ?? '';
    for (const sub of active) {
      if (sub.skipKeys?.some((key) => keys.includes(key))) continue;
      const body = formatItem(item, { title: result.feed.title ?? feed.title, url: feed.url }, { roleId: sub.roleId });
      const id = deliveryNonce(sub.id, itemKey);
      deliveries.push({ id, subscriptionId: sub.id, channelId: sub.channelId, itemKey, body, queuedAt: now, attempts: 0 });
    }
  }
  if (deliveries.length > 0 && feed.outboxPending === false) {
    // Raised before anything is queued (see FeedRecord.outboxPending).
    await repos.feeds.update(feed.id, (current) => ({ ...current, outboxPending: true }));
  }
  await repos.outbox.enqueue(feed.id, deliveries);

  const deferred = new Set(diff.deferred.flatMap(({ keys }) => keys));
  const recorded = diff.all.flatMap(({ keys }) => keys).filter((key) => !deferred.has(key));
  await repos.seen.record(feed.id, recorded, previous);

  for (const sub of active) {
    if (sub.skipKeys) await repos.subscriptions.update(sub.id, (current) => ({ ...current, skipKeys: undefined }));
  }
  const record = await repos.feeds.update(feed.id, (current) => ({
    ...succeeded(current, now),
    title: result.feed.title ?? current.title,
    // Deferred stories are only in this body: a 304 next time would hide them.
    etag: diff.deferred.length > 0 ? undefined : result.validators.etag,
    lastModified: diff.deferred.length > 0 ? undefined : result.validators.lastModified,
    nextFetchAt,
  }));
  if (diff.stale.length > 0) log.info({ skipped: diff.stale.length }, 'new items older than the age limit recorded without posting');
  if (diff.deferred.length > 0) log.info({ deferred: diff.deferred.length }, 'more new items than one poll posts; the rest go out next poll');
  return { status: 'updated', record };
}

function succeeded(feed: FeedRecord, now: number): FeedRecord {
  return {
    ...feed,
    lastFetchAt: now,
    lastSuccessAt: now,
    lastError: undefined,
    failures: 0,
    failingSince: undefined,
    failureNoticeAt: undefined,
  };
}

async function recordFailure(
  deps: PollDeps,
  feed: FeedRecord,
  active: Subscription[],
  error: unknown,
  now: number,
  log: Logger,
): Promise<FeedRecord | undefined> {
  const { repos, settings } = deps;
  const reason = describeFailure(error);
  const updated = await repos.feeds.update(feed.id, (current) => {
    const failures = current.failures + 1;
    return {
      ...current,
      lastFetchAt: now,
      lastError: reason,
      failures,
      failingSince: current.failingSince ?? now,
      nextFetchAt: now + backoffDelay(failures, settings.intervalMs, retryAfterMs(error)),
    };
  });
  log.warn({ failures: updated?.failures, reason }, 'feed poll failed');
  if (!updated || updated.failureNoticeAt !== undefined) return updated;
  const longEnough = now - (updated.failingSince ?? now) >= settings.noticeAfterMs;
  if (updated.failures < settings.noticeAfterFailures || !longEnough) return updated;

  // Marked first: a crash here must not turn one notice into one per restart.
  const marked = await repos.feeds.update(feed.id, (current) => ({ ...current, failureNoticeAt: now }));
  for (const sub of active) {
    const outcome = await deps.poster.post(
      sub.channelId,
      failureNotice(updated, reason),
      deliveryNonce(sub.id, `notice:${updated.failingSince}`),
    );
    if (!outcome.ok) log.warn({ subscriptionId: sub.id, reason: outcome.reason }, 'could not post the failure notice');
  }
  return marked;
}

async function deliverQueued(
  deps: PollDeps,
  feedId: string,
  record: FeedRecord | undefined,
  now: number,
  log: Logger,
): Promise<{ posted: number; record: FeedRecord | undefined }> {
  const { repos, poster } = deps;
  // Most polls queue nothing: one read spared per poll.
  if (record?.outboxPending === false) return { posted: 0, record };
  let queue = await repos.outbox.list(feedId);
  const blockedChannels = new Set<string>();
  let posted = 0;
  let heldBack = false;
  for (const delivery of [...queue]) {
    // Shutting down: what is still queued stays queued for the next start.
    if (deps.settings.fetch.signal?.aborted) break;
    // Read fresh: a moderator may have paused or removed it while this poll ran.
    const sub = await repos.subscriptions.get(delivery.subscriptionId);
    if (!sub || sub.paused || now - delivery.queuedAt > MAX_QUEUED_MS) {
      if (sub && !sub.paused) log.error({ subscriptionId: sub.id, itemKey: delivery.itemKey }, 'post undeliverable for a day; dropping it');
      queue = queue.filter((d) => d.id !== delivery.id);
      await repos.outbox.replace(feedId, queue);
      continue;
    }
    // Keep a channel's posts in order: once one is held back, the rest wait with it.
    if (blockedChannels.has(delivery.channelId)) continue;

    const outcome = await poster.post(delivery.channelId, delivery.body, delivery.id);
    if (outcome.ok) {
      posted += 1;
      queue = queue.filter((d) => d.id !== delivery.id);
      await repos.outbox.replace(feedId, queue);
      await repos.subscriptions.update(sub.id, (current) => ({ ...current, lastPostAt: now }));
      record = await repos.feeds.update(feedId, (current) => ({ ...current, lastPostAt: now }));
      continue;
    }
    const context = { subscriptionId: sub.id, channelId: sub.channelId, reason: outcome.reason };
    if (outcome.kind === 'no-access') {
      log.warn(context, 'pausing subscription: the channel refused the post');
      sub.paused = true;
      await repos.subscriptions.update(sub.id, (current) => ({
        ...current,
        paused: true,
        pausedReason: `Paused automatically: ${outcome.reason}. Fix the channel, then use /feed resume.`,
      }));
      queue = queue.filter((d) => d.subscriptionId !== sub.id);
      await repos.outbox.replace(feedId, queue);
    } else if (outcome.kind === 'rejected') {
      log.error({ ...context, itemKey: delivery.itemKey }, 'Discord rejected a post; dropping it');
      queue = queue.filter((d) => d.id !== delivery.id);
      await repos.outbox.replace(feedId, queue);
    } else {
      log.warn(context, 'post failed for now; it stays queued and is retried within a minute');
      blockedChannels.add(delivery.channelId);
      heldBack = true;
      queue = queue.map((d) => (d.id === delivery.id ? { ...d, attempts: d.attempts + 1 } : d));
      await repos.outbox.replace(feedId, queue);
    }
  }
  // Lowered only now that the empty outbox is written (see FeedRecord.outboxPending).
  if (queue.length === 0) record = await repos.feeds.update(feedId, (current) => ({ ...current, outboxPending: false }));
  // A held-back post is retried soon, while Discord still remembers its nonce.
  else if (heldBack) {
    record = await repos.feeds.update(feedId, (current) => ({
      ...current,
      nextFetchAt: Math.min(current.nextFetchAt, now + RETRY_HELD_BACK_MS),
    }));
  }
  return { posted, record };
}
