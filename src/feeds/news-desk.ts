import { createHash, randomBytes } from 'node:crypto';
import type { RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { FeedRecord, Repositories, Subscription } from '../store/index.ts';
import { FeedUrlError, parseFeedUrl } from './address-guard.ts';
import type { FeedEngine } from './engine.ts';
import { FeedFetchError, type FetchOptions } from './fetch.ts';
import { formatItem } from './format.ts';
import { keyItems } from './identify.ts';
import type { ParsedFeed } from './item.ts';
import { loadFeed } from './load.ts';
import { FeedParseError } from './parse.ts';

/** A server can follow this many feeds; enough for any fan server, small enough to stay polite. */
export const MAX_SUBSCRIPTIONS_PER_GUILD = 50;

export interface FeedPreview {
  url: string;
  title: string;
  itemCount: number;
  /** How the feed's latest story will look once posted; undefined for an empty feed. */
  latest: RESTPostAPIChannelMessageJSONBody | undefined;
}

export interface SubscriptionView {
  subscription: Subscription;
  feed: FeedRecord;
}

export interface NewsDeskOptions {
  repos: Repositories;
  engine: Pick<FeedEngine, 'schedule' | 'unschedule'>;
  logger: Logger;
  fetch: FetchOptions;
  intervalMs: number;
  now?: () => number;
}

/** What moderators do with feeds: subscribe, unsubscribe, pause, resume, inspect. Discord-free. */
export class NewsDesk {
  readonly #now: () => number;
  constructor(private readonly options: NewsDeskOptions) {
    this.#now = options.now ?? Date.now;
  }

  /** Fetches a URL once and shows what following it would look like; subscribes to nothing. */
  async preview(input: string): Promise<FeedPreview> {
    const { url, feed } = await this.#read(input);
    return describe(url, feed);
  }

  async subscribe(request: {
    guildId: string;
    channelId: string;
    url: string;
    roleId?: string | undefined;
    userId: string;
  }): Promise<{ subscription: Subscription; preview: FeedPreview }> {
    const { repos } = this.options;
    const url = normaliseFeedUrl(request.url);
    const existing = await repos.subscriptions.forGuild(request.guildId);
    const feedId = feedIdFor(url);
    if (existing.some((sub) => sub.feedId === feedId && sub.channelId === request.channelId)) {
      throw new UserError(`<#${request.channelId}> already follows that feed.`);
    }
    if (existing.length >= MAX_SUBSCRIPTIONS_PER_GUILD) {
      throw new UserError(
        `This server already follows ${MAX_SUBSCRIPTIONS_PER_GUILD} feeds, the most one server can have. Remove one with /feed remove first.`,
      );
    }

    const { feed } = await this.#read(url);
    const now = this.#now();
    const keys = keyItems(feed.items).flatMap(({ keys }) => keys);
    const known = await repos.feeds.get(feedId);
    let skipKeys: string[] | undefined;
    if (known) {
      // The feed is already polled for other channels: its seen-set is theirs. Stories
      // in the body now are old news here, even those the next poll will call new.
      skipKeys = await this.#unseenKeys(feedId, feed);
    } else {
      // Everything already in the feed counts as seen: adding a feed never posts its backlog.
      await repos.seen.record(feedId, keys, undefined);
      await repos.feeds.put({
        id: feedId,
        url,
        title: feed.title,
        failures: 0,
        lastFetchAt: now,
        lastSuccessAt: now,
        nextFetchAt: now + this.options.intervalMs,
      });
    }

    const subscription: Subscription = {
      id: newSubscriptionId(),
      guildId: request.guildId,
      channelId: request.channelId,
      feedId,
      roleId: request.roleId,
      paused: false,
      createdAt: now,
      createdBy: request.userId,
      skipKeys,
    };
    await repos.subscriptions.create(subscription);
    const scheduled = known ?? (await repos.feeds.get(feedId));
    if (scheduled) this.options.engine.schedule(feedId, url, scheduled.nextFetchAt);
    this.options.logger.info(
      { guildId: request.guildId, channelId: request.channelId, feedId, subscriptionId: subscription.id, url },
      'subscription added',
    );
    return { subscription, preview: describe(url, feed) };
  }

  async list(guildId: string): Promise<SubscriptionView[]> {
    const subs = await this.options.repos.subscriptions.forGuild(guildId);
    const views: SubscriptionView[] = [];
    for (const subscription of subs) {
      const feed = await this.options.repos.feeds.get(subscription.feedId);
      if (feed) views.push({ subscription, feed });
    }
    return views.sort((a, b) => a.subscription.createdAt - b.subscription.createdAt);
  }

  async status(guildId: string, subscriptionId: string): Promise<SubscriptionView> {
    const subscription = await this.#own(guildId, subscriptionId);
    const feed = await this.options.repos.feeds.get(subscription.feedId);
    if (!feed) throw new UserError('That feed is no longer known. Add it again with /feed add.');
    return { subscription, feed };
  }

  async remove(guildId: string, subscriptionId: string): Promise<SubscriptionView> {
    const view = await this.status(guildId, subscriptionId);
    const { repos } = this.options;
    await repos.subscriptions.delete(view.subscription);
    const others = await repos.subscriptions.forFeed(view.feed.id);
    if (others.length === 0) {
      this.options.engine.unschedule(view.feed.id);
      await repos.feeds.delete(view.feed.id);
      await repos.seen.delete(view.feed.id);
      await repos.outbox.delete(view.feed.id);
    }
    this.options.logger.info({ guildId, subscriptionId, feedId: view.feed.id }, 'subscription removed');
    return view;
  }

  async pause(guildId: string, subscriptionId: string, userId: string): Promise<SubscriptionView> {
    const view = await this.status(guildId, subscriptionId);
    if (view.subscription.paused) throw new UserError('That feed is already paused.');
    const subscription = await this.options.repos.subscriptions.update(subscriptionId, (sub) => ({
      ...sub,
      paused: true,
      pausedReason: `Paused by <@${userId}> on <t:${Math.floor(this.#now() / 1000)}:f>.`,
    }));
    return { ...view, subscription: subscription ?? view.subscription };
  }

  async resume(guildId: string, subscriptionId: string): Promise<SubscriptionView> {
    const view = await this.status(guildId, subscriptionId);
    if (!view.subscription.paused) throw new UserError('That feed is not paused.');
    // Stories published while paused are skipped on purpose: resuming must not flood the
    // channel, so without a fresh read of the feed there is nothing safe to resume from.
    let skipKeys: string[] | undefined;
    try {
      const { feed } = await this.#read(view.feed.url);
      skipKeys = await this.#unseenKeys(view.feed.id, feed);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      throw new UserError(`${error.message}\nThe feed stays paused; try /feed resume again later.`);
    }
    const subscription = await this.options.repos.subscriptions.update(subscriptionId, (sub) => ({
      ...sub,
      paused: false,
      pausedReason: undefined,
      skipKeys,
    }));
    this.options.engine.schedule(view.feed.id, view.feed.url, Math.min(view.feed.nextFetchAt, this.#now()));
    return { ...view, subscription: subscription ?? view.subscription };
  }

  /** Keys in the body that the shared seen-set does not hold yet. */
  async #unseenKeys(feedId: string, feed: ParsedFeed): Promise<string[] | undefined> {
    const seen = await this.options.repos.seen.get(feedId);
    const unseen = keyItems(feed.items).flatMap(({ keys }) => keys).filter((key) => !seen?.has(key));
    return unseen.length > 0 ? unseen : undefined;
  }

  async #own(guildId: string, subscriptionId: string): Promise<Subscription> {
    const sub = await this.options.repos.subscriptions.get(subscriptionId);
    if (!sub || sub.guildId !== guildId) {
      throw new UserError('I could not find that feed in this server. Pick one from the list, or see /feed list.');
    }
    return sub;
  }

  async #read(input: string): Promise<{ url: string; feed: ParsedFeed }> {
    const url = normaliseFeedUrl(input);
    try {
      const result = await loadFeed(url, {}, this.options.fetch);
      if (result.kind !== 'ok') throw new UserError('The feed server answered "not modified" to a first request.');
      return { url, feed: result.feed };
    } catch (error) {
      if (error instanceof FeedUrlError || error instanceof FeedFetchError || error instanceof FeedParseError) {
        throw new UserError(`I could not use <${url}>: ${error.message}`);
      }
      throw error;
    }
  }
}

