import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { REST } from '@discordjs/rest';
import { pino } from 'pino';
import { createPoster, type Poster } from '../../src/discord/poster.ts';
import { deliveryNonce } from '../../src/feeds/nonce.ts';
import { pollFeed, type PollDeps, type PollSettings } from '../../src/feeds/poll.ts';
import { createRepositories, openStore, type Repositories, type Store } from '../../src/store/index.ts';
import { startDiscordStandIn, type DiscordStandIn } from '../support/discord/index.ts';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { feedPublisher, numberedStory } from '../support/sample-stories.ts';
import { sqliteUrl } from '../helpers/stores.ts';

const T0 = Date.parse('2026-12-01T12:00:00Z');
const INTERVAL = 600_000;

describe('pollFeed and the outbox flag on the feed record', () => {
  let discord: DiscordStandIn;
  let feeds: FeedServer;
  let store: Store;
  let repos: Repositories;
  let poster: Poster;
  let channelId: string;
  let feed: ReturnType<typeof feedPublisher>;
  const settings: PollSettings = {
    intervalMs: INTERVAL,
    maxItemAgeMs: 72 * 3_600_000,
    maxPostsPerPoll: 10,
    noticeAfterFailures: 5,
    noticeAfterMs: 12 * 3_600_000,
    fetch: { userAgent: 'Lightstick-test', allowPrivate: true, timeoutMs: 5000 },
  };
  const deps = (): PollDeps => ({ repos, poster, logger: pino({ level: 'silent' }), settings });

  /** A feed with one subscription whose body was seen at /feed add; no outbox flag yet. */
  const subscribe = async () => {
    await repos.feeds.put({ id: 'f', url: feeds.url('/feed.xml'), failures: 0, nextFetchAt: T0 });
    await repos.subscriptions.create({ id: 's', guildId: 'g', channelId, feedId: 'f', paused: false, createdAt: T0, createdBy: 'u' });
  };

  beforeEach(async () => {
    discord = await startDiscordStandIn({ messageRateLimit: false });
    channelId = discord.addChannel(discord.addGuild().id).id;
    feeds = await startFeedServer();
    store = await openStore(sqliteUrl());
    repos = createRepositories(store);
    poster = createPoster(new REST({ api: discord.apiUrl }).setToken(discord.token));
    feed = feedPublisher(feeds, '/feed.xml');
    feed.publish(numberedStory(1), numberedStory(2));
  });

  afterEach(async () => {
    await store.close();
    await discord.close();
    await feeds.close();
  });

  it('skips reading an outbox known to be empty when nothing was queued, and takes the next fetch from its own write', async () => {
    await subscribe();
    await pollFeed(deps(), 'f', T0);
    expect((await repos.feeds.get('f'))?.outboxPending).toBe(false);

    const list = vi.spyOn(repos.outbox, 'list');
    const calls = (['get', 'getMany', 'set', 'delete'] as const).map((method) => vi.spyOn(store.kv, method));
    const result = await pollFeed(deps(), 'f', T0 + 1000);
    expect(result).toEqual({ status: 'not-modified', nextFetchAt: T0 + 1000 + INTERVAL, posted: 0 });
    expect(list).not.toHaveBeenCalled();
    // The feed record, its subscriptions (index and records), and one read-modify-write.
    expect(calls.reduce((n, spy) => n + spy.mock.calls.length, 0)).toBeLessThanOrEqual(5);
  });

  it('delivers a post queued before the flag existed (a record without it)', async () => {
    await subscribe();
    await repos.seen.record('f', ['id:story-1', 'id:story-2'], undefined);
    await repos.outbox.enqueue('f', [
      {
        id: deliveryNonce('s', 'id:left-over'),
        subscriptionId: 's',
        channelId,
        itemKey: 'id:left-over',
        body: { content: 'left over from before an upgrade' },
        queuedAt: T0 - 1000,
        attempts: 0,
      },
    ]);
    const result = await pollFeed(deps(), 'f', T0);
    expect(result.posted).toBe(1);
    expect(discord.messages(channelId).map((m) => m.content)).toEqual(['left over from before an upgrade']);
    expect(await repos.outbox.list('f')).toEqual([]);
    expect((await repos.feeds.get('f'))?.outboxPending).toBe(false);
  });

  it('keeps the flag up while a post waits in the outbox, and lowers it once the post went out', async () => {
    await subscribe();
    await pollFeed(deps(), 'f', T0);
    discord.injectFailures('POST /channels/:id/messages', Array.from({ length: 4 }, () => ({ status: 502 })));
    feed.publish(numberedStory(3));
    const first = await pollFeed(deps(), 'f', T0 + 1000);
    expect(first.posted).toBe(0);
    expect(await repos.outbox.list('f')).toHaveLength(1);
    expect((await repos.feeds.get('f'))?.outboxPending).toBe(true);

    // The body is unchanged (a 304, nothing queued): only the flag sends the poll to the outbox.
    const second = await pollFeed(deps(), 'f', T0 + 2000);
    expect(second).toMatchObject({ status: 'not-modified', posted: 1, nextFetchAt: T0 + 2000 + INTERVAL });
    expect(await repos.outbox.list('f')).toEqual([]);
    expect((await repos.feeds.get('f'))?.outboxPending).toBe(false);
  }, 20_000);

  it('raises the flag before queueing, so a failure right after queueing still leaves it up', async () => {
    await subscribe();
    await pollFeed(deps(), 'f', T0);
    feed.publish(numberedStory(3));
    const enqueue = repos.outbox.enqueue.bind(repos.outbox);
    vi.spyOn(repos.outbox, 'enqueue').mockImplementationOnce(async (...args) => {
      await enqueue(...args);
      expect((await repos.feeds.get('f'))?.outboxPending).toBe(true);
      throw new Error('store went away');
    });
    discord.injectFailures('POST /channels/:id/messages', Array.from({ length: 4 }, () => ({ status: 502 })));
    const result = await pollFeed(deps(), 'f', T0 + 1000);
    expect(result.status).toBe('failed');
    expect(await repos.outbox.list('f')).toHaveLength(1);
    expect((await repos.feeds.get('f'))?.outboxPending).toBe(true);
  }, 20_000);
});
