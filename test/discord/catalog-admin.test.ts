import { describe, expect, it } from 'vitest';
import type { Artist, CatalogFile, Quote } from '../../src/catalog/schema.ts';
import { planCatalogChange } from '../../src/catalog/import-plan.ts';
import { UserError } from '../../src/errors.ts';
import {
  artistAddInput,
  artistPatch,
  inOptionTerms,
  parseLinks,
  quoteAddInput,
  quotePatch,
  releaseAddInput,
  releasePatch,
  splitLastItem,
  splitList,
  touchedOptions,
  type OptionReader,
} from '../../src/discord/catalog-admin-options.ts';
import { confirmButtonId, downloadAttachment, fileDigest, parseConfirmButtonId } from '../../src/discord/catalog-admin-import.ts';
import { artistListChoices, previewedFile, quoteChoices, releaseChoices, timeZoneChoices } from '../../src/discord/catalog-admin-views.ts';

/** Options as discord.js hands them over: absent ones read as null. */
function options(values: Record<string, string | boolean>): OptionReader {
  return {
    getString: (name) => {
      const value = values[name];
      return typeof value === 'string' ? value : null;
    },
    getBoolean: (name) => {
      const value = values[name];
      return typeof value === 'boolean' ? value : null;
    },
  };
}

const refusal = (work: () => unknown): string => {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('not refused');
};

const jimin: Artist = {
  id: 'jimin',
  name: 'Jimin',
  nativeNames: ['지민'],
  aliases: [],
  kind: 'member',
  memberships: [{ groupId: 'bts', position: 'Vocalist', current: true }],
  birthday: '1995-10-13',
  links: [],
};

