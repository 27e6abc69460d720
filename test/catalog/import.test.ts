import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.ts';
import { CatalogRepository } from '../../src/store/catalog.ts';
import { Catalog } from '../../src/catalog/catalog-service.ts';
import { changesNothing, describePlan } from '../../src/catalog/import-plan.ts';
import { MAX_IMPORT_BYTES } from '../../src/catalog/limits.ts';
import { UserError } from '../../src/errors.ts';
import { sqliteUrl } from '../helpers/stores.ts';

const GUILD = '111111111111111111';

type Json = { version: unknown; artists: Record<string, unknown>[]; quotes: Record<string, unknown>[]; releases: Record<string, unknown>[] };

describe('catalog export and import', () => {
  let store: Store;
  let repo: CatalogRepository;
  let catalog: Catalog;

  beforeEach(async () => {
    store = await openStore(sqliteUrl());
    repo = new CatalogRepository(store.kv);
    catalog = new Catalog(repo);
    // A stored catalog, not the starter pack, so "unchanged" means the stored bytes.
    await catalog.addArtist(GUILD, { id: 'iu', name: 'IU', kind: 'soloist' });
  });

  afterEach(async () => {
    await store.close();
  });

  const exported = async (): Promise<Json> => JSON.parse(await catalog.exportCatalog(GUILD)) as Json;

  /** The import is refused before anything is written, and the stored catalog is byte-identical. */
  const refused = async (text: string, message: RegExp) => {
    const before = JSON.stringify(await repo.document(GUILD));
    const error = await catalog.planImport(GUILD, text).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(message);
    expect((error as UserError).message).toMatch(/Nothing was imported; the catalog is unchanged\.$/);
    expect(JSON.stringify(await repo.document(GUILD))).toBe(before);
  };

  it('exports pretty JSON with the format version first', async () => {
    const text = await catalog.exportCatalog(GUILD);
    expect(text.startsWith('{\n  "version": 1,\n  "artists": [')).toBe(true);
    expect((await exported()).artists.map((a) => a.id)).toContain('iu');
  });

  it('round-trips: importing the export plans no change', async () => {
    const plan = await catalog.planImport(GUILD, await catalog.exportCatalog(GUILD));
    expect(changesNothing(plan)).toBe(true);
    expect(describePlan(plan)).toMatch(/would change nothing/);
  });

  it('plans what a good file adds, changes and removes, then applies it all at once', async () => {
    const file = await exported();
    file.artists = file.artists.filter((a) => a.id !== 'iu');
    file.artists.push({ id: 'v', name: 'V', kind: 'member', memberships: [{ groupId: 'bts' }] });
    file.artists.find((a) => a.id === 'jimin')!.aliases = ['Park Jimin', 'Mochi'];
    // Key order is not a change.
    const bts = file.artists.find((a) => a.id === 'bts')!;
    file.artists[file.artists.indexOf(bts)] = Object.fromEntries(Object.entries(bts).reverse());
    file.quotes = file.quotes.slice(1);
    file.releases.push({ id: 'layover', artistIds: ['v'], title: 'Layover', type: 'album', date: '2023-09-08', time: '13:00' });

    const plan = await catalog.planImport(GUILD, JSON.stringify(file));
    expect(plan.artists).toEqual({ added: ['v'], changed: ['jimin'], removed: ['iu'] });
    expect(plan.quotes).toEqual({ added: [], changed: [], removed: ['ha-sung-woon-ost-since-july'] });
    expect(plan.releases).toEqual({ added: ['layover'], changed: [], removed: [] });
    expect(describePlan(plan)).toBe(
      [
        'Artists: 1 added (v), 1 changed (jimin), 1 removed (iu)',
        'Quotes: none added, none changed, 1 removed (ha-sung-woon-ost-since-july)',
        'Releases: 1 added (layover), none changed, none removed',
      ].join('\n'),
    );
    // Planning wrote nothing.
    expect((await catalog.load(GUILD)).artists.map((a) => a.id)).toContain('iu');

    await catalog.applyImport(GUILD, plan);
    const now = await catalog.load(GUILD);
    expect(now.artists.map((a) => a.id)).toEqual(['bts', 'jimin', 'hotshot', 'wanna-one', 'ha-sung-woon', 'v']);
    expect(now.releases.find((r) => r.id === 'layover')).toMatchObject({ timeZone: 'Asia/Seoul', links: [] });
    expect(await catalog.autocomplete(GUILD, 'mochi')).toEqual([{ name: 'Jimin (Mochi) — BTS', value: 'jimin' }]);
  });

  it('refuses to apply a plan when the catalog changed since it was made', async () => {
    const file = await exported();
    file.artists.push({ id: 'v', name: 'V', kind: 'member' });
    const plan = await catalog.planImport(GUILD, JSON.stringify(file));
    await catalog.addArtist(GUILD, { id: 'suga', name: 'SUGA', kind: 'member' });
    const before = JSON.stringify(await repo.document(GUILD));
    await expect(catalog.applyImport(GUILD, plan)).rejects.toThrow(/changed while this import waited/);
    expect(JSON.stringify(await repo.document(GUILD))).toBe(before);
  });

  it('accepts a file saved with a byte-order mark', async () => {
    const plan = await catalog.planImport(GUILD, `\uFEFF${await catalog.exportCatalog(GUILD)}`);
    expect(changesNothing(plan)).toBe(true);
  });

  it('reads a null field as one left out', async () => {
    const file = await exported();
    // Fields these entries do not have: written as null, they change nothing.
    Object.assign(file.artists.find((a) => a.id === 'ha-sung-woon')!, { agency: null, fandom: null, image: null, links: null });
    Object.assign(file.quotes.find((q) => q.id === 'ha-sung-woon-collab-decided')!, { date: null });
    // A field it has, written as null, is cleared.
    Object.assign(file.releases[0]!, { time: null, links: null });
    const plan = await catalog.planImport(GUILD, JSON.stringify(file));
    expect(plan.artists.changed).toEqual([]);
    expect(plan.quotes.changed).toEqual([]);
    expect(plan.releases.changed).toEqual(['with-you']);
    expect(plan.catalog.releases[0]).not.toHaveProperty('time');
    expect(plan.catalog.releases[0]!.links).toEqual([]);
  });

  it('stores time zones as Intl spells them, and takes KST and JST', async () => {
    const file = await exported();
    file.releases[0]!.timeZone = 'asia/seoul';
    expect(changesNothing(await catalog.planImport(GUILD, JSON.stringify(file)))).toBe(true);
    file.releases[0]!.timeZone = 'KST';
    expect(changesNothing(await catalog.planImport(GUILD, JSON.stringify(file)))).toBe(true);
    file.releases[0]!.timeZone = 'JST';
    expect((await catalog.planImport(GUILD, JSON.stringify(file))).catalog.releases[0]!.timeZone).toBe('Asia/Tokyo');
  });

  describe('refuses a broken file, saying what is wrong and changing nothing:', () => {
    it('bad JSON, with the line and column', async () => {
      const text = (await catalog.exportCatalog(GUILD)).replace('"name": "Jimin",', '"name": "Jimin"');
      const line = text.split('\n').findIndex((l) => l.includes('"name": "Jimin"')) + 2;
      await refused(text, new RegExp(`^That file is not valid JSON: expected ',' or '}' after property value at line ${line}, column \\d+ \\(near \`.*\`\\)\\.`));
      await refused('{"version": 1, "artists": [tru]}', /not valid JSON: unexpected token .* at line 1, column 28/);
      await refused('', /not valid JSON: unexpected end of JSON input/);
    });

    it('not a catalog at all', async () => {
      await refused('[1, 2, 3]', /^That file is not a catalog/);
    });

    it('a wrong or missing version', async () => {
      const file = await exported();
      await refused(JSON.stringify({ ...file, version: 2 }), /^version: this file is format 2, and this bot reads format 1\./);
      await refused(JSON.stringify({ ...file, version: undefined }), /^version: missing/);
      await refused(JSON.stringify({ ...file, version: '1' }), /^version: must be the number 1, written without quotes: "version": 1\.\n/);
    });

    it('a schema error, located by its path, at most ten listed', async () => {
      const file = await exported();
      file.artists[1]!.birthday = '1995-02-30';
      file.releases[0]!.type = 'mixtape';
      await refused(
        JSON.stringify(file),
        /^That file has problems:\nartists\[1\]\.birthday: that date does not exist\nreleases\[0\]\.type: must be one of: album, .*\n/,
      );
      const many = await exported();
      many.quotes = Array.from({ length: 14 }, (_, i) => ({ id: `q${i}`, artistId: 'iu', text: '', source: { title: 't', url: 'https://e.com' } }));
      const error = (await catalog.planImport(GUILD, JSON.stringify(many)).then(
        () => new Error('imported'),
        (thrown: unknown) => thrown,
      )) as Error;
      expect(error.message.split('\n').filter((l) => l.startsWith('quotes['))).toHaveLength(10);
      expect(error.message).toMatch(/…and 4 more problems\./);
    });

    it('a misspelt or unknown field, by name, instead of dropping it', async () => {
      const file = await exported();
      file.artists[1]!.birthdate = '1995-10-13';
      file.artists[1]!.memberships = [{ groupId: 'bts', curent: false }];
      (file.quotes[0]!.source as Record<string, unknown>).link = 'https://e.com';
      file.releases[0]!.links = [{ label: 'MV', url: 'https://e.com/mv', title: 'x' }];
      file.releases[0]!.date_ = '2022-04-25';
      await refused(
        JSON.stringify({ ...file, settings: {}, notes: 'x' }),
        new RegExp(
          [
            '^That file has problems:',
            'artists\\[1\\]\\.memberships\\[0\\]: unknown field "curent"',
            'artists\\[1\\]: unknown field "birthdate"',
            'quotes\\[0\\]\\.source: unknown field "link"',
            'releases\\[0\\]\\.links\\[0\\]: unknown field "title"',
            'releases\\[0\\]: unknown field "date_"',
            'unknown fields "settings", "notes"\n',
          ].join('\n'),
        ),
      );
    });

    it('a null where a value is required, as missing', async () => {
      const file = await exported();
      file.artists[0]!.name = null;
      file.artists[1]!.aliases = ['Park Jimin', null];
      await refused(JSON.stringify(file), /^That file has problems:\nartists\[0\]\.name: required\nartists\[1\]\.aliases\[1\]: should be a string, not null\n/);
    });

    it('an abbreviated time zone', async () => {
      const file = await exported();
      file.releases[0]!.timeZone = 'EST';
      await refused(JSON.stringify(file), /^That file has problems:\nreleases\[0\]\.timeZone: "EST" is an abbreviation or an alias, not a zone name; use a zone name like America\/New_York/);
    });

    it('an unknown reference', async () => {
      const file = await exported();
      file.quotes[0]!.artistId = 'nobody';
      file.artists.find((a) => a.id === 'jimin')!.memberships = [{ groupId: 'bangtan' }];
      await refused(JSON.stringify(file), /artists\[1\]\.memberships\[0\]\.groupId: no artist has the id "bangtan".*\nquotes\[0\]\.artistId: no artist has the id "nobody"/s);
    });

    it('a duplicate id', async () => {
      const file = await exported();
      file.artists.push({ ...file.artists[0]!, name: 'BTS again' });
      await refused(JSON.stringify(file), /artists\[6\]\.id: another artist already has the id "bts"/);
    });

    it('an oversized file, before reading it', async () => {
      const file = await exported();
      const padded = JSON.stringify(file).replace('{', `{${' '.repeat(MAX_IMPORT_BYTES)}`);
      await refused(padded, /^That file is 4\.1 MB; a catalog file may be at most 4\.0 MB\./);
    });

    it('a catalog that would be too large to store', async () => {
      const file = await exported();
      file.artists.push(
        ...Array.from({ length: 2300 }, (_, i) => ({ id: `solo-${i}`, name: `Solo ${i}`, kind: 'soloist', description: 'x'.repeat(1000) })),
      );
      await refused(JSON.stringify(file), /the catalog would take 2\.\d MB; a server's catalog may take at most 2\.0 MB/);
    });
  });
});
