import { REST } from '@discordjs/rest';
import type { APIEmbed } from 'discord.js';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { announcementsBetween, birthdayIn } from '../../src/catalog/announcement-due.ts';
import { formatAnnouncement } from '../../src/catalog/announcement-format.ts';
import { DISCORD_LIMITS } from '../../src/discord/limits.ts';
import { Announcer, announcementNonce, type AnnouncementSource } from '../../src/catalog/announcer.ts';
import {
  artist as artistSchema,
  catalogSettings,
  release as releaseSchema,
  type Artist,
  type CatalogSettings,
  type Release,
} from '../../src/catalog/schema.ts';
import { createPoster, type Poster } from '../../src/discord/poster.ts';
import { ANNOUNCEMENT_RETENTION_MS, AnnouncementRepository } from '../../src/store/announcements.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { sqliteUrl, storeTargets } from '../helpers/stores.ts';
import { startDiscordStandIn, type DiscordStandIn } from '../support/discord/index.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// "With you" (Jimin & Ha Sung Woon, OST for Our Blues): 24 April 2022, 18:00 KST.
const WITH_YOU_AT = Date.parse('2022-04-24T09:00:00Z');

const artists: Artist[] = [
  artistSchema.parse({ id: 'bts', name: 'BTS', kind: 'group' }),
  artistSchema.parse({
    id: 'jimin',
    name: 'Jimin',
    nativeNames: ['지민'],
    kind: 'member',
    birthday: '1995-10-13',
    memberships: [{ groupId: 'bts' }],
  }),
  artistSchema.parse({ id: 'ha-sung-woon', name: 'Ha Sung Woon', kind: 'soloist', birthday: '1994-03-22' }),
];

const withYou = (over: Partial<Release> = {}): Release =>
  releaseSchema.parse({
    id: 'with-you',
    artistIds: ['jimin', 'ha-sung-woon'],
    title: 'With you',
    type: 'ost',
    date: '2022-04-24',
    time: '18:00',
    relatedWork: 'Our Blues',
    links: [
      { label: 'YouTube', url: 'https://www.youtube.com/watch?v=example' },
      { label: 'Melon', url: 'https://www.melon.com/album/detail.htm?albumId=1' },
    ],
    ...over,
  });

/** The catalog as the announcer sees it; edited in place by the tests, like a moderator would. */
class FakeCatalog implements AnnouncementSource {
  readonly guilds = new Map<string, { settings: CatalogSettings; releases: Release[]; artists: Artist[] }>();

  add(guildId: string, settings: Partial<CatalogSettings>, releases: Release[], guildArtists: Artist[] = artists) {
    const entry = { settings: catalogSettings.parse(settings), releases, artists: guildArtists };
    this.guilds.set(guildId, entry);
    return entry;
  }

  async guildIds() {
    return [...this.guilds.keys()];
  }
  async settings(guildId: string) {
    return this.guilds.get(guildId)!.settings;
  }
  async releases(guildId: string) {
    return this.guilds.get(guildId)!.releases;
  }
  async artists(guildId: string) {
    return this.guilds.get(guildId)!.artists;
  }
}

interface LogLine {
  level: number;
  msg: string;
  key?: string;
  [field: string]: unknown;
}