describe('lists and links typed in one option', () => {
  it('splits a comma-separated list, dropping blanks', () => {
    expect(splitList(' Park Jimin ,, Jiminie, ')).toEqual(['Park Jimin', 'Jiminie']);
  });

  it('reads "Label https://…, Label https://…", labels with spaces, and commas inside an address', () => {
    expect(parseLinks('Melon https://melon.com/a?x=1,2, YouTube MV: https://youtu.be/abc')).toEqual([
      { label: 'Melon', url: 'https://melon.com/a?x=1,2' },
      { label: 'YouTube MV', url: 'https://youtu.be/abc' },
    ]);
    expect(parseLinks('Weverse https://weverse.io/bts')).toEqual([{ label: 'Weverse', url: 'https://weverse.io/bts' }]);
  });

  it('refuses an address without a label, a label without an address, and no address at all', () => {
    expect(refusal(() => parseLinks('https://x.com/bts'))).toMatch(/^links: put a label before https:\/\/x\.com\/bts/);
    expect(refusal(() => parseLinks('X https://x.com/bts, Spotify'))).toMatch(/^links: "Spotify" has no address after it/);
    expect(refusal(() => parseLinks('just words'))).toMatch(/^links: .*"Label https:\/\/…/);
  });
});

describe('artist options', () => {
  it('builds an add input, leaving out what was not given', () => {
    const input = artistAddInput(
      options({
        id: ' iu ',
        name: 'IU',
        kind: 'soloist',
        hangul: '아이유, 이지은',
        aliases: 'Lee Ji-eun',
        birthday: '1993-05-16',
        links: 'Instagram https://instagram.com/dlwlrma',
        description: '-',
      }),
      {},
    );
    expect(input).toEqual({
      id: 'iu',
      name: 'IU',
      kind: 'soloist',
      nativeNames: ['아이유', '이지은'],
      aliases: ['Lee Ji-eun'],
      birthday: '1993-05-16',
      links: [{ label: 'Instagram', url: 'https://instagram.com/dlwlrma' }],
    });
  });

  it('puts a group with its position and stage name into one membership', () => {
    const input = artistAddInput(options({ id: 'v', name: 'V', kind: 'member', position: 'Vocalist', 'group-stage-name': 'V', former: false }), { group: 'bts' });
    expect(input.memberships).toEqual([{ groupId: 'bts', position: 'Vocalist', stageName: 'V', current: true }]);
    expect(refusal(() => artistAddInput(options({ id: 'v', name: 'V', kind: 'member', position: 'Vocalist' }), {}))).toMatch(/^position: also give the group/);
  });

  it('patches only what was given; "-" clears a field', () => {
    expect(artistPatch(options({ agency: 'BIGHIT MUSIC', birthday: '-', aliases: 'Park Jimin, Chim' }), jimin, {})).toEqual({
      agency: 'BIGHIT MUSIC',
      birthday: null,
      aliases: ['Park Jimin', 'Chim'],
    });
    expect(artistPatch(options({}), jimin, {})).toEqual({});
  });

  it('updates the only membership without naming the group, adds another group, or clears them all', () => {
    expect(artistPatch(options({ former: true }), jimin, {}).memberships).toEqual([{ groupId: 'bts', position: 'Vocalist', current: false }]);
    expect(artistPatch(options({ position: '-' }), jimin, {}).memberships).toEqual([{ groupId: 'bts', current: true }]);
    expect(artistPatch(options({ position: 'Main dancer' }), jimin, { group: 'bts-unit' }).memberships).toEqual([
      jimin.memberships[0],
      { groupId: 'bts-unit', position: 'Main dancer', current: true },
    ]);
    expect(artistPatch(options({}), jimin, { group: '-' })).toEqual({ memberships: null });
  });

  it('asks which group when membership details are ambiguous', () => {
    const soloist = { ...jimin, memberships: [] };
    expect(refusal(() => artistPatch(options({ position: 'Leader' }), soloist, {}))).toMatch(/^position: Jimin is in no group yet; say which group/);
    const twice = { ...jimin, memberships: [...jimin.memberships, { groupId: 'unit', current: true }] };
    expect(refusal(() => artistPatch(options({ former: true }), twice, {}))).toMatch(/^former: Jimin is in several groups \(bts, unit\)/);
  });
});

describe('quote and release options', () => {
  const quote: Quote = { id: 'q', artistId: 'jimin', text: 'Hi', source: { title: 'A post', url: 'https://e.com/a' } };

  it('builds a quote with its source, and patches one half of the source', () => {
    expect(quoteAddInput(options({ id: 'q2', text: ' Hello ', 'source-title': 'Live', 'source-url': 'https://e.com/live', date: '2022-04-20' }), { artist: 'jimin' })).toEqual({
      id: 'q2',
      artistId: 'jimin',
      text: 'Hello',
      source: { title: 'Live', url: 'https://e.com/live' },
      date: '2022-04-20',
    });
    expect(quotePatch(options({ 'source-url': 'https://e.com/b', date: '-' }), quote, {})).toEqual({
      source: { title: 'A post', url: 'https://e.com/b' },
      date: null,
    });
  });

  it('builds a release, and a patch that moves it or clears its time', () => {
    expect(
      releaseAddInput(options({ id: 'r', title: 'Song', type: 'single', date: '2030-01-01', time: '18:00', timezone: 'Asia/Tokyo', 'related-work': 'Drama' }), {
        artists: ['jimin', 'bts'],
      }),
    ).toEqual({ id: 'r', title: 'Song', type: 'single', date: '2030-01-01', time: '18:00', timeZone: 'Asia/Tokyo', relatedWork: 'Drama', artistIds: ['jimin', 'bts'] });
    const patch = releasePatch(options({ date: '2030-02-01', time: '-' }), {});
    expect(patch).toEqual({ date: '2030-02-01', time: null });
    expect(touchedOptions({ ...patch, artistIds: ['x'], relatedWork: 'y', timeZone: 'UTC' })).toEqual(['date', 'time', 'artists', 'related-work', 'timezone']);
  });
});

describe("the service's messages in the options' words", () => {
  it('renames field paths to option names, saying which item of a list', () => {
    expect(inOptionTerms('memberships[0].groupId: "iu" is a soloist; memberships point at a group or a unit')).toBe(
      'group: "iu" is a soloist; memberships point at a group or a unit',
    );
    expect(inOptionTerms('birthday: that date does not exist\nnativeNames[1]: too long: at most 100 characters')).toBe(
      'birthday: that date does not exist\nhangul (2nd item): too long: at most 100 characters',
    );
    expect(inOptionTerms('source.url: must be an http(s) link')).toBe('source-url: must be an http(s) link');
    expect(inOptionTerms('artistIds[0]: no artist has the id "x"')).toBe('artists (1st item): no artist has the id "x"');
    expect(inOptionTerms('links[3].url: must be an http(s) link')).toBe('links (4th item): must be an http(s) link');
    expect(inOptionTerms('that would break the release "with-you": artistIds[0]: …')).toBe('that would break the release "with-you": artistIds[0]: …');
  });
});

describe('autocomplete choices', () => {
  const catalog: CatalogFile = {
    version: 1,
    artists: [jimin, { ...jimin, id: 'ha-sung-woon', name: 'Ha Sung Woon', memberships: [] }],
    quotes: [
      { id: 'q-friend', artistId: 'ha-sung-woon', text: 'He is the friend who I love the most.', source: { title: 't', url: 'https://e.com' } },
      { id: 'q-long', artistId: 'jimin', text: 'x'.repeat(300), source: { title: 't', url: 'https://e.com' } },
    ],
    releases: [
      { id: 'old', artistIds: ['jimin'], title: 'Old Song', type: 'single', date: '2020-01-01', timeZone: 'Asia/Seoul', links: [] },
      { id: 'older', artistIds: ['jimin'], title: 'Older Song', type: 'single', date: '2019-01-01', timeZone: 'Asia/Seoul', links: [] },
      { id: 'soon', artistIds: ['jimin', 'ha-sung-woon'], title: 'Soon', type: 'ost', date: '2030-01-01', timeZone: 'Asia/Seoul', links: [] },
    ],
  };

  it('finds quotes by text or artist, within Discord\'s 100 characters', () => {
    expect(quoteChoices(catalog, 'ha sung').map((c) => c.value)).toEqual(['q-friend']);
    const all = quoteChoices(catalog, '');
    expect(all).toHaveLength(2);
    for (const choice of all) expect(choice.name.length).toBeLessThanOrEqual(100);
  });

  it('lists releases coming ones first, then the latest past ones', () => {
    const now = Date.UTC(2025, 0, 1);
    expect(releaseChoices(catalog, '', now).map((c) => c.value)).toEqual(['soon', 'old', 'older']);
    expect(releaseChoices(catalog, 'song', now).map((c) => c.value)).toEqual(['old', 'older']);
    expect(releaseChoices(catalog, 'ha sung', now)[0]).toEqual({ name: 'Soon — Jimin, Ha Sung Woon (2030-01-01)', value: 'soon' });
  });

  it('completes the last item of a comma-separated artist list', async () => {
    expect(splitLastItem('jimin, ha sung')).toEqual({ done: ['jimin'], typing: 'ha sung' });
    const complete = async (query: string) => (query.startsWith('ha') ? [{ name: 'Ha Sung Woon', value: 'ha-sung-woon' }] : [{ name: 'Jimin — BTS', value: 'jimin' }]);
    expect(await artistListChoices('jimin, ha', complete)).toEqual([{ name: 'jimin, Ha Sung Woon', value: 'jimin, ha-sung-woon' }]);
    expect(await artistListChoices('jimin, ji', complete)).toEqual([]);
  });

  it('suggests time zones by prefix, then by any part', () => {
    expect(timeZoneChoices('asia/seo')[0]).toEqual({ name: 'Asia/Seoul', value: 'Asia/Seoul' });
    expect(timeZoneChoices('new york').map((c) => c.value)).toContain('America/New_York');
    expect(timeZoneChoices('')).toHaveLength(25);
  });
});

describe('import steps', () => {
  it('puts the revision and the file digest in the confirm button, within 100 characters', () => {
    const empty: CatalogFile = { version: 1, artists: [], quotes: [], releases: [] };
    const plan = planCatalogChange(empty, empty, '0f8fad5b-d9cb-469f-a165-70867728950e');
    const id = confirmButtonId(plan, fileDigest('{}'));
    expect(id.length).toBeLessThanOrEqual(100);
    expect(parseConfirmButtonId(id)).toEqual({ revision: plan.baseRevision, digest: fileDigest('{}') });
    expect(parseConfirmButtonId('catalog:import-confirm:only-one')).toBeUndefined();
    expect(parseConfirmButtonId('catalog:import-cancel')).toBeUndefined();
  });

  it('finds the previewed file from the preview embed', () => {
    expect(previewedFile([{ url: 'http://127.0.0.1:1/attachments/1/2/my%20catalog.json' }])).toEqual({
      url: 'http://127.0.0.1:1/attachments/1/2/my%20catalog.json',
      name: 'my catalog.json',
      size: 0,
    });
    expect(previewedFile([])).toBeUndefined();
  });

  it('refuses an oversized attachment before downloading it, and one that turns out larger while downloading', async () => {
    let fetched = 0;
    const fetchStub = (async () => {
      fetched += 1;
      return new Response('x'.repeat(2000));
    }) as typeof fetch;
    await expect(downloadAttachment({ url: 'https://cdn.example/a.json', name: 'a.json', size: 5000 }, { maxBytes: 1000, fetch: fetchStub })).rejects.toThrow(
      /^That file is 5 KB; a catalog file may be at most 1000 bytes\.\nNothing was imported/,
    );
    expect(fetched).toBe(0);
    await expect(downloadAttachment({ url: 'https://cdn.example/a.json', name: 'a.json', size: 10 }, { maxBytes: 1000, fetch: fetchStub })).rejects.toThrow(
      /^That file is over 1000 bytes/,
    );
  });

  it('refuses a failed download and text that is not UTF-8', async () => {
    const status = (async () => new Response('gone', { status: 404 })) as typeof fetch;
    await expect(downloadAttachment({ url: 'https://cdn.example/a.json', name: 'a.json', size: 4 }, { fetch: status })).rejects.toThrow(/HTTP 404/);
    const latin1 = (async () => new Response(new Uint8Array([0x7b, 0xe9, 0x7d]))) as typeof fetch;
    await expect(downloadAttachment({ url: 'https://cdn.example/a.json', name: 'a.json', size: 3 }, { fetch: latin1 })).rejects.toThrow(/not UTF-8/);
    const ok = (async () => new Response('{"version":1}')) as typeof fetch;
    expect(await downloadAttachment({ url: 'https://cdn.example/a.json', name: 'a.json', size: 13 }, { fetch: ok })).toBe('{"version":1}');
  });
});
