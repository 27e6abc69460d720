import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PermissionFlagsBits, type APIEmbed } from 'discord.js';
import type { App } from '../../src/app.ts';
import { automaticPosts, sleep, startBot, startWorld, waitFor, type World } from './harness.ts';

/** The starter pack's "With You": 2022-04-24 23:00 in Seoul. */
const WITH_YOU_AT = Date.parse('2022-04-24T14:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('release-day and birthday posts, end to end with a controllable clock', () => {
  let world: World;
  let clock: number;
  const apps: App[] = [];

  const start = async () => {
    const { app } = await startBot(world, { now: () => clock, announcerTickMs: 50 });
    apps.push(app);
    return app;
  };

  const stop = async (app: App) => {
    await app.stop();
    apps.splice(apps.indexOf(app), 1);
    await waitFor(() => world.discord.connectedClients === apps.length, 'the gateway to notice');
  };

  /**
   * Waits for a tick that began after the clock last moved: the first call may join a
   * tick that read the clock before, the second cannot.
   */
  const settle = async (...running: App[]) => {
    for (const app of running) {
      await app.announcer.tick();
      await app.announcer.tick();
    }
  };

  const catalog = (group: string | undefined, subcommand: string, options: Record<string, string | boolean>) =>
    world.discord
      .dispatchSlashCommand({
        channelId: world.channelId,
        name: 'catalog',
        ...(group ? { subcommandGroup: group } : {}),
        subcommand,
        permissions: PermissionFlagsBits.ManageGuild,
        options,
      })
      .reply(10_000);

  const titles = () => automaticPosts(world).map((post) => (post.embeds[0] as APIEmbed).title);

  beforeEach(async () => {
    world = await startWorld();
  });

  afterEach(async () => {
    for (const app of [...apps]) await app.stop();
    apps.length = 0;
    await world.close();
  });

  it('posts "With You" once at its moment, and not again after a restart', async () => {
    clock = WITH_YOU_AT - MINUTE;
    let app = await start();
    const reply = await catalog(undefined, 'announce', { channel: world.channelId });
    expect(reply.content).toContain(`posts will go to <#${world.channelId}>`);
    await settle(app);
    expect(automaticPosts(world)).toHaveLength(0);

    clock = WITH_YOU_AT;
    await settle(app);
    expect(titles()).toEqual(['Out now: With You']);
    const [post] = automaticPosts(world);
    const embed = post!.embeds[0] as APIEmbed;
    expect(embed.description).toContain('**Jimin & Ha Sung Woon**');
    expect(embed.description).toContain('OST for Our Blues');
    expect(embed.description).toContain(`<t:${WITH_YOU_AT / 1000}:F>`);
    expect(post!.allowed_mentions).toEqual({ parse: [] });
    expect(post!.nonce).toMatch(/^[0-9a-f]{25}$/);
    expect(post!.enforce_nonce).toBe(true);

    clock += 30_000;
    await settle(app);
    await sleep(200);
    expect(automaticPosts(world)).toHaveLength(1);

    await stop(app);
    clock = WITH_YOU_AT + MINUTE;
    app = await start();
    await settle(app);
    await sleep(300);
    expect(titles()).toEqual(['Out now: With You']);
    const marks = await app.ctx.repos.announcements.marks(world.guildId);
    expect(marks.get('release:with-you:2022-04-24')).toMatchObject({ state: 'posted', messageId: post!.id });
  });

  it('posts once when two bot processes share the store', async () => {
    clock = WITH_YOU_AT - MINUTE;
    const first = await start();
    const second = await start();
    await catalog(undefined, 'announce', { channel: world.channelId });

    clock = WITH_YOU_AT;
    await Promise.all([settle(first), settle(second)]);
    await sleep(300);
    expect(titles()).toEqual(['Out now: With You']);
  });

  it('sends a post missed while down if less than three hours late, and skips (and records) an older one', async () => {
    // "Early Song" at 17:00 in Seoul (08:00 UTC), "With You" at 14:00 UTC.
    clock = Date.parse('2022-04-24T07:00:00Z');
    let app = await start();
    await catalog(undefined, 'announce', { channel: world.channelId });
    await catalog('release', 'add', { id: 'early-song', title: 'Early Song', type: 'single', date: '2022-04-24', time: '17:00', artists: 'jimin' });
    await settle(app);
    await stop(app);

    clock = WITH_YOU_AT + HOUR;
    app = await start();
    await settle(app);
    expect(titles()).toEqual(['Out now: With You']);
    const marks = await app.ctx.repos.announcements.marks(world.guildId);
    expect(marks.get('release:early-song:2022-04-24')).toMatchObject({ state: 'skipped', reason: expect.stringContaining('420 minutes late') });
  });

  it('moves the post with an edited release date: nothing at the old moment, one at the new, and the reminder a day before', async () => {
    clock = WITH_YOU_AT - 2 * HOUR;
    const app = await start();
    await catalog(undefined, 'announce', { channel: world.channelId, 'remind-day-before': true });
    const moved = await catalog('release', 'edit', { release: 'with-you', date: '2022-04-26' });
    expect(moved.content).toContain('Updated the release **With You** (`with-you`): date.');
    expect(moved.content).toContain(`Its release-day post will go to <#${world.channelId}> at that moment.`);
    const newMoment = WITH_YOU_AT + 2 * 24 * HOUR;

    clock = WITH_YOU_AT;
    await settle(app);
    clock = WITH_YOU_AT + HOUR;
    await settle(app);
    expect(automaticPosts(world)).toHaveLength(0);

    clock = newMoment - 24 * HOUR;
    await settle(app);
    expect(titles()).toEqual(['Tomorrow: With You']);

    clock = newMoment - MINUTE;
    await settle(app);
    expect(automaticPosts(world)).toHaveLength(1);

    clock = newMoment;
    await settle(app);
    clock = newMoment + HOUR;
    await settle(app);
    expect(titles()).toEqual(['Tomorrow: With You', 'Out now: With You']);
    const marks = await app.ctx.repos.announcements.marks(world.guildId);
    expect([...marks.keys()].filter((key) => key.startsWith('release:'))).toEqual(['release:with-you:2022-04-26']);
  });

  it('posts nothing more when the time is corrected after the post, and says so', async () => {
    clock = WITH_YOU_AT - MINUTE;
    const app = await start();
    await catalog(undefined, 'announce', { channel: world.channelId });
    clock = WITH_YOU_AT;
    await settle(app);
    expect(titles()).toEqual(['Out now: With You']);

    clock = WITH_YOU_AT + 5 * MINUTE;
    const corrected = await catalog('release', 'edit', { release: 'with-you', time: '23:30' });
    expect(corrected.content).toContain('Updated the release **With You** (`with-you`): time.');
    expect(corrected.content).toContain('Its release-day post for that date was already handled, so the new time posts nothing more.');
    expect(corrected.content).not.toContain('will go to');
    for (const at of [WITH_YOU_AT + 30 * MINUTE, WITH_YOU_AT + 31 * MINUTE]) {
      clock = at;
      await settle(app);
    }
    await sleep(200);
    expect(titles()).toEqual(['Out now: With You']);

    // Another date is another release day: that one still gets its post.
    const moved = await catalog('release', 'edit', { release: 'with-you', date: '2022-04-25' });
    expect(moved.content).toContain(`Its release-day post will go to <#${world.channelId}> at that moment.`);
  });

  it('wishes Jimin a happy birthday at midnight in Seoul, once', async () => {
    const midnightInSeoul = Date.parse('2022-10-12T15:00:00Z');
    clock = midnightInSeoul - MINUTE;
    const app = await start();
    await catalog(undefined, 'announce', { channel: world.channelId });
    await settle(app);
    expect(automaticPosts(world)).toHaveLength(0);

    clock = midnightInSeoul;
    await settle(app);
    clock = midnightInSeoul + HOUR;
    await settle(app);
    expect(titles()).toEqual(['Happy birthday, Jimin! 🎂']);
    const embed = automaticPosts(world)[0]!.embeds[0] as APIEmbed;
    expect(embed.description).toContain('**Jimin** (지민, 박지민)');
    expect(embed.description).toContain('BTS');
    expect(embed.description).toContain('Turns 27 today.');
  });

  it("follows the server's time zone for birthdays", async () => {
    const midnightInNewYork = Date.parse('2023-10-13T04:00:00Z');
    clock = midnightInNewYork - MINUTE;
    const app = await start();
    await catalog(undefined, 'announce', { channel: world.channelId, timezone: 'America/New_York' });
    await settle(app);
    // Already 13 October in Seoul, not yet in New York.
    expect(automaticPosts(world)).toHaveLength(0);

    clock = midnightInNewYork;
    await settle(app);
    expect(titles()).toEqual(['Happy birthday, Jimin! 🎂']);
    expect((automaticPosts(world)[0]!.embeds[0] as APIEmbed).description).toContain('Turns 28 today.');
  });
});
