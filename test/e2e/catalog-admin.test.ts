import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PermissionFlagsBits, type APIEmbed } from 'discord.js';
import type { App } from '../../src/app.ts';
import { MAX_IMPORT_BYTES } from '../../src/catalog/limits.ts';
import type { CatalogFile } from '../../src/catalog/schema.ts';
import type { InteractionReply, UploadInput } from '../support/discord/index.ts';
import { startBot, startWorld, type World } from './harness.ts';

type Options = Record<string, string | boolean>;
interface Call {
  permissions?: bigint;
  attachments?: Record<string, UploadInput>;
  channelId?: string;
}

interface Button {
  custom_id: string;
  label: string;
  style: number;
}

describe('/catalog, end to end through the real discord.js client', () => {
  let world: World;
  let app: App;

  beforeEach(async () => {
    world = await startWorld();
    ({ app } = await startBot(world));
  });

  afterEach(async () => {
    await app.stop();
    await world.close();
  });

  const catalog = (group: string | undefined, subcommand: string, options: Options = {}, call: Call = {}) =>
    world.discord
      .dispatchSlashCommand({
        channelId: call.channelId ?? world.channelId,
        name: 'catalog',
        ...(group ? { subcommandGroup: group } : {}),
        subcommand,
        permissions: call.permissions ?? PermissionFlagsBits.ManageGuild,
        options,
        ...(call.attachments ? { attachments: call.attachments } : {}),
      })
      .reply(10_000);

  const complete = (group: string | undefined, subcommand: string, focused: string, options: Options, permissions = PermissionFlagsBits.ManageGuild) =>
    world.discord
      .dispatchAutocomplete({
        channelId: world.channelId,
        name: 'catalog',
        ...(group ? { subcommandGroup: group } : {}),
        subcommand,
        options,
        focused,
        permissions,
      })
      .choices();

  const importFile = (data: string | Buffer, options: Options = {}, name = 'catalog.json') =>
    catalog(undefined, 'import', options, { attachments: { file: { name, data, contentType: 'application/json' } } });

  const click = (reply: InteractionReply, customId: string) =>
    world.discord.dispatchComponent({ channelId: world.channelId, customId, messageId: reply.message.id, permissions: PermissionFlagsBits.ManageGuild }).reply(10_000);

  const buttons = (reply: InteractionReply): Button[] =>
    (reply.components as Array<{ components: Button[] }>).flatMap((row) => row.components);

  const revision = () => app.ctx.repos.catalog.revision(world.guildId);
  const stored = () => app.ctx.catalog.load(world.guildId);
  const exported = async (): Promise<CatalogFile> => JSON.parse(await app.ctx.catalog.exportCatalog(world.guildId)) as CatalogFile;

  /** The command is answered privately with `message`, and the stored catalog is exactly what it was. */
  const refused = async (run: () => Promise<InteractionReply>, message: RegExp) => {
    const before = { revision: await revision(), text: await app.ctx.catalog.exportCatalog(world.guildId) };
    const reply = await run();
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(message);
    expect(reply.components).toEqual([]);
    expect(await revision()).toBe(before.revision);
    expect(await app.ctx.catalog.exportCatalog(world.guildId)).toBe(before.text);
    return reply;
  };

  it('is hidden behind Manage Server, and every part of it refuses a member without it', async () => {
    const registered = world.discord.commands().find((command) => command.name === 'catalog');
    expect(registered?.default_member_permissions).toBe('32');

    const member = { permissions: PermissionFlagsBits.SendMessages };
    const attempts: Array<[string | undefined, string, Options, Call]> = [
      ['artist', 'add', { id: 'iu', name: 'IU', kind: 'soloist' }, member],
      ['artist', 'edit', { artist: 'jimin', agency: 'x' }, member],
      ['artist', 'remove', { artist: 'hotshot' }, member],
      ['quote', 'add', { id: 'q', artist: 'jimin', text: 'Hi', 'source-title': 't', 'source-url': 'https://e.com' }, member],
      ['quote', 'remove', { quote: 'ha-sung-woon-long-story' }, member],
      ['release', 'add', { id: 'r', title: 'R', type: 'single', date: '2030-01-01', artists: 'jimin' }, member],
      ['release', 'edit', { release: 'with-you', date: '2030-01-01' }, member],
      ['release', 'remove', { release: 'with-you' }, member],
      [undefined, 'export', {}, member],
      [undefined, 'import', {}, { ...member, attachments: { file: { name: 'c.json', data: '{}' } } }],
      [undefined, 'announce', { channel: world.channelId }, member],
      [undefined, 'announce-off', {}, member],
      [undefined, 'settings', {}, member],
    ];
    for (const [group, subcommand, options, call] of attempts) {
      const reply = await catalog(group, subcommand, options, call);
      expect(reply.ephemeral, `${group ?? ''} ${subcommand}`).toBe(true);
      expect(reply.content, `${group ?? ''} ${subcommand}`).toContain('Manage Server');
      expect(reply.files).toEqual([]);
    }
    expect(await complete('artist', 'edit', 'artist', { artist: 'ji' }, PermissionFlagsBits.SendMessages)).toEqual([]);
    expect(await revision()).toBe('starter');
    expect(await app.ctx.repos.catalog.settings(world.guildId)).toEqual({ remindDayBefore: false, timeZone: 'Asia/Seoul' });
    expect(await app.ctx.repos.catalog.guildIds()).toEqual([]);
  });

  describe('artists', () => {
    it('adds an artist that autocomplete then finds, edits it ("-" clears) and removes it', async () => {
      const added = await catalog('artist', 'add', {
        id: 'iu',
        name: 'IU',
        kind: 'soloist',
        hangul: '아이유, 이지은',
        aliases: 'Lee Ji-eun, Lee Jieun',
        birthday: '1993-05-16',
        agency: 'EDAM Entertainment',
        links: 'Instagram https://instagram.com/dlwlrma, YouTube https://youtube.com/@dlwlrma',
      });
      expect(added.ephemeral).toBe(true);
      expect(added.content).toBe('Added the artist **IU** (`iu`).');

      expect(await complete('artist', 'edit', 'artist', { artist: '아이유' })).toEqual([{ name: 'IU (아이유)', value: 'iu' }]);
      expect((await complete('quote', 'add', 'artist', { artist: 'lee ji' })).map((c) => c.value)).toContain('iu');

      const edited = await catalog('artist', 'edit', { artist: 'iu', agency: '-', fandom: 'UAENA', birthday: '1993-05-16' });
      expect(edited.content).toBe('Updated the artist **IU** (`iu`): birthday, agency, fandom.');
      const iu = (await stored()).artists.find((a) => a.id === 'iu')!;
      expect(iu).toMatchObject({ fandom: 'UAENA', nativeNames: ['아이유', '이지은'], links: [{ label: 'Instagram' }, { label: 'YouTube' }] });
      expect(iu.agency).toBeUndefined();

      // Typed by name instead of picked from the suggestions, the group still resolves.
      await catalog('artist', 'add', { id: 'v', name: 'V', kind: 'member', group: 'BTS', position: 'Vocalist' });
      expect((await stored()).artists.find((a) => a.id === 'v')?.memberships).toEqual([{ groupId: 'bts', position: 'Vocalist', current: true }]);
      await catalog('artist', 'edit', { artist: 'v', former: true });
      expect((await stored()).artists.find((a) => a.id === 'v')?.memberships[0]?.current).toBe(false);

      await refused(() => catalog('artist', 'remove', { artist: 'bts' }), /"bts" is still used by .*the members "jimin", "v"/);
      expect((await catalog('artist', 'remove', { artist: 'iu' })).content).toBe('Removed the artist **IU** (`iu`).');
      expect(await complete('artist', 'edit', 'artist', { artist: '아이유' })).toEqual([]);
    });

    it('refuses a bad date, an unknown group, a duplicate id and an over-long name, naming the field and writing nothing', async () => {
      const iu = { id: 'iu', name: 'IU', kind: 'soloist' };
      await refused(() => catalog('artist', 'add', { ...iu, birthday: '1993-02-30' }), /^birthday: that date does not exist$/);
      await refused(() => catalog('artist', 'add', { ...iu, debut: '16/05/1993' }), /^debut: write dates as YYYY-MM-DD$/);
      await refused(() => catalog('artist', 'add', { ...iu, group: 'bangtan' }), /^group: no artist called "bangtan" in this server's catalog/);
      await refused(() => catalog('artist', 'add', { ...iu, group: 'ha-sung-woon' }), /^group: "ha-sung-woon" is a soloist; memberships point at a group or a unit$/);
      await refused(() => catalog('artist', 'add', { ...iu, id: 'jimin' }), /^id: there is already an artist with the id "jimin"; pick another id or edit that one$/);
      await refused(() => catalog('artist', 'add', { ...iu, name: 'I'.repeat(101) }), /^name: too long: at most 100 characters$/);
      await refused(() => catalog('artist', 'add', { ...iu, id: 'I U' }), /^id: use lowercase letters, digits and single hyphens/);
      await refused(() => catalog('artist', 'add', { ...iu, aliases: `ok, ${'x'.repeat(101)}` }), /^aliases \(2nd item\): too long: at most 100 characters$/);
      await refused(() => catalog('artist', 'add', { ...iu, links: 'Site ftp://example.com' }), /^links: /);
      await refused(() => catalog('artist', 'add', { ...iu, position: 'Leader' }), /^position: also give the group/);
      await refused(() => catalog('artist', 'edit', { artist: 'nobody', agency: 'x' }), /No artist called "nobody"/);
      await refused(() => catalog('artist', 'edit', { artist: 'jimin' }), /^Nothing to change/);
      await refused(() => catalog('artist', 'edit', { artist: 'jimin', name: '-' }), /^name: required$/);
      expect(await revision()).toBe('starter');
    });
  });

  describe('two artists with one name', () => {
    it('refuses every option that names one by a name they share, writing nothing; an id still works', async () => {
      await app.ctx.catalog.addArtist(world.guildId, { id: 'aoa', name: 'AOA', kind: 'group' });
      await app.ctx.catalog.addArtist(world.guildId, { id: 'jimin-aoa', name: 'Jimin', kind: 'member', memberships: [{ groupId: 'aoa' }] });
      await app.ctx.catalog.addArtist(world.guildId, { id: 'hotshot-japan', name: 'HOTSHOT', kind: 'unit' });
      const jimins = /^Several artists are called Jimin: Jimin — AOA \(`jimin-aoa`\), Jimin — BTS \(`jimin`\)\. Pick one from the list\.$/;
      const quote = { id: 'q-new', text: 'Hi', 'source-title': 'Live', 'source-url': 'https://e.com/live' };

      await refused(() => catalog('quote', 'add', { ...quote, artist: 'Jimin' }), jimins);
      await refused(() => catalog('release', 'add', { id: 'r', title: 'R', type: 'single', date: '2030-01-01', artists: 'ha-sung-woon, Jimin' }), jimins);
      await refused(() => catalog('release', 'edit', { release: 'with-you', artists: 'Jimin' }), jimins);
      await refused(() => catalog('artist', 'edit', { artist: 'Jimin', agency: 'x' }), jimins);
      await refused(() => catalog('artist', 'remove', { artist: 'Jimin' }), jimins);
      await refused(
        () => catalog('artist', 'add', { id: 'v', name: 'V', kind: 'member', group: 'HOTSHOT' }),
        /^Several artists are called HOTSHOT: HOTSHOT \(`hotshot`\), HOTSHOT \(`hotshot-japan`\)\./,
      );

      const added = await catalog('quote', 'add', { ...quote, artist: 'jimin-aoa' });
      expect(added.content).toContain('Added the quote `q-new`');
      expect((await stored()).quotes.find((q) => q.id === 'q-new')?.artistId).toBe('jimin-aoa');
    });
  });

  describe('quotes', () => {
    it('adds, finds, edits and removes a quote; refuses an unknown artist', async () => {
      await refused(
        () => catalog('quote', 'add', { id: 'q-new', artist: 'nobody', text: 'Hi', 'source-title': 'Live', 'source-url': 'https://e.com/live' }),
        /^artist: no artist called "nobody"/,
      );
      await refused(
        () => catalog('quote', 'add', { id: 'q-new', artist: 'jimin', text: 'Hi', 'source-title': 'Live', 'source-url': 'not a link' }),
        /^source-url: must be an http\(s\) link$/,
      );
      const added = await catalog('quote', 'add', {
        id: 'jimin-thank-you',
        artist: 'Jimin',
        text: 'Thank you, ARMY, always.',
        'source-title': 'Weverse live',
        'source-url': 'https://weverse.io/bts/live/1',
        date: '2022-10-13',
      });
      expect(added.content).toBe('Added the quote `jimin-thank-you`: “Thank you, ARMY, always.”');

      const choices = await complete('quote', 'edit', 'quote', { quote: 'army' });
      expect(choices).toEqual([{ name: '“Thank you, ARMY, always.” — Jimin', value: 'jimin-thank-you' }]);

      const edited = await catalog('quote', 'edit', { quote: 'jimin-thank-you', 'source-url': 'https://weverse.io/bts/live/2', date: '-' });
      expect(edited.content).toContain('Updated the quote `jimin-thank-you` (date, source)');
      expect((await stored()).quotes.find((q) => q.id === 'jimin-thank-you')).toEqual({
        id: 'jimin-thank-you',
        artistId: 'jimin',
        text: 'Thank you, ARMY, always.',
        source: { title: 'Weverse live', url: 'https://weverse.io/bts/live/2' },
      });

      await refused(() => catalog('quote', 'edit', { quote: 'jimin-thank-you', date: '2022-13-01' }), /^date: that date does not exist$/);
      expect((await catalog('quote', 'remove', { quote: 'jimin-thank-you' })).content).toContain('Removed the quote `jimin-thank-you`');
      await refused(() => catalog('quote', 'remove', { quote: 'jimin-thank-you' }), /^quote: there is no quote with the id "jimin-thank-you"/);
    });
  });

  describe('releases', () => {
    it('adds a release by artist names or ids, edits and removes it', async () => {
      expect(await complete('release', 'add', 'artists', { artists: 'jimin, ha sung' })).toEqual([
        { name: 'jimin, Ha Sung Woon', value: 'jimin, ha-sung-woon' },
      ]);
      expect((await complete('release', 'add', 'timezone', { timezone: 'asia/seo' }))[0]).toEqual({ name: 'Asia/Seoul', value: 'Asia/Seoul' });

      const added = await catalog('release', 'add', {
        id: 'face',
        title: 'FACE',
        type: 'album',
        date: '2030-03-24',
        time: '13:00',
        artists: 'Jimin',
        links: 'Spotify https://open.spotify.com/album/x',
      });
      expect(added.content).toContain('Added the release **FACE** (`face`).');
      expect(added.content).toContain(`<t:${Date.parse('2030-03-24T04:00:00Z') / 1000}:F>`);
      expect(added.content).toContain('Release-day posts are off; pick a channel with /catalog announce');
      expect((await stored()).releases.find((r) => r.id === 'face')).toEqual({
        id: 'face',
        artistIds: ['jimin'],
        title: 'FACE',
        type: 'album',
        date: '2030-03-24',
        time: '13:00',
        timeZone: 'Asia/Seoul',
        links: [{ label: 'Spotify', url: 'https://open.spotify.com/album/x' }],
      });

      expect((await complete('release', 'edit', 'release', { release: 'face' }))[0]).toEqual({ name: 'FACE — Jimin (2030-03-24)', value: 'face' });

      const edited = await catalog('release', 'edit', { release: 'face', date: '2030-03-25', time: '-', artists: 'jimin, ha-sung-woon' });
      expect(edited.content).toContain('Updated the release **FACE** (`face`): date, time, artists.');
      expect(edited.content).toContain('Out 2030-03-25 (Asia/Seoul, time not announced).');
      expect((await stored()).releases.find((r) => r.id === 'face')).toMatchObject({ date: '2030-03-25', artistIds: ['jimin', 'ha-sung-woon'] });
      expect((await stored()).releases.find((r) => r.id === 'face')?.time).toBeUndefined();

      await refused(() => catalog('release', 'edit', { release: 'face', time: '25:00' }), /^time: write times as HH:MM \(24-hour\)/);
      await refused(() => catalog('release', 'edit', { release: 'face', timezone: 'Mars/Olympus' }), /^timezone: use a time zone name like Asia\/Seoul/);
      await refused(() => catalog('release', 'edit', { release: 'face', timezone: 'EST' }), /^timezone: "EST" is an abbreviation or an alias, not a zone name; use a zone name like America\/New_York/);
      // Stored as Intl spells it; KST and JST are understood.
      await catalog('release', 'edit', { release: 'face', timezone: 'jst' });
      expect((await stored()).releases.find((r) => r.id === 'face')?.timeZone).toBe('Asia/Tokyo');
      await catalog('release', 'edit', { release: 'face', timezone: 'asia/seoul' });
      expect((await stored()).releases.find((r) => r.id === 'face')?.timeZone).toBe('Asia/Seoul');
      await refused(() => catalog('release', 'edit', { release: 'face', artists: 'jimin, jimin' }), /^artists \(2nd item\): "jimin" is listed twice$/);
      await refused(() => catalog('release', 'edit', { release: 'face', artists: 'jimin, nobody' }), /^artists: no artist called "nobody"/);
      await refused(
        () => catalog('release', 'add', { id: 'face', title: 'FACE', type: 'album', date: '2030-03-24', artists: 'jimin' }),
        /^id: there is already a release with the id "face"/,
      );

      expect((await catalog('release', 'remove', { release: 'face' })).content).toBe('Removed the release **FACE** (`face`).');
      expect((await stored()).releases.map((r) => r.id)).toEqual(['with-you']);
    });
  });

  describe('export and import', () => {
    it('exports the catalog as a JSON file that imports back as no change', async () => {
      const reply = await catalog(undefined, 'export');
      expect(reply.ephemeral).toBe(true);
      expect(reply.content).toContain('5 artists, 5 quotes, 1 releases');
      expect(reply.files).toHaveLength(1);
      const [file] = reply.files;
      expect(file!.name).toBe(`lightstick-catalog-${world.guildId}.json`);
      const json = file!.json() as CatalogFile;
      expect(json.version).toBe(1);
      expect(json.artists.map((a) => a.id)).toEqual(['bts', 'jimin', 'hotshot', 'wanna-one', 'ha-sung-woon']);

      const again = await importFile(file!.data);
      expect(again.content).toBe('The file matches the current catalog; importing it would change nothing.');
      expect(again.components).toEqual([]);
      expect(await revision()).toBe('starter');
    });

    const edited = async () => {
      const file = await exported();
      file.artists.push({ id: 'iu', name: 'IU', nativeNames: [], aliases: [], kind: 'soloist', memberships: [], links: [] });
      file.artists.find((a) => a.id === 'jimin')!.agency = 'BIGHIT MUSIC (solo)';
      file.quotes = file.quotes.filter((q) => q.id !== 'ha-sung-woon-long-story');
      return file;
    };

    it('previews a good file, then applies it all at once when confirmed', async () => {
      const preview = await importFile(JSON.stringify(await edited(), null, 2), {}, 'my catalog.json');
      expect(preview.ephemeral).toBe(true);
      const embed = preview.embeds[0] as APIEmbed;
      expect(embed.title).toBe('Import preview: my catalog.json');
      expect(embed.description).toBe(
        'Artists: 1 added (iu), 1 changed (jimin), none removed\n' +
          'Quotes: none added, none changed, 1 removed (ha-sung-woon-long-story)\n' +
          'Releases: none added, none changed, none removed',
      );
      const [confirm, cancel] = buttons(preview);
      expect(confirm!.label).toBe('Import (removes 1)');
      expect(confirm!.custom_id).toBe(`catalog:import-confirm:starter:${confirm!.custom_id.split(':')[3]}`);
      expect(cancel!.custom_id).toBe('catalog:import-cancel');
      expect(await revision()).toBe('starter');

      const applied = await click(preview, confirm!.custom_id);
      expect(applied.content).toContain('Imported my catalog.json.');
      expect(applied.content).toContain('Artists: 1 added (iu)');
      expect(applied.embeds).toEqual([]);
      expect(applied.components).toEqual([]);
      const now = await stored();
      expect(now.artists.map((a) => a.id)).toContain('iu');
      expect(now.quotes.map((q) => q.id)).not.toContain('ha-sung-woon-long-story');
      expect(await complete('artist', 'edit', 'artist', { artist: 'IU' })).toEqual([{ name: 'IU', value: 'iu' }]);

      // The preview is gone from the message; a late click on the same button does nothing more.
      const revisionAfter = await revision();
      const twice = await click(preview, confirm!.custom_id);
      expect(twice.content).toMatch(/^This import preview is no longer usable/);
      expect(await revision()).toBe(revisionAfter);
    });

    it('changes nothing when cancelled, and refuses a preview the catalog has moved past', async () => {
      const file = JSON.stringify(await edited());
      const first = await importFile(file);
      const cancelled = await click(first, buttons(first)[1]!.custom_id);
      expect(cancelled.content).toBe('Import cancelled; the catalog is unchanged.');
      expect(cancelled.components).toEqual([]);
      expect(await revision()).toBe('starter');

      const second = await importFile(file);
      await catalog('artist', 'edit', { artist: 'bts', fandom: 'A.R.M.Y' });
      const before = await app.ctx.catalog.exportCatalog(world.guildId);
      const stale = await click(second, buttons(second)[0]!.custom_id);
      expect(stale.content).toMatch(/^The catalog changed since this preview \(an edit or another import\), so nothing was imported\./);
      expect(stale.components).toEqual([]);
      expect(await app.ctx.catalog.exportCatalog(world.guildId)).toBe(before);
    });

    it('applies at once with apply:true', async () => {
      const reply = await importFile(JSON.stringify(await edited()), { apply: true });
      expect(reply.content).toMatch(/^Imported catalog\.json\.\nArtists: 1 added \(iu\)/);
      expect(reply.components).toEqual([]);
      expect((await stored()).artists.map((a) => a.id)).toContain('iu');
    });

    it('refuses a broken file, saying what is wrong, and changes nothing', async () => {
      const nothing = /Nothing was imported; the catalog is unchanged\.$/;
      const good = await app.ctx.catalog.exportCatalog(world.guildId);
      const check = async (data: string | Buffer, message: RegExp) => {
        const reply = await refused(() => importFile(data, { apply: true }), message);
        expect(reply.content).toMatch(nothing);
      };

      await check(good.replace('"name": "Jimin",', '"name": "Jimin"'), /^That file is not valid JSON: expected ',' or '}' after property value at line \d+, column \d+/);
      await check('[1, 2, 3]', /^That file is not a catalog/);
      const v2 = await exported();
      await check(JSON.stringify({ ...v2, version: 2 }), /^version: this file is format 2, and this bot reads format 1\./);

      const schema = await exported();
      schema.artists[1]!.birthday = '1995-02-30';
      schema.releases[0]!.type = 'mixtape' as 'single';
      await check(JSON.stringify(schema), /^That file has problems:\nartists\[1\]\.birthday: that date does not exist\nreleases\[0\]\.type: must be one of: /);

      const reference = await exported();
      reference.quotes[0]!.artistId = 'nobody';
      await check(JSON.stringify(reference), /quotes\[0\]\.artistId: no artist has the id "nobody"; add that artist first/);

      const duplicate = await exported();
      duplicate.artists.push({ ...duplicate.artists[0]!, name: 'BTS again' });
      await check(JSON.stringify(duplicate), /artists\[5\]\.id: another artist already has the id "bts"/);

      const long = await exported();
      long.artists[0]!.name = 'B'.repeat(101);
      await check(JSON.stringify(long), /artists\[0\]\.name: too long: at most 100 characters/);

      const oversized = good.replace('{', `{${' '.repeat(MAX_IMPORT_BYTES)}`);
      await check(oversized, /^That file is 4\.1 MB; a catalog file may be at most 4\.0 MB\./);

      await check(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), /^catalog\.json is not UTF-8 text/);
      expect(await revision()).toBe('starter');
    });
  });

  describe('announcement settings', () => {
    it('saves the channel, reminder and time zone, shows them, and turns posts off', async () => {
      const initial = await catalog(undefined, 'settings');
      expect(initial.content).toContain('**Announcement channel:** none');

      const closed = world.discord.addChannel(world.guildId, { name: 'closed' });
      world.discord.setBotCanPost(closed.id, false);
      const refusedChannel = await catalog(undefined, 'announce', { channel: closed.id });
      expect(refusedChannel.content).toMatch(/Send Messages/);
      const badZone = await catalog(undefined, 'announce', { channel: world.channelId, timezone: 'Seoul time' });
      expect(badZone.content).toMatch(/^timezone: "Seoul time" is not a time zone I know/);
      const abbreviation = await catalog(undefined, 'announce', { channel: world.channelId, timezone: 'EST' });
      expect(abbreviation.content).toBe('timezone: "EST" is an abbreviation or an alias, not a zone name; use a zone name like America/New_York (KST and JST are understood).');
      expect(await app.ctx.repos.catalog.settings(world.guildId)).toEqual({ remindDayBefore: false, timeZone: 'Asia/Seoul' });

      const saved = await catalog(undefined, 'announce', { channel: world.channelId, 'remind-day-before': true, timezone: 'Europe/Paris' });
      expect(saved.ephemeral).toBe(true);
      expect(saved.content).toContain(`Release-day and birthday posts will go to <#${world.channelId}>.`);
      expect(await app.ctx.repos.catalog.settings(world.guildId)).toEqual({
        announceChannelId: world.channelId,
        remindDayBefore: true,
        timeZone: 'Europe/Paris',
      });
      const shown = await catalog(undefined, 'settings');
      expect(shown.content).toBe(
        `**Announcement channel:** <#${world.channelId}>\n**Reminder a day before each release:** on\n**Time zone for birthdays:** Europe/Paris`,
      );

      // Adding a release now says where its post goes.
      const added = await catalog('release', 'add', { id: 'r', title: 'R', type: 'single', date: '2030-01-01', artists: 'jimin' });
      expect(added.content).toContain(`Its release-day post will go to <#${world.channelId}> at that moment.`);

      await catalog(undefined, 'announce', { channel: world.channelId, timezone: 'kst' });
      expect((await app.ctx.repos.catalog.settings(world.guildId)).timeZone).toBe('Asia/Seoul');
      await catalog(undefined, 'announce', { channel: world.channelId, timezone: 'europe/paris' });
      expect((await app.ctx.repos.catalog.settings(world.guildId)).timeZone).toBe('Europe/Paris');

      const off = await catalog(undefined, 'announce-off');
      expect(off.content).toContain('Release-day and birthday posts are off.');
      expect(await app.ctx.repos.catalog.settings(world.guildId)).toEqual({ remindDayBefore: true, timeZone: 'Europe/Paris' });
    });
  });
});
