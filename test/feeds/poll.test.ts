import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REST } from '@discordjs/rest';
import { pino } from 'pino';
import type { APIEmbed } from 'discord.js';
import { createPoster, type Poster } from '../../src/discord/poster.ts';
import { FeedEngine } from '../../src/feeds/engine.ts';
import { pollFeed, type PollDeps, type PollSettings } from '../../src/feeds/poll.ts';
import { createRepositories, openStore, type Repositories, type Store } from '../../src/store/index.ts';
import { startDiscordStandIn, type DiscordStandIn } from '../support/discord/index.ts';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { feedPublisher, numberedStory, type SampleStory } from '../support/sample-stories.ts';
import { sqliteUrl } from '../helpers/stores.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-12-01T12:00:00Z');


describe('pollFeed against a real feed server, Discord stand-in and SQLite store', () => {
  let discord: DiscordStandIn;
  let feeds: FeedServer;
  let storeUrl: string;
  let store: Store;
  let repos: Repositories;
  let poster: Poster;
  let channelId: string;
  let feed: ReturnType<typeof feedPublisher>;
  const settings: PollSettings = {
    intervalMs: 600_000,
    maxItemAgeMs: 72 * HOUR,
    maxPostsPerPoll: 10,
    noticeAfterFailures: 5,
    noticeAfterMs: 12 * HOUR,
    fetch: { userAgent: 'Lightstick-test', allowPrivate: true, timeoutMs: 5000 },
  };
  const deps = (over: Partial<PollDeps> = {}): PollDeps => ({ repos, poster, logger: pino({ level: 'silent' }), settings, ...over });
  const publish = (...stories: SampleStory[]) => feed.publish(...stories);
  const posts = () => discord.messages(channelId);
  const titles = () => posts().map((m) => (m.embeds[0] as APIEmbed | undefined)?.title);

  /** A feed with one subscription, its current body already seen (as /feed add leaves it). */
  const subscribe = async () => {
    await repos.feeds.put({ id: 'f', url: feeds.url('/feed.xml'), failures: 0, nextFetchAt: T0 });
    await repos.subscriptions.create({ id: 's', guildId: 'g', channelId, feedId: 'f', paused: false, createdAt: T0, createdBy: 'u' });
    await pollFeed(deps(), 'f', T0);
    expect(posts()).toHaveLength(0);
  };

  beforeEach(async () => {
    discord = await startDiscordStandIn({ messageRateLimit: false });
    const guild = discord.addGuild();
    channelId = discord.addChannel(guild.id).id;
    feeds = await startFeedServer();
    storeUrl = sqliteUrl();
    store = await openStore(storeUrl);
    repos = createRepositories(store);
    poster = createPoster(new REST({ api: discord.apiUrl }).setToken(discord.token));
    feed = feedPublisher(feeds, '/feed.xml');
    publish(numberedStory(1), numberedStory(2));
  });

  afterEach(async () => {
    await store.close();
    await discord.close();
    await feeds.close();
  });

  it('a crash after Discord accepted a post but before it was marked does not double it', async () => {
    await subscribe();
    publish(numberedStory(3));
    const crashingPoster: Poster = {
      async post(...args) {
        await poster.post(...args);
        throw new Error('process died here');
      },
    };
    await expect(pollFeed(deps({ poster: crashingPoster }), 'f', T0 + 1000)).rejects.toThrow('process died');
    expect(posts()).toHaveLength(1);

    // "Restart": a new store connection on the same file, the real poster.
    await store.close();
    store = await openStore(storeUrl);
    repos = createRepositories(store);
    const result = await pollFeed(deps(), 'f', T0 + 2000);
    expect(result.posted).toBe(1);
    expect(posts()).toHaveLength(1);
    expect(await repos.outbox.list('f')).toEqual([]);
  });

  it('a crash after queueing but before the seen-set was written posts each story once', async () => {
    await subscribe();
    publish(numberedStory(3));
    const failingRepos = { ...repos, seen: Object.assign(Object.create(repos.seen), { record: () => Promise.reject(new Error('died')) }) };
    const first = await pollFeed(deps({ repos: failingRepos as Repositories }), 'f', T0 + 1000);
    expect(first.status).toBe('failed');
    // The queued post still went out in that poll; the next poll sees the story as new again and must not double it.
    await pollFeed(deps(), 'f', T0 + 2000);
    await pollFeed(deps(), 'f', T0 + 3000);
    expect(titles()).toEqual(['Story number 3']);
  });

  it('records but never posts a story dated beyond the age limit at first sight', async () => {
    await subscribe();
    publish(numberedStory(3, { date: new Date(T0 - 4 * 24 * HOUR) }), numberedStory(4));
    await pollFeed(deps(), 'f', T0 + 1000);
    expect(titles()).toEqual(['Story number 4']);
    expect((await repos.seen.get('f'))?.has('id:story-3')).toBe(true);
  });

  it('posts at most maxPostsPerPoll per poll, oldest first, and the rest on the next poll', async () => {
    await subscribe();
    publish(...Array.from({ length: 14 }, (_, i) => numberedStory(10 + i)));
    await pollFeed(deps(), 'f', T0 + 1000);
    expect(posts()).toHaveLength(10);
    await pollFeed(deps(), 'f', T0 + 2000);
    expect(titles()).toEqual(Array.from({ length: 14 }, (_, i) => `Story number ${10 + i}`));
  });

  it('keeps a post queued through a 5xx that outlives the REST retries, and posts it next poll', async () => {
    await subscribe();
    discord.injectFailures('POST /channels/:id/messages', Array.from({ length: 4 }, () => ({ status: 502 })));
    publish(numberedStory(3));
    const first = await pollFeed(deps(), 'f', T0 + 1000);
    expect(first.posted).toBe(0);
    expect(await repos.outbox.list('f')).toHaveLength(1);
    // Retried within a minute, while Discord still remembers the nonce, not a whole interval later.
    expect(first.nextFetchAt).toBeLessThanOrEqual(T0 + 1000 + 60_000);
    await pollFeed(deps(), 'f', T0 + 2000);
    expect(titles()).toEqual(['Story number 3']);
    expect(await repos.outbox.list('f')).toEqual([]);
  }, 20_000);

  it('backs off a failing feed exponentially and posts one notice after a long outage', async () => {
    await subscribe();
    feeds.set('/feed.xml', { status: 500, body: 'oops' });
    let now = T0;
    const waits: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      const result = await pollFeed(deps(), 'f', now);
      expect(result.status).toBe('failed');
      waits.push(result.nextFetchAt! - now);
      now = result.nextFetchAt!;
    }
    expect(waits.slice(0, 4)).toEqual([600_000, 1_200_000, 2_400_000, 4_800_000]);
    const feed = await repos.feeds.get('f');
    expect(feed?.failures).toBe(8);
    expect(feed?.lastError).toMatch(/500/);
    const notices = posts();
    expect(notices).toHaveLength(1);
    expect(notices[0]!.content).toMatch(/not been able to read/);
    expect(notices[0]!.allowed_mentions).toEqual({ parse: [] });

    // Recovery clears the failure state, and a later outage may notify again.
    publish(numberedStory(3));
    const recovered = await pollFeed(deps(), 'f', now);
    expect(recovered.status).toBe('updated');
    expect((await repos.feeds.get('f'))?.failures).toBe(0);
    expect(titles()).toContain('Story number 3');
  });

  it('fails loudly when the store is down, instead of taking the feed for removed', async () => {
    await subscribe();
    await store.close();
    await expect(pollFeed(deps(), 'f', T0 + 1000)).rejects.toThrow();
    store = await openStore(storeUrl);
    repos = createRepositories(store);
  });

  it('on start, delivers posts a crash left queued at once, not at the next fetch', async () => {
    await subscribe();
    publish(numberedStory(3));
    const noAnswer: Poster = { post: async () => ({ ok: false, kind: 'transient', reason: 'crash' }) };
    // The engine runs on the real clock.
    await pollFeed(deps({ poster: noAnswer }), 'f', Date.now());
    await repos.feeds.update('f', (feed) => ({ ...feed, nextFetchAt: Date.now() + 3_600_000 }));
    const engine = new FeedEngine({ repos, poster, logger: pino({ level: 'silent' }), settings, tickMs: 20 });
    await engine.start();
    try {
      for (let i = 0; i < 100 && posts().length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
      await engine.idle();
    } finally {
      await engine.stop();
    }
    expect(titles()).toEqual(['Story number 3']);
  });

  it('sends validators and a User-Agent, and a 304 is not a change', async () => {
    await subscribe();
    const result = await pollFeed(deps(), 'f', T0 + 1000);
    expect(result.status).toBe('not-modified');
    const last = feeds.requests.at(-1)!;
    expect(last.headers['if-none-match']).toBeDefined();
    expect(last.headers['user-agent']).toContain('Lightstick');
  });
});