describe('Announcer', () => {
  let standIn: DiscordStandIn;
  let poster: Poster;
  let guildId: string;
  let channelId: string;
  let catalog: FakeCatalog;
  let logs: LogLine[];
  let now: number;
  let storeUrl: string;
  const stores: Store[] = [];

  const logger = () =>
    pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });

  const openRepo = async () => {
    const store = await openStore(storeUrl, { namespace: 'announcer-test' });
    stores.push(store);
    return { store, repo: new AnnouncementRepository(store.kv) };
  };

  /** A process going away: its store connection closes with it. */
  const crash = async (store: Store) => {
    stores.splice(stores.indexOf(store), 1);
    await store.close();
  };

  const announcer = async (over: { poster?: Poster; repo?: AnnouncementRepository } = {}) =>
    new Announcer({
      source: catalog,
      poster: over.poster ?? poster,
      repo: over.repo ?? (await openRepo()).repo,
      logger: logger(),
      now: () => now,
    });

  const posts = (channel = channelId) => standIn.requestsMatching(`POST /channels/${channel}/messages`);
  const embeds = (channel = channelId) => standIn.messages(channel).map((m) => m.embeds[0] as APIEmbed);

  beforeEach(async () => {
    standIn = await startDiscordStandIn();
    const guild = standIn.addGuild();
    guildId = guild.id;
    channelId = standIn.addChannel(guild.id, { name: 'announcements' }).id;
    const rest = new REST({ api: standIn.apiUrl, hashSweepInterval: 0, handlerSweepInterval: 0 }).setToken(standIn.token);
    poster = createPoster(rest);
    catalog = new FakeCatalog();
    logs = [];
    storeUrl = sqliteUrl();
  });

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    expect(standIn.internalErrors).toEqual([]);
    await standIn.close();
  });

  it('posts a release exactly once, at its moment', async () => {
    catalog.add(guildId, { announceChannelId: channelId }, [withYou()]);
    const bot = await announcer();

    for (const at of [WITH_YOU_AT - DAY, WITH_YOU_AT - MINUTE, WITH_YOU_AT - 1]) {
      now = at;
      await bot.tick();
    }
    expect(posts()).toHaveLength(0);

    now = WITH_YOU_AT;
    await bot.tick();
    for (const later of [30_000, 60_000, HOUR, 2 * DAY]) {
      now = WITH_YOU_AT + later;
      await bot.tick();
    }
    expect(posts()).toHaveLength(1);
    const [message] = standIn.messages(channelId);
    expect(message?.nonce).toBe(announcementNonce(guildId, `release:with-you:2022-04-24`));
    expect(String(message?.nonce).length).toBeLessThanOrEqual(25);
    expect(message?.body.allowed_mentions).toEqual({ parse: [] });
    const embed = message?.embeds[0] as APIEmbed;
    expect(embed.title).toBe('Out now: With you');
    expect(embed.description).toContain('**Jimin & Ha Sung Woon**');
    expect(embed.description).toContain('OST for Our Blues');
    expect(embed.description).toContain(`<t:${WITH_YOU_AT / 1000}:F> (<t:${WITH_YOU_AT / 1000}:R>)`);
    expect(embed.description).toContain('[YouTube](https://www.youtube.com/watch?v=example) · [Melon](');
  });

  it('does not post again after a restart on the same store', async () => {
    catalog.add(guildId, { announceChannelId: channelId }, [withYou()]);
    now = WITH_YOU_AT + 10_000;
    const first = await openRepo();
    await (await announcer({ repo: first.repo })).tick();
    await crash(first.store);

    now += 30_000;
    const restarted = await announcer();
    await restarted.tick();
    now += HOUR;
    await restarted.tick();
    expect(posts()).toHaveLength(1);
    expect(standIn.messages(channelId)).toHaveLength(1);
  });

  it('a crash after Discord accepted a post but before it was marked does not double it', async () => {
    catalog.add(guildId, { announceChannelId: channelId }, [withYou()]);
    const dying: Poster = {
      async post(...args) {
        await poster.post(...args);
        throw new Error('the process died before it heard the answer');
      },
    };
    now = WITH_YOU_AT;
    const first = await openRepo();
    await (await announcer({ poster: dying, repo: first.repo })).tick();
    await crash(first.store);
    expect(standIn.messages(channelId)).toHaveLength(1);

    now += 30_000;
    const { repo } = await openRepo();
    const restarted = await announcer({ repo });
    await restarted.tick();
    await restarted.tick();
    // Posted again with the same nonce, and Discord answered with the message it had.
    expect(posts()).toHaveLength(2);
    expect(standIn.messages(channelId)).toHaveLength(1);
    expect(await repo.get(guildId, `release:with-you:2022-04-24`)).toMatchObject({
      state: 'posted',
      messageId: standIn.messages(channelId)[0]?.id,
    });
  });

  it('gives up, logged, on an interrupted post older than Discord remembers nonces', async () => {
    catalog.add(guildId, { announceChannelId: channelId }, [withYou()]);
    const dying: Poster = {
      async post(...args) {
        await poster.post(...args);
        throw new Error('killed');
      },
    };
    now = WITH_YOU_AT;
    const first = await openRepo();
    await (await announcer({ poster: dying, repo: first.repo })).tick();
    await crash(first.store);

    now += 20 * MINUTE;
    const { repo } = await openRepo();
    const restarted = await announcer({ repo });
    await restarted.tick();
    await restarted.tick();
    expect(posts()).toHaveLength(1);
    expect(standIn.messages(channelId)).toHaveLength(1);
    expect((await repo.get(guildId, `release:with-you:2022-04-24`))?.state).toBe('uncertain');
    expect(logs.filter((l) => l.msg.startsWith('announcement not retried'))).toHaveLength(1);
  });

  it('follows an edited release date: fires on the new moment, nothing on the old one', async () => {
    const movedFrom = WITH_YOU_AT + DAY;
    const guild = catalog.add(guildId, { announceChannelId: channelId }, [withYou({ date: '2022-04-25' })]);
    const bot = await announcer();
    now = WITH_YOU_AT - HOUR;
    await bot.tick();

    // A moderator corrects the date to the 24th.
    guild.releases = [withYou({ date: '2022-04-24' })];
    for (const at of [WITH_YOU_AT - MINUTE, WITH_YOU_AT, WITH_YOU_AT + MINUTE, movedFrom - 1, movedFrom, movedFrom + HOUR]) {
      now = at;
      await bot.tick();
    }
    expect(posts()).toHaveLength(1);
    expect(standIn.messages(channelId)[0]?.nonce).toBe(announcementNonce(guildId, `release:with-you:2022-04-24`));
  });

  it('does not post again when the time is corrected after the post went out', async () => {
    const guild = catalog.add(guildId, { announceChannelId: channelId }, [withYou()]);
    const bot = await announcer();
    now = WITH_YOU_AT;
    await bot.tick();
    expect(posts()).toHaveLength(1);

    // 18:00 was a mistake; the moderator writes 19:00 a few minutes later.
    guild.releases = [withYou({ time: '19:00' })];
    for (const at of [WITH_YOU_AT + 10 * MINUTE, WITH_YOU_AT + HOUR, WITH_YOU_AT + HOUR + MINUTE, WITH_YOU_AT + 3 * HOUR]) {
      now = at;
      await bot.tick();
    }
    expect(posts()).toHaveLength(1);
    expect(logs.filter((l) => l.msg === 'announcement skipped')).toEqual([]);
  });

  it('follows a time moved within the day before the post: fires at the new time only', async () => {
    const guild = catalog.add(guildId, { announceChannelId: channelId }, [withYou()]);
    const bot = await announcer();
    now = WITH_YOU_AT - HOUR;
    await bot.tick();
    guild.releases = [withYou({ time: '19:00' })];
    for (const at of [WITH_YOU_AT, WITH_YOU_AT + HOUR - 1]) {
      now = at;
      await bot.tick();
    }
    expect(posts()).toHaveLength(0);
    now = WITH_YOU_AT + HOUR;
    await bot.tick();
    expect(posts()).toHaveLength(1);
    expect(embeds()[0]?.description).toContain(`<t:${(WITH_YOU_AT + HOUR) / 1000}:F>`);
  });

  it('posts a day-only release once, even when its time is announced later that day', async () => {
    const midnightSeoul = Date.parse('2022-04-23T15:00:00Z');
    const guild = catalog.add(guildId, { announceChannelId: channelId }, [withYou({ time: undefined })]);
    const bot = await announcer();
    now = midnightSeoul;
    await bot.tick();
    expect(embeds().map((e) => e.title)).toEqual(['Out today: With you']);

    guild.releases = [withYou()];
    for (const at of [WITH_YOU_AT - MINUTE, WITH_YOU_AT, WITH_YOU_AT + HOUR]) {
      now = at;
      await bot.tick();
    }
    expect(posts()).toHaveLength(1);
  });

  it('follows a postponement to the next day made before the post: once on the new day, nothing on the old', async () => {
    const nextDay = WITH_YOU_AT + DAY;
    const guild = catalog.add(guildId, { announceChannelId: channelId }, [withYou()]);
    const bot = await announcer();
    now = WITH_YOU_AT - 2 * HOUR;
    await bot.tick();

    guild.releases = [withYou({ date: '2022-04-25' })];
    for (const at of [WITH_YOU_AT - MINUTE, WITH_YOU_AT, WITH_YOU_AT + HOUR, nextDay - 1]) {
      now = at;
      await bot.tick();
    }
    expect(posts()).toHaveLength(0);
    for (const at of [nextDay, nextDay + 30_000, nextDay + HOUR]) {
      now = at;
      await bot.tick();
    }
    expect(posts()).toHaveLength(1);
    expect(standIn.messages(channelId)[0]?.nonce).toBe(announcementNonce(guildId, 'release:with-you:2022-04-25'));
    expect(logs.filter((l) => l.msg === 'announcement skipped')).toEqual([]);
  });

  it('gives a later time on the same day its chance when the day-only moment was skipped', async () => {
    // Added at noon with no time: its 00:00 moment is long past, so it is skipped.
    const guild = catalog.add(guildId, { announceChannelId: channelId }, [withYou({ time: undefined })]);
    const { repo } = await openRepo();
    const bot = await announcer({ repo });
    now = Date.parse('2022-04-24T03:00:00Z');
    await bot.tick();
    expect(posts()).toHaveLength(0);
    expect(await repo.get(guildId, 'release:with-you:2022-04-24')).toMatchObject({ state: 'skipped' });

    // Then its hour is announced: that moment gets its one post.
    guild.releases = [withYou()];
    for (const at of [WITH_YOU_AT - MINUTE, WITH_YOU_AT, WITH_YOU_AT + 30_000, WITH_YOU_AT + HOUR]) {
      now = at;
      await bot.tick();
    }
    expect(posts()).toHaveLength(1);
    expect(await repo.get(guildId, 'release:with-you:2022-04-24')).toMatchObject({ state: 'posted' });
  });

  it('honours marks written while keys held the exact moment, so an upgrade does not post again', async () => {
    catalog.add(guildId, { announceChannelId: channelId }, [withYou()]);
    const { repo } = await openRepo();
    await repo.markDone(guildId, `release:with-you:${WITH_YOU_AT}`, WITH_YOU_AT + 1000, { messageId: '123456789012345678' });
    const bot = await announcer({ repo });
    now = WITH_YOU_AT + 5 * MINUTE;
    await bot.tick();
    expect(posts()).toHaveLength(0);
  });

  it('counts, once per guild at start-up, what was missed while the bot was down', async () => {
    const otherChannel = standIn.addChannel(standIn.addGuild().id, { name: 'other' });
    const early = withYou({ id: 'early', time: '10:00' });
    const earlier = withYou({ id: 'earlier', date: '2022-04-20' });
    const ancient = withYou({ id: 'ancient', date: '2022-01-01' }); // beyond the look-back: history
    catalog.add(guildId, { announceChannelId: channelId }, [early, earlier, ancient]);
    catalog.add(otherChannel.guildId, { announceChannelId: otherChannel.id }, [withYou()]);
    const bot = await announcer();
    now = WITH_YOU_AT + 30 * MINUTE;
    await bot.tick();
    now += 30_000;
    await bot.tick();

    const summaries = logs.filter((l) => l.msg.startsWith('announcements missed while the bot was down'));
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({ level: 30, guildId, skipped: 2, msg: 'announcements missed while the bot was down: 2 skipped' });
    expect(logs.filter((l) => l.msg === 'announcement skipped').map((l) => l.key).sort()).toEqual([
      'release:earlier:2022-04-20',
      'release:early:2022-04-24',
    ]);
    expect(embeds(otherChannel.id)).toHaveLength(1);
  });

  it('catches up a post up to the grace period late; skips and logs once one later than that', async () => {
    const twoHoursLate = withYou({ id: 'two-hours-late', title: 'Caught up' });
    const fiveHoursLate = withYou({ id: 'five-hours-late', title: 'Missed', time: '15:00' });
    catalog.add(guildId, { announceChannelId: channelId }, [twoHoursLate, fiveHoursLate]);
    const bot = await announcer();
    now = WITH_YOU_AT + 2 * HOUR;
    await bot.tick();
    now += 30_000;
    await bot.tick();

    expect(embeds().map((e) => e.title)).toEqual(['Out now: Caught up']);
    const skipped = logs.filter((l) => l.msg === 'announcement skipped');
    expect(skipped).toHaveLength(1);
    expect(skipped[0]?.key).toBe('release:five-hours-late:2022-04-24');
  });

  it('reminds a day before only where the guild asked for it', async () => {
    const quietChannel = standIn.addChannel(standIn.addGuild().id, { name: 'quiet' });
    catalog.add(guildId, { announceChannelId: channelId, remindDayBefore: true }, [withYou()]);
    catalog.add(quietChannel.guildId, { announceChannelId: quietChannel.id }, [withYou()]);
    const bot = await announcer();
    for (const at of [WITH_YOU_AT - DAY - 1, WITH_YOU_AT - DAY, WITH_YOU_AT - DAY + HOUR, WITH_YOU_AT, WITH_YOU_AT + HOUR]) {
      now = at;
      await bot.tick();
    }
    expect(embeds().map((e) => e.title)).toEqual(['Tomorrow: With you', 'Out now: With you']);
    expect(embeds()[0]?.description).toContain(`Out <t:${WITH_YOU_AT / 1000}:F>`);
    expect(embeds(quietChannel.id).map((e) => e.title)).toEqual(['Out now: With you']);
  });

  it("celebrates a birthday at midnight on the guild's calendar", async () => {
    const newYork = standIn.addChannel(standIn.addGuild().id, { name: 'ny' });
    catalog.add(guildId, { announceChannelId: channelId }, []); // Asia/Seoul by default
    catalog.add(newYork.guildId, { announceChannelId: newYork.id, timeZone: 'America/New_York' }, []);
    const bot = await announcer();
    const seoulMidnight = Date.parse('2022-10-12T15:00:00Z');
    const newYorkMidnight = Date.parse('2022-10-13T04:00:00Z');
    for (const at of [seoulMidnight - 1, seoulMidnight]) {
      now = at;
      await bot.tick();
    }
    expect(embeds()).toHaveLength(1);
    expect(embeds(newYork.id)).toHaveLength(0);
    for (const at of [newYorkMidnight - 1, newYorkMidnight, newYorkMidnight + HOUR]) {
      now = at;
      await bot.tick();
    }
    expect(embeds()).toHaveLength(1);
    expect(embeds(newYork.id)).toHaveLength(1);
    const [embed] = embeds();
    expect(embed?.title).toBe('Happy birthday, Jimin! 🎂');
    expect(embed?.description).toBe('**Jimin** (지민)\nBTS\nTurns 27 today.');
  });

  it('two announcers on one store ticking at once make one message', async () => {
    catalog.add(guildId, { announceChannelId: channelId }, [withYou()]);
    const [a, b] = [await announcer(), await announcer()];
    now = WITH_YOU_AT + 5_000;
    await Promise.all([a.tick(), b.tick(), a.tick()]);
    now += 30_000;
    await Promise.all([a.tick(), b.tick()]);
    expect(standIn.messages(channelId)).toHaveLength(1);
    expect(posts().length).toBeLessThanOrEqual(2);
  });

  it('does not knock again and again on a channel that refuses posts', async () => {
    standIn.setBotCanPost(channelId, false);
    catalog.add(guildId, { announceChannelId: channelId }, [withYou(), withYou({ id: 'second', title: 'Second' })]);
    const bot = await announcer();
    for (now = WITH_YOU_AT; now < WITH_YOU_AT + 10 * MINUTE; now += 30_000) await bot.tick();
    expect(posts()).toHaveLength(1);
    expect(posts()[0]?.status).toBe(403);

    // After a cool-down the other due post gets its one try, then nothing more.
    for (now = WITH_YOU_AT + 16 * MINUTE; now < WITH_YOU_AT + 2 * HOUR; now += 30_000) await bot.tick();
    expect(posts()).toHaveLength(2);
    expect(logs.filter((l) => l.msg.includes('refused'))).toHaveLength(2);
  });

  it('retries on the next tick when Discord fails for a moment', async () => {
    catalog.add(guildId, { announceChannelId: channelId }, [withYou()]);
    const failing = standIn.injectFailures('POST /channels/:id/messages', Array.from({ length: 10 }, () => ({ status: 503 })));
    const bot = await announcer();
    now = WITH_YOU_AT;
    await bot.tick();
    expect(standIn.messages(channelId)).toHaveLength(0);
    failing.cancel();
    now += 30_000;
    await bot.tick();
    await bot.tick();
    expect(standIn.messages(channelId)).toHaveLength(1);
  });

  it('posts a release without a time at 00:00 of its day, in its zone', async () => {
    catalog.add(guildId, { announceChannelId: channelId }, [withYou({ date: '2022-05-01', time: undefined })]);
    const bot = await announcer();
    const midnightSeoul = Date.parse('2022-04-30T15:00:00Z');
    for (const at of [midnightSeoul - 1, midnightSeoul, midnightSeoul + HOUR]) {
      now = at;
      await bot.tick();
    }
    expect(embeds().map((e) => e.title)).toEqual(['Out today: With you']);
    // Posted before the release, so in the present tense.
    expect(embeds()[0]?.description).toContain('Out today, 1 May 2022 (Asia/Seoul); time not announced yet');
    expect(embeds()[0]?.description).not.toContain('Released');
  });

  it('gives a guild without an announcement channel nothing, and marks nothing', async () => {
    catalog.add(guildId, {}, [withYou()]);
    const { repo } = await openRepo();
    const bot = await announcer({ repo });
    now = WITH_YOU_AT;
    await bot.tick();
    expect(posts()).toHaveLength(0);
    expect((await repo.marks(guildId)).size).toBe(0);
  });

  it('runs on its own timer once started, and stop waits for the tick in flight', async () => {
    catalog.add(guildId, { announceChannelId: channelId }, [withYou()]);
    const { repo } = await openRepo();
    now = WITH_YOU_AT;
    const bot = new Announcer({ source: catalog, poster, repo, logger: logger(), now: () => now, tickMs: 20 });
    bot.start();
    await vi.waitFor(async () => expect(await repo.isDone(guildId, `release:with-you:2022-04-24`)).toBe(true));
    await bot.stop();
    expect(standIn.messages(channelId)).toHaveLength(1);
  });
});

