import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord.js';
import type { App } from '../../src/app.ts';
import { startBot, startWorld, waitFor, type World } from './harness.ts';

/** Four days before "With You" (2022-04-24 23:00 KST = 14:00 UTC), so it is upcoming. */
const NOW = Date.parse('2022-04-20T12:00:00Z');
const WITH_YOU = 1650808800;
const SOURCE = 'https://www.koreaboo.com/news/ha-sung-woon-spoilers-ost-bts-jimin-blues/';

const embedOf = (reply: { embeds: unknown[] }) => reply.embeds[0] as APIEmbed;
const field = (embed: APIEmbed, name: string) => embed.fields?.find((f) => f.name.startsWith(name))?.value;
const buttons = (reply: { components: unknown[] }) =>
  ((reply.components[0] as APIActionRowComponent<APIButtonComponent> | undefined)?.components ?? []) as (APIButtonComponent & { custom_id: string })[];

describe('member catalog commands, end to end through the real discord.js client', () => {
  let world: World;
  let app: App | undefined;

  beforeEach(async () => {
    world = await startWorld();
    ({ app } = await startBot(world, { now: () => NOW }));
  });

  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await world.close();
  });

  const command = (name: string, options: Record<string, string | number> = {}, channelId = world.channelId) =>
    world.discord.dispatchSlashCommand({ channelId, name, options }).reply();

  const autocomplete = (name: string, option: string, typed: string) =>
    world.discord.dispatchAutocomplete({ channelId: world.channelId, name, options: { [option]: typed }, focused: option }).choices();

  describe('artist autocomplete', () => {
    it('finds an artist by Hangul, by a typo, and by any spacing or hyphenation of a name', async () => {
      const byHangul = await autocomplete('artist', 'name', '지민');
      expect(byHangul[0]?.value).toBe('jimin');
      expect(byHangul[0]?.name).toContain('— BTS');

      expect((await autocomplete('artist', 'name', 'jimni'))[0]?.value).toBe('jimin');
      expect((await autocomplete('quote', 'artist', 'HA-SUNG woon'))[0]?.value).toBe('ha-sung-woon');
      expect((await autocomplete('releases', 'artist', 'hasungwoon'))[0]?.value).toBe('ha-sung-woon');
      expect((await autocomplete('artist', 'name', 'Ha Sung’woon'))[0]?.value).toBe('ha-sung-woon');
    });

    it('labels a member with its group, so same-named idols are told apart', async () => {
      const choices = await autocomplete('artist', 'name', 'jimin');
      expect(choices[0]).toEqual({ name: 'Jimin — BTS', value: 'jimin' });
    });

    it('offers at most 25 choices, each name at most 100 characters', async () => {
      for (let i = 0; i < 30; i += 1) {
        await app!.ctx.catalog.addArtist(world.guildId, { id: `member-${i}`, name: `Member ${i} ${'x'.repeat(80)}`, kind: 'member', memberships: [{ groupId: 'bts' }] });
      }
      const choices = await autocomplete('artist', 'name', '');
      expect(choices).toHaveLength(25);
      const typed = await autocomplete('artist', 'name', 'member');
      expect(typed).toHaveLength(25);
      for (const choice of [...choices, ...typed]) expect(choice.name.length).toBeLessThanOrEqual(100);
    });
  });

  describe('/artist', () => {
    it("shows a member's profile: names, group, birthday with age, next release with timestamps, a quote", async () => {
      await app!.ctx.catalog.addQuote(world.guildId, {
        id: 'jimin-with-you',
        artistId: 'jimin',
        text: 'I hope this song comforts you.',
        source: { title: 'An interview', url: 'https://example.com/jimin-interview' },
        date: '2022-04-21',
      });
      const reply = await command('artist', { name: 'jimin' });
      expect(reply.ephemeral).toBe(false);
      const embed = embedOf(reply);
      expect(embed.title).toBe('Jimin (지민, 박지민)');
      expect(embed.description).toBe('Vocalist and dancer of BTS.');
      expect(field(embed, 'Also known as')).toContain('Park Ji-min (birth name)');
      expect(field(embed, 'Group')).toContain('**BTS** · Vocalist, dancer');
      expect(field(embed, 'Birthday')).toBe('13 October 1995 (age 26)');
      expect(field(embed, 'Agency')).toBe('BIGHIT MUSIC');
      const next = field(embed, 'Next release')!;
      expect(next).toContain('**With You** — Jimin & Ha Sung Woon · OST for Our Blues');
      expect(next).toContain(`<t:${WITH_YOU}:F>`);
      expect(next).toContain(`<t:${WITH_YOU}:R>`);
      const quote = field(embed, 'Quote')!;
      expect(quote).toContain('> I hope this song comforts you.');
      expect(quote).toContain('— **Jimin**, [An interview](https://example.com/jimin-interview) · 21 April 2022');
    });

    it('accepts a name typed and sent without picking from the list', async () => {
      expect(embedOf(await command('artist', { name: 'Park Jimin' })).title).toContain('Jimin');
      expect(embedOf(await command('artist', { name: 'ha sung-woon' })).title).toBe('Ha Sung Woon (하성운)');
    });

    it("lists a group's members, and a former member's groups as former", async () => {
      const bts = embedOf(await command('artist', { name: 'bts' }));
      expect(field(bts, 'Members')).toContain('Jimin · Vocalist, dancer');
      expect(field(bts, 'Debut')).toBe('13 June 2013');
      expect(field(bts, 'Fandom')).toBe('ARMY');
      expect(field(bts, 'Links')).toBe('[X](https://x.com/BTS_twt) · [Weverse](https://weverse.io/bts)');
      // A member's release is not the group's, and the group has none of its own.
      expect(field(bts, 'Next release')).toBeUndefined();

      const wannaOne = embedOf(await command('artist', { name: 'wanna-one' }));
      expect(field(wannaOne, 'Members')).toBeUndefined();
      expect(field(wannaOne, 'Former members')).toContain('Ha Sung Woon');

      const hsw = embedOf(await command('artist', { name: 'ha-sung-woon' }));
      expect(field(hsw, 'Groups')).toContain('**HOTSHOT** · Main vocalist · *former*');
      expect(field(hsw, 'Groups')).toContain('**Wanna One** · *former*');
      expect(field(hsw, 'Birthday')).toBe('22 March 1994 (age 28)');
      expect(field(hsw, 'Quote')).toContain(`](${SOURCE})`);
    });

    it('answers an unknown artist privately, suggesting the closest names', async () => {
      const unknown = await command('artist', { name: 'xyz' });
      expect(unknown.ephemeral).toBe(true);
      expect(unknown.content).toBe("I don't know an artist called “xyz”. Pick one from the list.");
      expect(unknown.embeds).toEqual([]);

      const typo = await command('artist', { name: 'jimni' });
      expect(typo.ephemeral).toBe(true);
      expect(typo.content).toContain('Did you mean **Jimin — BTS**');
    });
  });

  describe('two idols with one name', () => {
    beforeEach(async () => {
      await app!.ctx.catalog.addArtist(world.guildId, { id: 'aoa', name: 'AOA', kind: 'group' });
      await app!.ctx.catalog.addArtist(world.guildId, { id: 'jimin-aoa', name: 'Jimin', nativeNames: ['지민'], kind: 'member', memberships: [{ groupId: 'aoa' }] });
    });

    it('offers both, each with its group', async () => {
      expect(await autocomplete('artist', 'name', 'jimin')).toEqual([
        { name: 'Jimin — AOA', value: 'jimin-aoa' },
        { name: 'Jimin — BTS', value: 'jimin' },
      ]);
    });

    it('refuses, privately, a name typed without picking, instead of guessing which one', async () => {
      const several = 'Several artists are called Jimin: Jimin — AOA (`jimin-aoa`), Jimin — BTS (`jimin`). Pick one from the list.';
      for (const [name, options] of [
        ['artist', { name: 'Jimin' }],
        ['releases', { artist: 'Jimin' }],
        ['quote', { artist: 'Jimin' }],
      ] as const) {
        const reply = await command(name, options);
        expect(reply.ephemeral, name).toBe(true);
        expect(reply.content, name).toBe(several);
        expect(reply.embeds, name).toEqual([]);
      }
      // What the list fills in, the id, always finds its artist.
      expect(embedOf(await command('artist', { name: 'jimin-aoa' })).title).toBe('Jimin (지민)');
      expect(embedOf(await command('artist', { name: 'jimin' })).title).toBe('Jimin (지민, 박지민)');
    });
  });

  describe('/quote', () => {
    it('never shows the same quote twice in a row in one channel', async () => {
      let last: string | undefined;
      for (let i = 0; i < 8; i += 1) {
        const reply = await command('quote', i % 2 === 0 ? { artist: 'ha-sung-woon' } : {});
        expect(reply.ephemeral).toBe(false);
        const text = embedOf(reply).description;
        expect(text).not.toBe(last);
        last = text;
      }
    });

    it('shows who said it and links the source', async () => {
      const embed = embedOf(await command('quote', { artist: 'ha-sung-woon' }));
      expect(embed.description).toMatch(/^> .+\n— \*\*Ha Sung Woon\*\*$/s);
      const source = field(embed, 'Source')!;
      expect(source).toContain('[Ha Sung Woon Spills On What To Expect From His OST With BTS’s Jimin For K-Drama “Our Blues”]');
      expect(source).toContain(`](${SOURCE})`);
    });

    it('says so, privately, when an artist has no quotes', async () => {
      const reply = await command('quote', { artist: 'hotshot' });
      expect(reply.ephemeral).toBe(true);
      expect(reply.content).toContain('no quotes from **HOTSHOT**');
    });
  });

  describe('/releases', () => {
    const addReleases = async (count: number) => {
      for (let i = 1; i <= count; i += 1) {
        const day = String(i).padStart(2, '0');
        await app!.ctx.catalog.addRelease(world.guildId, {
          id: `comeback-${i}`,
          artistIds: ['hotshot'],
          title: `Comeback ${day}`,
          type: 'single',
          date: `2022-05-${day}`,
          time: '18:00',
        });
      }
    };

    it('lists upcoming releases with timestamps every member reads in their own zone', async () => {
      const reply = await command('releases');
      expect(reply.ephemeral).toBe(false);
      const embed = embedOf(reply);
      expect(embed.description).toContain(
        `**With You** — Jimin & Ha Sung Woon · OST for Our Blues · <t:${WITH_YOU}:F> (<t:${WITH_YOU}:R>)`,
      );
      expect(embed.footer?.text).toBe('1 upcoming release');
      expect(reply.components).toEqual([]);
    });

    it('pages with Prev/Next buttons that update the message', async () => {
      await addReleases(25);
      const first = await command('releases');
      expect(embedOf(first).footer?.text).toBe('Page 1/3 · 26 upcoming releases');
      expect(embedOf(first).description).toContain('**With You**');
      expect(embedOf(first).description).not.toContain('Comeback 10');
      let [prev, next] = buttons(first);
      expect(prev?.disabled).toBe(true);
      expect(next?.disabled).toBe(false);
      for (const button of [prev!, next!]) expect(button.custom_id.length).toBeLessThanOrEqual(100);

      const click = (customId: string) => world.discord.dispatchComponent({ channelId: world.channelId, customId, messageId: first.message.id }).reply();

      const second = await click(next!.custom_id);
      expect(second.type).toBe(7);
      expect(second.message.id).toBe(first.message.id);
      expect(embedOf(second).footer?.text).toBe('Page 2/3 · 26 upcoming releases');
      expect(embedOf(second).description).toContain('**Comeback 10**');
      expect(embedOf(second).description).not.toContain('**With You**');
      [prev, next] = buttons(second);
      expect(prev?.disabled).toBe(false);
      expect(next?.disabled).toBe(false);

      const third = await click(next!.custom_id);
      expect(embedOf(third).footer?.text).toBe('Page 3/3 · 26 upcoming releases');
      expect(embedOf(third).description).toContain('**Comeback 25**');
      [prev, next] = buttons(third);
      expect(next?.disabled).toBe(true);

      const back = await click(prev!.custom_id);
      expect(embedOf(back).footer?.text).toBe('Page 2/3 · 26 upcoming releases');
      // The channel's copy of the message shows what the member sees.
      const stored = world.discord.messages(world.channelId).find((m) => m.id === first.message.id);
      expect((stored?.embeds[0] as APIEmbed).footer?.text).toBe('Page 2/3 · 26 upcoming releases');
    });

    it('keeps paging after a restart: the buttons carry the whole query', async () => {
      await addReleases(25);
      const first = await command('releases', { artist: 'hotshot', within: 60 });
      expect(embedOf(first).footer?.text).toBe('Page 1/3 · 25 upcoming releases');
      const next = buttons(first)[1]!;

      await app!.stop();
      await waitFor(() => world.discord.connectedClients === 0, 'the gateway to notice');
      ({ app } = await startBot(world, { now: () => NOW }));

      const second = await world.discord.dispatchComponent({ channelId: world.channelId, customId: next.custom_id, messageId: first.message.id }).reply();
      expect(embedOf(second).title).toBe('Upcoming releases — HOTSHOT');
      expect(embedOf(second).footer?.text).toBe('Page 2/3 · 25 upcoming releases');
    });

    it('narrows to an artist (with its current groups) and to a number of days', async () => {
      await addReleases(3);
      await app!.ctx.catalog.addRelease(world.guildId, { id: 'bts-album', artistIds: ['bts'], title: 'Proof', type: 'album', date: '2022-06-10', time: '13:00' });

      const jimin = embedOf(await command('releases', { artist: 'jimin' }));
      expect(jimin.title).toBe('Upcoming releases — Jimin');
      expect(jimin.description).toContain('**With You**');
      expect(jimin.description).toContain('**Proof** — BTS · Album');
      expect(jimin.description).not.toContain('Comeback');

      const soon = embedOf(await command('releases', { within: 5 }));
      expect(soon.description).toContain('**With You**');
      expect(soon.description).not.toContain('Comeback');
      expect(embedOf(await command('releases', { within: 12 })).description).toContain('**Comeback 01**');

      const none = embedOf(await command('releases', { within: 1 }));
      expect(none.description).toBe('No upcoming releases in the next day.');
      const noneForArtist = embedOf(await command('releases', { artist: 'wanna-one' }));
      expect(noneForArtist.description).toBe('No upcoming releases for Wanna One.');
    });

    it('answers an unknown artist privately', async () => {
      const reply = await command('releases', { artist: 'nobody at all' });
      expect(reply.ephemeral).toBe(true);
      expect(reply.content).toContain('I don\'t know an artist called “nobody at all”');
    });
  });
});