/**
 * One spelling per feed address, so `…/feed#top` or `…/feed?` cannot subscribe a channel
 * twice to the same feed: the fragment never reaches the server and an empty query is no query.
 */
function normaliseFeedUrl(input: string): string {
  try {
    const url = parseFeedUrl(input);
    url.hash = '';
    if (url.search === '?') url.search = '';
    return url.href.replace(/\?$/, '');
  } catch (error) {
    if (error instanceof FeedUrlError) throw new UserError(error.message);
    throw error;
  }
}

/** One id per URL, so every server following the same URL shares one fetch. */
export function feedIdFor(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 16);
}

function newSubscriptionId(): string {
  return randomBytes(6).toString('base64url');
}

function describe(url: string, feed: ParsedFeed): FeedPreview {
  const latest = newest(feed);
  const title = feed.title?.trim() || new URL(url).host;
  return {
    url,
    title,
    itemCount: feed.items.length,
    latest: latest ? formatItem(latest, { title, url }) : undefined,
  };
}

function newest(feed: ParsedFeed) {
  const dated = feed.items.filter((item) => item.date !== undefined);
  if (dated.length > 0) return dated.reduce((a, b) => ((b.date?.getTime() ?? 0) > (a.date?.getTime() ?? 0) ? b : a));
  return feed.items[0];
}
