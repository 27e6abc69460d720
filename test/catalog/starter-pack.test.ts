import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStarterPack, starterPack } from '../../src/catalog/starter-pack.ts';
import { releaseMoment } from '../../src/catalog/moment.ts';

// The article's text with its typographic spaces (a no-break space inside one quote) plain.
const article = readFileSync(new URL('../../../shared/fixtures/article-our-blues-ost.txt', import.meta.url), 'utf8').replace(/[^\S\n]+/g, ' ');
const ARTICLE_TITLE = article.split('\n')[0]!.trim();

describe('starter pack', () => {
  const pack = starterPack();
  const artist = (id: string) => pack.artists.find((a) => a.id === id);

  it('holds BTS, Jimin, Ha Sung Woon, HOTSHOT and Wanna One with their public facts', () => {
    expect(artist('bts')).toMatchObject({
      name: 'BTS',
      kind: 'group',
      debut: '2013-06-13',
      agency: 'BIGHIT MUSIC',
      fandom: 'ARMY',
      nativeNames: ['방탄소년단'],
    });
    expect(artist('bts')!.aliases).toEqual(expect.arrayContaining(['Bangtan Boys', 'Bangtan Sonyeondan']));
    expect(artist('jimin')).toMatchObject({ kind: 'member', birthName: 'Park Ji-min', birthday: '1995-10-13' });
    expect(artist('jimin')!.nativeNames).toEqual(expect.arrayContaining(['지민', '박지민']));
    expect(artist('jimin')!.memberships).toEqual([expect.objectContaining({ groupId: 'bts', current: true })]);
    expect(artist('ha-sung-woon')).toMatchObject({ birthday: '1994-03-22', nativeNames: ['하성운'] });
    expect(artist('ha-sung-woon')!.memberships.map((m) => [m.groupId, m.current])).toEqual([
      ['hotshot', false],
      ['wanna-one', false],
    ]);
    expect(artist('wanna-one')).toMatchObject({ kind: 'group', debut: '2017-08-07', fandom: 'Wannable', nativeNames: ['워너원'] });
    expect(artist('hotshot')).toMatchObject({ kind: 'group' });
  });

  it('holds "With You", out 24 April 2022 at 23:00 KST', () => {
    const release = pack.releases.find((r) => r.id === 'with-you')!;
    expect(release).toMatchObject({ title: 'With You', type: 'ost', relatedWork: 'Our Blues', artistIds: ['jimin', 'ha-sung-woon'] });
    expect(new Date(releaseMoment(release)).toISOString()).toBe('2022-04-24T14:00:00.000Z');
  });

  it("quotes the article's Ha Sung Woon lines word for word, each with the article as source", () => {
    const attributed = [...article.matchAll(/\n([^\n]+)\n\n— Ha Sung Woon/g)].map((m) => m[1]!.trim());
    expect(attributed).toHaveLength(3);
    const texts = pack.quotes.map((q) => q.text);
    for (const line of attributed) expect(texts).toContain(line);
    for (const quote of pack.quotes) {
      expect(quote.artistId).toBe('ha-sung-woon');
      expect(article).toContain(quote.text.replace(/\.$/, ''));
      expect(quote.source.title).toBe(ARTICLE_TITLE);
      expect(quote.source.url).toMatch(/^https:\/\//);
    }
  });

  it('hands each caller its own copy', () => {
    const first = starterPack();
    first.artists.pop();
    expect(starterPack().artists).toHaveLength(pack.artists.length);
  });

  it('names the problem when a pack is broken', () => {
    const broken = JSON.parse(JSON.stringify(pack)) as { artists: { birthday?: string }[]; quotes: { artistId: string }[] };
    broken.artists[1]!.birthday = '1995-02-30';
    expect(() => parseStarterPack(JSON.stringify(broken), 'pack.json')).toThrow(/pack\.json is invalid:\nartists\[1\]\.birthday: that date does not exist/);
    const dangling = JSON.parse(JSON.stringify(pack)) as typeof broken;
    dangling.quotes[0]!.artistId = 'nobody';
    expect(() => parseStarterPack(JSON.stringify(dangling))).toThrow(/quotes\[0\]\.artistId: no artist has the id "nobody"/);
    expect(() => parseStarterPack('{ nope')).toThrow(/not valid JSON/);
  });
});
