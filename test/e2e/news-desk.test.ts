import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { APIEmbed } from 'discord.js';
import type { App } from '../../src/app.ts';
import { feedPublisher, numberedStory, rssOf, type SampleStory } from '../support/sample-stories.ts';
import { automaticPosts, feedAdd, feedCommand, sleep, startBot, startWorld, waitFor, type World } from './harness.ts';


describe('news desk, end to end through the real discord.js client', () => {
  let world: World;
  let app: App | undefined;
  let feed: ReturnType<typeof feedPublisher>;

  const publish = (...stories: SampleStory[]) => feed.publish(...stories);

  beforeEach(async () => {
    world = await startWorld();
    feed = feedPublisher(world.feeds, '/kpop.xml');
    publish(numberedStory(1), numberedStory(2), numberedStory(3));
    ({ app } = await startBot(world));
  });

  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await world.close();
  });

  it('adds a feed, shows a preview, and never posts the backlog', async () => {
    const reply = await feedAdd(world, world.feeds.url('/kpop.xml'), { role: world.roleId });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain('Lightstick Demo K-pop News');
    expect(reply.content).toContain('3 stories');
    expect((reply.embeds[0] as APIEmbed).title).toBe('Story number 3');

    await waitFor(() => world.feeds.hits('/kpop.xml') >= 3, 'two polls after the add');
    expect(automaticPosts(world)).toHaveLength(0);
  });

  it('posts a new story exactly once, with a clean embed, pinging only the chosen role', async () => {
    await feedAdd(world, world.feeds.url('/kpop.xml'), { role: world.roleId });
    publish(numberedStory(4, { title: 'Jimin &amp; Ha Sung Woon: “With You” @everyone', html: '<p>The duet is <b>out</b>.</p><p>Second paragraph.</p>' }));

    const [post] = await waitFor(() => automaticPosts(world).length > 0 && automaticPosts(world), 'the post');
    await waitFor(() => world.feeds.hits('/kpop.xml') >= 4, 'more polls');
    expect(automaticPosts(world)).toHaveLength(1);

    const embed = post!.embeds[0] as APIEmbed;
    expect(embed.title).toBe('Jimin & Ha Sung Woon: “With You” @everyone');
    expect(embed.url).toBe('https://news.example.com/kpop/story-4');
    expect(embed.description).toContain('The duet is out.');
    expect(embed.footer?.text).toContain('Lightstick Demo K-pop News');
    expect(post!.content).toContain(`<@&${world.roleId}>`);
    expect(post!.allowed_mentions).toEqual({ parse: [], roles: [world.roleId] });
    expect(post!.nonce).toMatch(/^[0-9a-f]{25}$/);
    expect(post!.enforce_nonce).toBe(true);
  });

  it('posts several new stories oldest first', async () => {
    await feedAdd(world, world.feeds.url('/kpop.xml'));
    publish(numberedStory(4), numberedStory(5), numberedStory(6));
    const posts = await waitFor(() => automaticPosts(world).length >= 3 && automaticPosts(world), 'three posts');
    expect(posts.map((p) => (p.embeds[0] as APIEmbed).title)).toEqual(['Story number 4', 'Story number 5', 'Story number 6']);
  });

  it('retries a 429 through the REST queue and posts once', async () => {
    await feedAdd(world, world.feeds.url('/kpop.xml'));
    const injection = world.discord.injectFailures('POST /channels/:id/messages', [{ status: 429, retryAfter: 0.2, scope: 'user' }]);
    publish(numberedStory(4));
    await waitFor(() => automaticPosts(world).length > 0, 'the post');
    await sleep(1500);
    expect(injection.consumed).toBe(1);
    expect(automaticPosts(world)).toHaveLength(1);
  });

  it('pauses a subscription after one 403 and stops posting there', async () => {
    await feedAdd(world, world.feeds.url('/kpop.xml'));
    const injection = world.discord.injectFailures('POST /channels/:id/messages', [
      { status: 403, code: 50013 },
      { status: 403, code: 50013 },
    ]);
    publish(numberedStory(4));
    await waitFor(() => injection.consumed === 1, 'the refused post');
    publish(numberedStory(5));
    // The only subscription is paused, so the feed is not even fetched any more.
    const hits = world.feeds.hits('/kpop.xml');
    await sleep(2500);
    expect(world.feeds.hits('/kpop.xml')).toBe(hits);
    expect(injection.consumed).toBe(1);
    expect(automaticPosts(world)).toHaveLength(0);

    const list = await feedCommand(world, 'list');
    expect((list.embeds[0] as APIEmbed).description).toContain('paused');
    const [sub] = await app!.ctx.repos.subscriptions.forGuild(world.guildId);
    expect(sub?.paused).toBe(true);
    expect(sub?.pausedReason).toContain('Missing Permissions');
  });

  it('refuses /feed add from a member without Manage Server and stores nothing', async () => {
    const reply = await feedAdd(world, world.feeds.url('/kpop.xml'), { permissions: 0n });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain('Manage Server');
    expect(await app!.ctx.repos.subscriptions.forGuild(world.guildId)).toEqual([]);
    expect(await app!.ctx.repos.feeds.ids()).toEqual([]);
  });

  it('answers a bad URL and a non-feed with a reason, ephemeral, storing nothing', async () => {
    world.feeds.set('/page.html', { body: '<!doctype html><html><body>Hello</body></html>', contentType: 'text/html' });
    const notFeed = await feedAdd(world, world.feeds.url('/page.html'));
    expect(notFeed.ephemeral).toBe(true);
    expect(notFeed.content).toMatch(/not a feed|HTML/i);

    const badUrl = await feedAdd(world, 'ftp://example.com/feed.xml');
    expect(badUrl.content).toMatch(/http/);

    const missing = await feedAdd(world, world.feeds.url('/nothing-here.xml'));
    expect(missing.content).toMatch(/404/);
    expect(await app!.ctx.repos.feeds.ids()).toEqual([]);
  });

  it('fetches one URL once per interval for two channels, and each gets its own post', async () => {
    const second = world.discord.addChannel(world.guildId, { name: 'second' });
    await feedAdd(world, world.feeds.url('/kpop.xml'));
    await feedAdd(world, world.feeds.url('/kpop.xml'), { channel: second.id });
    expect(await app!.ctx.repos.feeds.ids()).toHaveLength(1);
    publish(numberedStory(4));
    await waitFor(() => automaticPosts(world).length === 1 && automaticPosts(world, second.id).length === 1, 'both posts');
    const before = world.feeds.hits('/kpop.xml');
    await sleep(2200);
    // Two channels, one fetch per second: two or three fetches in 2.2 s, not five.
    expect(world.feeds.hits('/kpop.xml') - before).toBeLessThanOrEqual(3);
  });

  it('lists, pauses, resumes and removes through autocomplete ids', async () => {
    await feedAdd(world, world.feeds.url('/kpop.xml'));
    const choices = await world.discord
      .dispatchAutocomplete({ channelId: world.channelId, name: 'feed', subcommand: 'status', options: { feed: 'demo' }, focused: 'feed' })
      .choices();
    expect(choices).toHaveLength(1);
    const id = String(choices[0]!.value);
    expect(choices[0]!.name).toContain('kpop-news');

    const status = await feedCommand(world, 'status', { feed: id });
    expect(JSON.stringify(status.embeds)).toContain('Next fetch');

    expect((await feedCommand(world, 'pause', { feed: id })).content).toContain('Paused');
    publish(numberedStory(4));
    await sleep(2200);
    expect(automaticPosts(world)).toHaveLength(0);

    expect((await feedCommand(world, 'resume', { feed: id })).content).toContain('Resumed');
    await sleep(1500);
    // Stories published while paused are not posted on resume.
    expect(automaticPosts(world)).toHaveLength(0);
    publish(numberedStory(5));
    await waitFor(() => automaticPosts(world).length === 1, 'the post after resuming');

    expect((await feedCommand(world, 'remove', { feed: id })).content).toContain('Stopped following');
    expect(await app!.ctx.repos.feeds.ids()).toEqual([]);
    const unknown = await feedCommand(world, 'status', { feed: id });
    expect(unknown.content).toContain('could not find');
  });

  it('defers the reply, so a feed slower than Discord\'s 3-second deadline still gets an answer', async () => {
    world.feeds.set('/slow.xml', { body: rssOf([numberedStory(1)]), contentType: 'application/rss+xml', delayMs: 3500 });
    const reply = await feedAdd(world, world.feeds.url('/slow.xml'));
    expect(reply.deferred).toBe(true);
    expect(reply.content).toContain('1 story');
  });

  it('refuses a channel the bot cannot post in, naming the missing permission', async () => {
    const closed = world.discord.addChannel(world.guildId, { name: 'closed' });
    world.discord.setBotCanPost(closed.id, false);
    const reply = await feedAdd(world, world.feeds.url('/kpop.xml'), { channel: closed.id });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(/Send Messages|cannot see/);
    expect(await app!.ctx.repos.subscriptions.forGuild(world.guildId)).toEqual([]);
  });

  it('treats spellings of one feed URL as one subscription', async () => {
    await feedAdd(world, world.feeds.url('/kpop.xml'));
    for (const spelling of ['/kpop.xml#top', '/kpop.xml?', '/kpop.xml?#']) {
      const again = await feedAdd(world, world.feeds.url(spelling));
      expect(again.content).toContain('already follows');
    }
    expect(await app!.ctx.repos.feeds.ids()).toHaveLength(1);
  });

  it('previews a feed without subscribing', async () => {
    const reply = await feedCommand(world, 'preview', { url: world.feeds.url('/kpop.xml') });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain('3 stories');
    expect(await app!.ctx.repos.feeds.ids()).toEqual([]);
  });
});
