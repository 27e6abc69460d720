import { describe, expect, it } from 'vitest';
import type { APIButtonComponent, APIEmbed } from 'discord.js';
import type { GroupMember, MemberOf } from '../../src/catalog/lookup.ts';
import type { Artist, Quote, Release } from '../../src/catalog/schema.ts';
import {
  ageOn,
  artistProfileEmbed,
  birthdayText,
  embedLength,
  fitEmbed,
  fitList,
  markdownLink,
  parseReleasesButton,
  quoteEmbed,
  releaseLine,
  releaseWhen,
  releasesButtonId,
  releasesPage,
  RELEASES_PER_PAGE,
  type ArtistProfile,
  type ReleasesPage,
} from '../../src/discord/catalog-views.ts';
import { DISCORD_LIMITS } from '../../src/discord/limits.ts';

const artist = (over: Partial<Artist> & Pick<Artist, 'id' | 'name'>): Artist => ({
  kind: 'soloist',
  nativeNames: [],
  aliases: [],
  memberships: [],
  links: [],
  ...over,
});

const release = (over: Partial<Release> & Pick<Release, 'id'>): Release => ({
  artistIds: ['jimin', 'ha-sung-woon'],
  title: 'With You',
  type: 'ost',
  date: '2022-04-24',
  time: '23:00',
  timeZone: 'Asia/Seoul',
  relatedWork: 'Our Blues',
  links: [],
  ...over,
});

const names: Record<string, string> = { jimin: 'Jimin', 'ha-sung-woon': 'Ha Sung Woon' };
const nameOf = (id: string) => names[id] ?? id;

const LINK = /\[(?:\\.|[^\\\]])*\]\([^)\s]*\)/g;
const STAMP = /<t:\d+:[FRD]>/g;