describe('announcement schedule and format', () => {
  const settings = { remindDayBefore: false, timeZone: 'Asia/Seoul' };

  it('celebrates 29 February on the 28th in other years', () => {
    expect(birthdayIn(2023, 2, 29)).toBe('2023-02-28');
    expect(birthdayIn(2024, 2, 29)).toBe('2024-02-29');
    const leapling = artistSchema.parse({ id: 'leap', name: 'Leap', kind: 'soloist', birthday: '2000-02-29' });
    const due = announcementsBetween({ releases: [], artists: [leapling], settings }, Date.parse('2023-02-27T00:00:00Z'), Date.parse('2023-03-01T00:00:00Z'));
    expect(due.map((a) => [a.key, new Date(a.moment).toISOString()])).toEqual([['birthday:leap:2023', '2023-02-27T15:00:00.000Z']]);
  });

  it('shows no age when the birth year is a placeholder', () => {
    const noYear = artistSchema.parse({ id: 'no-year', name: 'No Year', kind: 'soloist', birthday: '0000-06-01' });
    const [due] = announcementsBetween({ releases: [], artists: [noYear], settings }, Date.parse('2024-05-31T00:00:00Z'), Date.parse('2024-06-01T00:00:00Z'));
    expect(due).toMatchObject({ key: 'birthday:no-year:2024', age: undefined });
    const embed = formatAnnouncement(due!, new Map()).embeds?.[0];
    expect(embed?.description).not.toContain('Turns');
  });

  it('keeps the largest release the schema allows within the embed limits, without cutting links', () => {
    const long = (n: number, c: string) => c.repeat(n);
    const names = Array.from({ length: 20 }, (_, i) =>
      artistSchema.parse({ id: `a${i}`, name: `${long(98, 'n')}${String(i).padStart(2, '0')}`, kind: 'soloist' }),
    );
    const huge = releaseSchema.parse({
      id: 'huge',
      artistIds: names.map((a) => a.id),
      title: long(200, '*'),
      type: 'ost',
      date: '2022-04-24',
      time: '18:00',
      relatedWork: long(200, '_'),
      links: Array.from({ length: 10 }, (_, i) => ({ label: `[${long(30, 'l')}]`, url: `https://example.com/${long(480, 'p')}(${i})` })),
    });
    const [due] = announcementsBetween({ releases: [huge], artists: names, settings }, WITH_YOU_AT, WITH_YOU_AT);
    const embed = formatAnnouncement(due!, new Map(names.map((a) => [a.id, a]))).embeds?.[0];
    const title = embed?.title ?? '';
    const description = embed?.description ?? '';
    expect(title.length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect(description.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(title.length + description.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    // Every link present is whole, with its parentheses encoded.
    const links = description.match(/\[\\\[l+\\\]\]\(https:\/\/example\.com\/p+%28\d%29\)/g) ?? [];
    expect(links.length).toBeGreaterThan(0);
    expect(description.split('](').length - 1).toBe(links.length);
  });
});

for (const target of storeTargets()) {
  describe.skipIf(!target.url)(`announcement marks on ${target.name}`, () => {
    let store: Store | undefined;
    const open = async () => {
      store = await openStore(target.url!, { namespace: target.namespace });
      return new AnnouncementRepository(store.kv);
    };

    afterEach(async () => {
      await store?.kv.clear();
      await store?.close();
      store = undefined;
    });

    it('keeps final marks across a reopen and never downgrades them', async () => {
      let repo = await open();
      await repo.markPending('g1', 'release:a:1', 100);
      expect(await repo.isDone('g1', 'release:a:1')).toBe(false);
      await repo.markPending('g1', 'release:a:1', 200);
      expect(await repo.get('g1', 'release:a:1')).toEqual({ state: 'pending', at: 100 });
      await repo.markDone('g1', 'release:a:1', 300, { messageId: '123456789012345678' });
      await repo.markPending('g1', 'release:a:1', 400);
      await repo.clearPending('g1', 'release:a:1');
      await repo.markDone('g1', 'birthday:b:2024', 300, { state: 'skipped', reason: 'late' });
      await repo.markPending('g1', 'reminder:c:5', 300);
      await repo.clearPending('g1', 'reminder:c:5');
      await store!.close();

      repo = await open();
      expect(await repo.isDone('g1', 'release:a:1')).toBe(true);
      expect(await repo.get('g1', 'release:a:1')).toEqual({ state: 'posted', at: 300, messageId: '123456789012345678' });
      expect(await repo.get('g1', 'birthday:b:2024')).toMatchObject({ state: 'skipped', reason: 'late' });
      expect(await repo.get('g1', 'reminder:c:5')).toBeUndefined();
      expect(await repo.isDone('g2', 'release:a:1')).toBe(false);
    });

    it('lets a skip give way only to another moment of the same announcement', async () => {
      const repo = await open();
      await repo.markDone('g1', 'release:a:2022-04-24', 300, { state: 'skipped', reason: 'late', moment: 100 });
      expect(await repo.isDone('g1', 'release:a:2022-04-24', 100)).toBe(true);
      expect(await repo.isDone('g1', 'release:a:2022-04-24')).toBe(true);
      await repo.markPending('g1', 'release:a:2022-04-24', 400, 100);
      expect((await repo.get('g1', 'release:a:2022-04-24'))?.state).toBe('skipped');

      expect(await repo.isDone('g1', 'release:a:2022-04-24', 200)).toBe(false);
      await repo.markPending('g1', 'release:a:2022-04-24', 400, 200);
      expect(await repo.get('g1', 'release:a:2022-04-24')).toEqual({ state: 'pending', at: 400 });

      // A post is final whatever the moment.
      await repo.markDone('g1', 'release:a:2022-04-24', 500, { messageId: '1' });
      expect(await repo.isDone('g1', 'release:a:2022-04-24', 900)).toBe(true);
      await repo.markPending('g1', 'release:a:2022-04-24', 600, 900);
      expect((await repo.get('g1', 'release:a:2022-04-24'))?.state).toBe('posted');
    });

    it('prunes marks older than the retention and survives concurrent writes', async () => {
      const repo = await open();
      await repo.markDone('g1', 'old', 0);
      await Promise.all(Array.from({ length: 20 }, (_, i) => repo.markDone('g1', `k${i}`, ANNOUNCEMENT_RETENTION_MS + 1)));
      const marks = await repo.marks('g1');
      expect(marks.has('old')).toBe(false);
      expect(marks.size).toBe(20);
      await repo.delete('g1');
      expect((await repo.marks('g1')).size).toBe(0);
    });
  });
}
