import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.ts';
import { CatalogRepository } from '../../src/store/catalog.ts';
import { Catalog } from '../../src/catalog/catalog-service.ts';
import { UserError } from '../../src/errors.ts';
import { sqliteUrl } from '../helpers/stores.ts';

const GUILD = '111111111111111111';
const quoteInput = { id: 'q-new', artistId: 'jimin', text: 'Hello.', source: { title: 'A post', url: 'https://example.com/post' } };
const releaseInput = { id: 'r-new', artistIds: ['bts'], title: 'New Song', type: 'single' as const, date: '2030-01-01' };

describe('catalog editing', () => {
  let store: Store;
  let repo: CatalogRepository;
  let catalog: Catalog;

  beforeEach(async () => {
    store = await openStore(sqliteUrl());
    repo = new CatalogRepository(store.kv);
    catalog = new Catalog(repo);
  });

  afterEach(async () => {
    await store.close();
  });

  const snapshot = async () => JSON.stringify(await repo.document(GUILD));

  /** The edit is refused with a message matching `message`, and the stored catalog is byte for byte what it was. */
  const refused = async (edit: () => Promise<unknown>, message: RegExp | string) => {
    const before = await snapshot();
    const error = await edit().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(message);
    expect(await snapshot()).toBe(before);
  };

  it('adds an artist on top of the starter pack, and autocomplete sees it', async () => {
    expect(await catalog.autocomplete(GUILD, 'iu')).toEqual([]);
    const added = await catalog.addArtist(GUILD, { id: 'iu', name: 'IU', nativeNames: ['아이유'], kind: 'soloist', birthday: '1993-05-16' });
    expect(added).toMatchObject({ id: 'iu', aliases: [], links: [] });
    const ids = (await catalog.load(GUILD)).artists.map((a) => a.id);
    expect(ids).toEqual(['bts', 'jimin', 'hotshot', 'wanna-one', 'ha-sung-woon', 'iu']);
    expect(await catalog.autocomplete(GUILD, '아이유')).toEqual([{ name: 'IU (아이유)', value: 'iu' }]);
    expect(await repo.guildIds()).toEqual([GUILD]);
  });

  describe('refuses, writing nothing,', () => {
    it('a date that does not exist', async () => {
      await refused(() => catalog.addArtist(GUILD, { id: 'iu', name: 'IU', kind: 'soloist', birthday: '1993-02-30' }), /^birthday: that date does not exist$/);
      await refused(() => catalog.addRelease(GUILD, { ...releaseInput, date: '2030-13-01' }), /^date: that date does not exist$/);
      await refused(() => catalog.addRelease(GUILD, { ...releaseInput, date: '01/02/2030' }), /^date: write dates as YYYY-MM-DD$/);
      await refused(() => catalog.addRelease(GUILD, { ...releaseInput, time: '25:00' }), /^time: write times as HH:MM/);
      expect(await repo.guildIds()).toEqual([]);
    });

    it('an unknown artist in a quote, a release or a membership', async () => {
      await refused(() => catalog.addQuote(GUILD, { ...quoteInput, artistId: 'nobody' }), /^artistId: no artist has the id "nobody"; add that artist first$/);
      await refused(() => catalog.addRelease(GUILD, { ...releaseInput, artistIds: ['bts', 'nobody'] }), /^artistIds\[1\]: no artist has the id "nobody"/);
      await refused(
        () => catalog.addArtist(GUILD, { id: 'v', name: 'V', kind: 'member', memberships: [{ groupId: 'bts' }, { groupId: 'nobody' }] }),
        /^memberships\[1\]\.groupId: no artist has the id "nobody"/,
      );
      await refused(
        () => catalog.addArtist(GUILD, { id: 'v', name: 'V', kind: 'member', memberships: [{ groupId: 'jimin' }] }),
        /^memberships\[0\]\.groupId: "jimin" is a member; memberships point at a group or a unit$/,
      );
    });

    it('a duplicate id', async () => {
      await refused(() => catalog.addArtist(GUILD, { id: 'jimin', name: 'Jimin', kind: 'member' }), /^id: there is already an artist with the id "jimin"/);
      await refused(() => catalog.addQuote(GUILD, { ...quoteInput, id: 'ha-sung-woon-long-story' }), /^id: there is already a quote with the id/);
      await refused(() => catalog.addRelease(GUILD, { ...releaseInput, id: 'with-you' }), /^id: there is already a release with the id "with-you"/);
    });

    it('an over-long or empty field, a bad id, a bad link, listing every problem', async () => {
      await refused(() => catalog.addArtist(GUILD, { id: 'iu', name: 'I'.repeat(101), kind: 'soloist' }), /^name: too long: at most 100 characters$/);
      await refused(() => catalog.addQuote(GUILD, { ...quoteInput, text: '   ' }), /^text: must not be empty$/);
      await refused(
        () => catalog.addArtist(GUILD, { id: 'Bad Id', name: 'X', kind: 'idol' as 'member', links: [{ label: 'Site', url: 'ftp://x' }] }),
        /^id: use lowercase letters.*\nkind: must be one of: group, soloist, member, unit\nlinks\[0\]\.url: must be an http\(s\) link$/,
      );
      await refused(() => catalog.addRelease(GUILD, { ...releaseInput, artistIds: [] }), /^artistIds: needs at least 1 entry$/);
    });

    it('an edit of something that is not there, or of an id', async () => {
      await refused(() => catalog.editArtist(GUILD, 'nobody', { name: 'X' }), /^There is no artist with the id "nobody"\.$/);
      await refused(() => catalog.removeQuote(GUILD, 'nope'), /^There is no quote with the id "nope"\.$/);
      await refused(() => catalog.editArtist(GUILD, 'jimin', { id: 'park-jimin' } as never), /^id: an id cannot be changed/);
    });

    it('an edit that would break another entry', async () => {
      await refused(
        () => catalog.editArtist(GUILD, 'bts', { kind: 'soloist' }),
        /^that would break the artist "jimin": memberships\[0\]\.groupId: "bts" is a soloist; memberships point at a group or a unit$/,
      );
    });

    it('removing an artist that quotes, releases or members still point at, naming them', async () => {
      await refused(
        () => catalog.removeArtist(GUILD, 'ha-sung-woon'),
        /^"ha-sung-woon" is still used by the quotes "ha-sung-woon-ost-since-july", .*, the release "with-you"\. Remove those/,
      );
      await refused(() => catalog.removeArtist(GUILD, 'bts'), /^"bts" is still used by the member "jimin"\./);
    });

    it('anything, also once the guild has a stored catalog', async () => {
      await catalog.addArtist(GUILD, { id: 'iu', name: 'IU', kind: 'soloist' });
      const revision = await repo.revision(GUILD);
      await refused(() => catalog.editArtist(GUILD, 'iu', { birthday: '1993-02-30' }), /^birthday: that date does not exist$/);
      expect(await repo.revision(GUILD)).toBe(revision);
    });
  });

  it('edits take partial input; null clears a field', async () => {
    const edited = await catalog.editArtist(GUILD, 'jimin', { agency: null, aliases: ['Park Jimin', 'Mochi'] });
    expect(edited.agency).toBeUndefined();
    expect(edited).toMatchObject({ name: 'Jimin', birthday: '1995-10-13', aliases: ['Park Jimin', 'Mochi'] });
    expect((await catalog.findArtist(GUILD, 'mochi'))?.id).toBe('jimin');

    const release = await catalog.editRelease(GUILD, 'with-you', { time: null });
    expect(release.time).toBeUndefined();
    const quote = await catalog.editQuote(GUILD, 'ha-sung-woon-emotional-song', { date: '2022-04-21' });
    expect(quote.date).toBe('2022-04-21');
  });

  it('removes once nothing points at the artist any more', async () => {
    for (const q of (await catalog.load(GUILD)).quotes) await catalog.removeQuote(GUILD, q.id);
    await catalog.removeRelease(GUILD, 'with-you');
    expect((await catalog.removeArtist(GUILD, 'ha-sung-woon')).id).toBe('ha-sung-woon');
    expect(await catalog.findArtist(GUILD, 'ha-sung-woon')).toBeUndefined();
    // Its groups lose nothing by it: memberships live on the member.
    expect((await catalog.load(GUILD)).artists.map((a) => a.id)).toEqual(['bts', 'jimin', 'hotshot', 'wanna-one']);
  });

  it('finds an artist by id or by any exact name, and explains a miss', async () => {
    expect((await catalog.findArtist(GUILD, 'ha-sung-woon'))?.name).toBe('Ha Sung Woon');
    expect((await catalog.findArtist(GUILD, 'HA SUNG-WOON'))?.id).toBe('ha-sung-woon');
    expect((await catalog.findArtist(GUILD, '방탄소년단'))?.id).toBe('bts');
    expect(await catalog.findArtist(GUILD, 'jim')).toBeUndefined();
    await expect(catalog.requireArtist(GUILD, 'jim')).rejects.toThrow(/No artist called "jim"/);
  });

  it('refuses a name two artists share equally, listing both; an id, or a name only one has, still finds one', async () => {
    await catalog.addArtist(GUILD, { id: 'aoa', name: 'AOA', kind: 'group' });
    await catalog.addArtist(GUILD, { id: 'jimin-aoa', name: 'Jimin', nativeNames: ['지민'], kind: 'member', memberships: [{ groupId: 'aoa' }] });
    const several = 'Several artists are called Jimin: Jimin — AOA (`jimin-aoa`), Jimin — BTS (`jimin`). Pick one from the list.';
    await expect(catalog.findArtist(GUILD, 'Jimin')).rejects.toThrow(new UserError(several));
    await expect(catalog.requireArtist(GUILD, ' Jimin ')).rejects.toThrow(several);
    await expect(catalog.findArtist(GUILD, '지민')).rejects.toThrow(/^Several artists are called 지민: Jimin — AOA/);
    expect((await catalog.findArtist(GUILD, 'jimin'))?.id).toBe('jimin');
    expect((await catalog.findArtist(GUILD, 'jimin-aoa'))?.id).toBe('jimin-aoa');
    expect((await catalog.findArtist(GUILD, 'Park Ji-min'))?.id).toBe('jimin');
  });

  it('lists members of a group and groups of a member', async () => {
    expect((await catalog.membersOf(GUILD, 'bts')).map((m) => m.artist.id)).toEqual(['jimin']);
    expect(await catalog.membersOf(GUILD, 'wanna-one')).toEqual([]);
    expect((await catalog.membersOf(GUILD, 'wanna-one', { former: true })).map((m) => m.artist.id)).toEqual(['ha-sung-woon']);
    expect((await catalog.groupsOf(GUILD, 'ha-sung-woon')).map((g) => [g.group.name, g.membership.current])).toEqual([
      ['HOTSHOT', false],
      ['Wanna One', false],
    ]);
  });
});