/** Every limit Discord checks, and nothing cut in the middle of a link or a timestamp. */
function expectWithinLimits(embed: APIEmbed): void {
  expect(embed.title?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.title);
  expect(embed.description?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.description);
  expect(embed.footer?.text.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.footerText);
  expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
  for (const field of embed.fields ?? []) {
    expect(field.name.length).toBeGreaterThan(0);
    expect(field.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
    expect(field.value.trim().length).toBeGreaterThan(0);
    expect(field.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
  }
  expect(embedLength(embed)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
  for (const text of [embed.title, embed.description, ...(embed.fields ?? []).map((f) => f.value)]) {
    const rest = (text ?? '').replace(LINK, '').replace(STAMP, '');
    expect(rest).not.toContain('](');
    expect(rest).not.toContain('http');
    expect(rest).not.toContain('<t:');
    // No dangling escape: a cut never separates a backslash from what it escapes.
    expect(rest).not.toMatch(/(^|[^\\])(\\\\)*\\(…|$)/);
  }
}

describe('ages and dates', () => {
  it('counts an age on the calendar day, not by 365-day years', () => {
    expect(ageOn('1995-10-13', '2022-10-12')).toBe(26);
    expect(ageOn('1995-10-13', '2022-10-13')).toBe(27);
    expect(ageOn('1995-10-13', '2022-12-31')).toBe(27);
  });

  it('counts a 29 February birthday on 28 February in other years, as the birthday posts do', () => {
    expect(ageOn('2000-02-29', '2021-02-27')).toBe(20);
    expect(ageOn('2000-02-29', '2021-02-28')).toBe(21);
    expect(ageOn('2000-02-29', '2024-02-28')).toBe(23);
    expect(ageOn('2000-02-29', '2024-02-29')).toBe(24);
  });

  it('shows no age for a placeholder year or a birthday ahead of the clock', () => {
    expect(ageOn('0000-10-13', '2022-04-20')).toBeUndefined();
    expect(ageOn('2030-01-01', '2022-04-20')).toBeUndefined();
    expect(birthdayText('0000-10-13', '2022-04-20')).toBe('13 October');
  });

  it('writes the birthday with the age, and marks the day itself', () => {
    expect(birthdayText('1995-10-13', '2022-04-20')).toBe('13 October 1995 (age 26)');
    expect(birthdayText('1995-10-13', '2022-10-13')).toBe('13 October 1995 (turns 27 today 🎂)');
  });
});

describe('release lines', () => {
  it('gives a known time as timestamps each member reads in their own zone', () => {
    expect(releaseLine(release({ id: 'with-you' }), nameOf)).toBe(
      '**With You** — Jimin & Ha Sung Woon · OST for Our Blues · <t:1650808800:F> (<t:1650808800:R>)',
    );
  });

  it('keeps a date without a time as a calendar date in the release zone, not a timestamp that shifts a day', () => {
    expect(releaseWhen(release({ id: 'tba', time: undefined }))).toBe('24 April 2022 (Asia/Seoul date; time not announced)');
  });

  it('escapes catalog text, so a title cannot form a link or formatting', () => {
    const line = releaseLine(release({ id: 'x', title: '[Click](https://evil.example) *now*', relatedWork: undefined, type: 'album' }), nameOf);
    expect(line).toContain('**\\[Click\\](https://evil.example) \\*now\\***');
    expect(line).toContain(' · Album · ');
  });

  it('fits a line of maximum-length parts in its budget, keeping the timestamps whole', () => {
    const long = release({
      id: 'long',
      title: 'T'.repeat(200),
      artistIds: Array.from({ length: 20 }, (_, i) => `a${i}`),
      relatedWork: 'W'.repeat(200),
    });
    const line = releaseLine(long, () => 'N'.repeat(100), 400);
    expect(line.length).toBeLessThanOrEqual(400);
    expect(line).toContain('(<t:1650808800:R>)');
  });
});

describe('fitList', () => {
  it('keeps whole items and says how many more there are', () => {
    expect(fitList(['aaa', 'bbb', 'ccc'], 100)).toBe('aaa\nbbb\nccc');
    const fitted = fitList(Array.from({ length: 50 }, (_, i) => `item number ${i}`), 100);
    expect(fitted.length).toBeLessThanOrEqual(100);
    expect(fitted).toMatch(/\n…and \d+ more$/);
    expect(fitted.split('\n').slice(0, -1).every((line) => /^item number \d+$/.test(line))).toBe(true);
  });

  it('cuts a first item too long to fit alone', () => {
    expect(fitList(['x'.repeat(300)], 100).length).toBeLessThanOrEqual(100);
    expect(fitList(['x'.repeat(300), 'y'], 100)).toMatch(/…\n…and 1 more$/);
  });
});

describe('markdownLink', () => {
  it('escapes the label and keeps parentheses in the address from ending the link', () => {
    expect(markdownLink('A [b]', 'https://en.wikipedia.org/wiki/BTS_(band)')).toBe('[A \\[b\\]](https://en.wikipedia.org/wiki/BTS_%28band%29)');
  });
});

describe('/artist profile embed', () => {
  const jimin = artist({
    id: 'jimin',
    name: 'Jimin',
    nativeNames: ['지민'],
    birthName: 'Park Ji-min',
    kind: 'member',
    memberships: [{ groupId: 'bts', position: 'Vocalist, dancer', current: true }],
    birthday: '1995-10-13',
    image: 'https://example.com/jimin.jpg',
  });
  const bts = artist({ id: 'bts', name: 'BTS', kind: 'group' });

  it('shows names, group, birthday with age, next release and a quote', () => {
    const embed = artistProfileEmbed({
      artist: jimin,
      groups: [{ group: bts, membership: jimin.memberships[0]! }],
      members: [],
      nextRelease: release({ id: 'with-you' }),
      quote: { id: 'q', artistId: 'ha-sung-woon', text: 'He has a lot of jeong.', source: { title: 'Koreaboo', url: 'https://example.com/a' } },
      nameOf,
      today: '2022-04-20',
    });
    expect(embed.title).toBe('Jimin (지민)');
    expect(embed.thumbnail).toEqual({ url: 'https://example.com/jimin.jpg' });
    expect(embed.fields).toEqual([
      { name: 'Also known as', value: 'Park Ji-min (birth name)', inline: false },
      { name: 'Group', value: '**BTS** · Vocalist, dancer', inline: false },
      { name: 'Birthday', value: '13 October 1995 (age 26)', inline: true },
      { name: 'Next release', value: '**With You** — Jimin & Ha Sung Woon · OST for Our Blues · <t:1650808800:F> (<t:1650808800:R>)', inline: false },
      { name: 'Quote', value: '> He has a lot of jeong.\n— **Ha Sung Woon**, [Koreaboo](https://example.com/a)', inline: false },
    ]);
    expectWithinLimits(embed);
  });

  it('stays within every embed limit when every field is as long as the schema allows', () => {
    const text = (n: number, seed = 'a*') => seed.repeat(Math.ceil(n / seed.length)).slice(0, n);
    const url = (n: number) => `https://example.com/${'(x)'.repeat(200)}`.slice(0, n);
    const big = artist({
      id: 'big',
      name: text(100),
      nativeNames: Array.from({ length: 10 }, () => '방'.repeat(100)),
      birthName: text(100),
      aliases: Array.from({ length: 30 }, (_, i) => `${i}${text(99, '[_')}`),
      kind: 'group',
      birthday: '1995-10-13',
      debut: '2013-06-13',
      agency: text(100),
      fandom: text(100),
      links: Array.from({ length: 10 }, (_, i) => ({ label: `${i}${text(31, ']')}`, url: url(512) })),
      image: url(512),
      description: text(1000, '<@'),
    });
    const groups: MemberOf[] = Array.from({ length: 20 }, (_, i) => ({
      group: artist({ id: `g${i}`, name: text(100, '`') }),
      membership: { groupId: `g${i}`, position: text(100), stageName: text(100), current: i % 2 === 0 },
    }));
    const members: GroupMember[] = Array.from({ length: 300 }, (_, i) => ({
      artist: artist({ id: `m${i}`, name: text(100, '~') }),
      membership: { groupId: 'big', position: text(100), current: i % 3 !== 0 },
    }));
    const quote: Quote = { id: 'q', artistId: 'big', text: text(1000, '>\n'), source: { title: text(200, ']('), url: url(512) }, date: '2022-04-20' };
    const profile: ArtistProfile = {
      artist: big,
      groups,
      members,
      nextRelease: release({ id: 'r', title: text(200), artistIds: Array.from({ length: 20 }, (_, i) => `m${i}`), relatedWork: text(200) }),
      quote,
      nameOf: () => text(100, '|'),
      today: '2022-04-20',
    };
    const embed = artistProfileEmbed(profile);
    expectWithinLimits(embed);
    // The total forced something to give way, but every field is still there.
    expect(embed.fields?.map((f) => f.name.replace(/ \(\d+\)$/, ''))).toEqual([
      'Also known as',
      'Groups',
      'Members',
      'Former members',
      'Birthday',
      'Debut',
      'Agency',
      'Fandom',
      'Links',
      'Next release',
      'Quote',
    ]);
    expect(embed.fields?.find((f) => f.name === 'Links')?.value).toMatch(/…and \d+ more$/);
  });
});

describe('/quote embed', () => {
  it('block-quotes the text, names the speaker and links the source with its date', () => {
    const embed = quoteEmbed(
      { id: 'q', artistId: 'ha-sung-woon', text: 'It’s a total emotional song.\nReally.', source: { title: 'Koreaboo', url: 'https://example.com/a' }, date: '2022-04-20' },
      artist({ id: 'ha-sung-woon', name: 'Ha Sung Woon' }),
    );
    expect(embed.description).toBe('> It’s a total emotional song.\n> Really.\n— **Ha Sung Woon**');
    expect(embed.fields).toEqual([{ name: 'Source', value: '[Koreaboo](https://example.com/a) · 20 April 2022' }]);
  });

  it('stays within limits with the longest quote the schema allows', () => {
    const embed = quoteEmbed(
      { id: 'q', artistId: 'x', text: '*'.repeat(1000), source: { title: ']'.repeat(200), url: `https://example.com/${'a'.repeat(490)}` } },
      artist({ id: 'x', name: '_'.repeat(100) }),
    );
    expectWithinLimits(embed);
  });
});

describe('/releases pages', () => {
  const buttonsOf = (page: ReleasesPage) => (page.components[0]?.components ?? []) as (APIButtonComponent & { custom_id: string })[];
  const many = (n: number) => Array.from({ length: n }, (_, i) => release({ id: `r${i}`, title: `Release ${i}`, date: `2022-05-${String((i % 28) + 1).padStart(2, '0')}` }));

  it('says so when nothing is upcoming, naming the filters', () => {
    expect(releasesPage({ releases: [], nameOf, page: 1 }).embeds[0]?.description).toBe("No upcoming releases in this server's catalog yet.");
    const filtered = releasesPage({ releases: [], nameOf, page: 1, artist: artist({ id: 'jimin', name: 'Jimin' }), withinDays: 7 });
    expect(filtered.embeds[0]?.description).toBe('No upcoming releases for Jimin in the next 7 days.');
    expect(filtered.components).toEqual([]);
  });

  it('shows one page without buttons', () => {
    const page = releasesPage({ releases: many(3), nameOf, page: 1 });
    expect(page.components).toEqual([]);
    expect(page.embeds[0]?.footer?.text).toBe('3 upcoming releases');
  });

  it('pages with Prev/Next, disabled at the ends, and clamps a stale page number', () => {
    const releases = many(25);
    const first = releasesPage({ releases, nameOf, page: 1, artist: artist({ id: 'jimin', name: 'Jimin' }), withinDays: 90 });
    expect(first.pages).toBe(Math.ceil(25 / RELEASES_PER_PAGE));
    const [prev, next] = buttonsOf(first);
    expect(prev?.disabled).toBe(true);
    expect(next).toMatchObject({ custom_id: 'releases:2:jimin:90', disabled: false });

    const last = releasesPage({ releases, nameOf, page: 99 });
    expect(last.page).toBe(last.pages);
    expect(last.embeds[0]?.footer?.text).toBe(`Page ${last.pages}/${last.pages} · 25 upcoming releases`);
    const [, lastNext] = buttonsOf(last);
    expect(lastNext?.disabled).toBe(true);
  });

  it('stays within limits with a full page of maximum-length releases', () => {
    const releases = Array.from({ length: RELEASES_PER_PAGE * 2 }, (_, i) =>
      release({ id: `r${i}`, title: `${i}${'*'.repeat(199)}`, artistIds: Array.from({ length: 20 }, (_, j) => `a${j}`), relatedWork: '['.repeat(200) }),
    );
    const page = releasesPage({ releases, nameOf: () => '_'.repeat(100), page: 2, artist: artist({ id: 'x', name: '|'.repeat(100) }), withinDays: 365 });
    expectWithinLimits(page.embeds[0]!);
    expect(page.embeds[0]?.description?.match(STAMP)).toHaveLength(RELEASES_PER_PAGE * 2);
  });

  it('round-trips the query through a button id of at most 100 characters', () => {
    const query = { page: 12, artistId: 'a'.repeat(64), withinDays: 365 };
    const id = releasesButtonId(query);
    expect(id.length).toBeLessThanOrEqual(100);
    expect(parseReleasesButton(id)).toEqual(query);
    expect(parseReleasesButton('releases:3:-:-')).toEqual({ page: 3, artistId: undefined, withinDays: undefined });
    expect(parseReleasesButton('releases:x:-:-')).toBeUndefined();
    expect(parseReleasesButton('releases:1:BAD ID:-')).toBeUndefined();
    expect(parseReleasesButton('feed:1:-:-')).toBeUndefined();
  });
});

describe('fitEmbed', () => {
  it('shrinks the longest texts first to bring the total within 6,000', () => {
    const embed = fitEmbed({
      title: 't',
      description: 'd'.repeat(4000),
      fields: Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, value: 'v'.repeat(1000) })),
    });
    expect(embedLength(embed)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    expect(embed.fields).toHaveLength(5);
  });
});
