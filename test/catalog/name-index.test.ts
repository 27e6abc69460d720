import { describe, expect, it } from 'vitest';
import { MAX_CHOICES, NameIndex } from '../../src/catalog/name-index.ts';
import { normaliseName, wordStarts } from '../../src/catalog/normalise.ts';
import { packNames, prefixDistance, scanTypos } from '../../src/catalog/typo.ts';
import { starterPack } from '../../src/catalog/starter-pack.ts';
import type { Artist } from '../../src/catalog/schema.ts';

const artist = (over: Partial<Artist> & Pick<Artist, 'id' | 'name'>): Artist => ({
  kind: 'soloist',
  nativeNames: [],
  aliases: [],
  memberships: [],
  links: [],
  ...over,
});

describe('normaliseName', () => {
  it.each([
    ['ignores case', 'JIMIN', 'jimin'],
    ['ignores spaces', 'Ha Sung Woon', 'hasungwoon'],
    ['ignores hyphens and dashes', 'Ha Sung-woon – j‐hope', 'hasungwoonjhope'],
    ['ignores dots', 'T.O.P', 'top'],
    ['ignores straight apostrophes', "Girls' Generation", 'girlsgeneration'],
    ['ignores curly apostrophes', 'Girls’ Generation', 'girlsgeneration'],
    ['ignores backticks', 'Girls` Generation', 'girlsgeneration'],
    ['ignores modifier-letter apostrophes', 'Girlsʼ Generation', 'girlsgeneration'],
    ['ignores diacritics', 'Beyoncé Rosé', 'beyoncerose'],
    ['ignores the dot of a capital İ', 'İSA', 'isa'],
    ['spells out letters without a decomposition', 'ÆSPA Øystein', 'aespaoystein'],
    ['folds full-width letters', 'Ｊｉｍｉｎ', 'jimin'],
    ['spells Hangul out as the letters typed', '하 성운', 'ㅎㅏㅅㅓㅇㅇㅜㄴ'],
    ['spells two-key vowels and finals as their keys', '워너원 읽', 'ㅇㅜㅓㄴㅓㅇㅜㅓㄴㅇㅣㄹㄱ'],
    ['writes a lone letter as the same key', 'ㅎ ᆷ ᄆ', 'ㅎㅁㅁ'],
    ['keeps the voicing marks of kana', 'ガールズ', 'ガールズ'],
  ])('%s', (_rule, input, expected) => {
    expect(normaliseName(input)).toBe(expected);
  });

  it('treats decomposed and composed Hangul alike', () => {
    expect(normaliseName('지민'.normalize('NFD'))).toBe(normaliseName('지민'));
  });

  it('gives the same answer on the ASCII fast path as on the full one', () => {
    for (let code = 0; code < 128; code += 1) {
      const char = String.fromCharCode(code);
      // The trailing é forces the full Unicode path for the second form.
      expect(normaliseName(`a${char}b`)).toBe(normaliseName(`a${char}bé`).slice(0, -1));
    }
  });

  it('lists the later words of a name as their own starts', () => {
    expect(wordStarts('Ha Sung-woon')).toEqual(['sungwoon', 'woon']);
    expect(wordStarts('T.O.P')).toEqual([]);
  });
});

describe('prefixDistance', () => {
  it('counts one slip as one, against the whole name or its start', () => {
    expect(prefixDistance('jimin', 'jimin', 1)).toBe(0);
    expect(prefixDistance('jimni', 'jimin', 1)).toBe(1); // swapped
    expect(prefixDistance('jimn', 'jimin', 1)).toBe(1); // missing
    expect(prefixDistance('jiimin', 'jimin', 1)).toBe(1); // extra
    expect(prefixDistance('jomin', 'jimin', 1)).toBe(1); // wrong
    expect(prefixDistance('sungwon', 'sungwoonkim', 1)).toBe(1); // start of a longer name
    expect(prefixDistance('hosung', 'jimin', 1)).toBe(2); // "more than max"
    expect(prefixDistance('hasungwn', 'hasungwoon', 2)).toBe(1);
  });

  it('agrees with a plain full-table computation over a sorted list sharing prefixes', () => {
    const full = (a: string, b: string): number => {
      const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
      for (let i = 1; i <= a.length; i += 1) {
        for (let j = 1; j <= b.length; j += 1) {
          d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
        }
      }
      return d[a.length]![b.length]!;
    };
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    // A three-letter alphabet makes shared prefixes, near misses and swaps common.
    const word = (n: number) => Array.from({ length: n }, () => 'abc'[Math.floor(random() * 3)]).join('');
    for (let round = 0; round < 150; round += 1) {
      const names = [...new Set(Array.from({ length: 80 }, () => word(Math.floor(random() * 9))))].sort();
      const query = word(1 + Math.floor(random() * 7));
      const max = 1 + Math.floor(random() * 2);
      const found = new Map<number, number>();
      scanTypos(query, packNames(names), max, (t, distance) => found.set(t, distance));
      names.forEach((name, t) => {
        let expected = Infinity;
        for (let j = 0; j <= name.length; j += 1) expected = Math.min(expected, full(query, name.slice(0, j)));
        expect(found.get(t) ?? max + 1, `${query} / ${name}`).toBe(expected > max ? max + 1 : expected);
      });
    }
  });
});

describe('NameIndex', () => {
  const starter = NameIndex.build(starterPack().artists);
  const first = (query: string) => starter.search(query)[0]?.value;

  it('finds an artist by stage name, Hangul, birth name, alias and later word, any case or spelling', () => {
    expect(first('jimin')).toBe('jimin');
    expect(first('JiMin')).toBe('jimin');
    expect(first('지민')).toBe('jimin');
    expect(first('박지민')).toBe('jimin');
    expect(first('park ji-min')).toBe('jimin');
    expect(first('하성운')).toBe('ha-sung-woon');
    expect(first('하성')).toBe('ha-sung-woon');
    expect(first('ha sung-woon')).toBe('ha-sung-woon');
    expect(first('Ha Sung’woon')).toBe('ha-sung-woon');
    expect(first('sung woon')).toBe('ha-sung-woon');
    expect(first('방탄')).toBe('bts');
    expect(first('bangtan sonyeondan')).toBe('bts');
    expect(first('워너원')).toBe('wanna-one');
  });

  it('tolerates one typo from four letters and two from eight', () => {
    expect(first('jimni')).toBe('jimin');
    expect(first('bagntan')).toBe('bts');
    expect(first('hasungwn')).toBe('ha-sung-woon');
    expect(first('hasngwon')).toBe('ha-sung-woon');
    expect(starter.search('jmi')).toEqual([]); // too short to guess at
    expect(starter.search('hxsxngwoon').map((c) => c.value)).toEqual(['ha-sung-woon']);
    expect(starter.search('hxsxnxwoon')).toEqual([]);
  });

  it('matches Hangul letter by letter while it is typed, syllables half built', () => {
    // What a Korean keyboard shows on the way to 하성운, 지민, 박지민 and 방탄소년단.
    // 핫샷 (HOTSHOT) begins the same way up to 핫.
    for (const typing of ['ㅎ', '하', '핫']) expect(starter.search(typing).map((c) => c.value), typing).toContain('ha-sung-woon');
    for (const typing of ['하서', '하성', '하성ㅇ', '하성우']) expect(first(typing), typing).toBe('ha-sung-woon');
    for (const typing of ['짐', '지미']) expect(first(typing), typing).toBe('jimin');
    expect(first('박짐')).toBe('jimin');
    expect(first('방탄손')).toBe('bts');
    expect(first('워')).toBe('wanna-one');
  });

  it('forgives a one-letter slip in Hangul, counted in letters, not syllables', () => {
    expect(first('하성은')).toBe('ha-sung-woon');
    expect(first('지만')).toBe('jimin');
    expect(first('빙탄')).toBe('bts');
    expect(starter.search('짐').map((c) => c.value)).toEqual(['jimin']); // three letters: no guessing
  });

  it('labels a member with its current group and shows the name that matched', () => {
    expect(starter.search('jimin')).toEqual([{ name: 'Jimin — BTS', value: 'jimin' }]);
    expect(starter.search('지민')[0]!.name).toBe('Jimin (지민) — BTS');
    // Former groups only: no group in the label.
    expect(starter.search('ha sung woon')[0]!.name).toBe('Ha Sung Woon');
  });

  it('tells same-named idols apart by their groups, or by id when even those match', () => {
    const index = NameIndex.build([
      artist({ id: 'bts', name: 'BTS', kind: 'group' }),
      artist({ id: 'aoa', name: 'AOA', kind: 'group' }),
      artist({ id: 'jimin', name: 'Jimin', kind: 'member', memberships: [{ groupId: 'bts', current: true }] }),
      artist({ id: 'jimin-aoa', name: 'Jimin', kind: 'member', memberships: [{ groupId: 'aoa', current: true }] }),
      artist({ id: 'jimin-solo', name: 'Jimin' }),
      artist({ id: 'jimin-solo-2', name: 'Jimin' }),
    ]);
    const labels = index.search('jimin').map((c) => c.name);
    expect(labels.sort()).toEqual(['Jimin [jimin-solo-2]', 'Jimin [jimin-solo]', 'Jimin — AOA', 'Jimin — BTS']);
  });

  it('ranks exact over prefix over later word over substring over typo', () => {
    const index = NameIndex.build([
      artist({ id: 'typo', name: 'Mini' }),
      artist({ id: 'substring', name: 'Jjimini' }),
      artist({ id: 'word', name: 'Park Jimin-a' }),
      artist({ id: 'prefix', name: 'Jiminie' }),
      artist({ id: 'exact', name: 'Ji-min' }),
      artist({ id: 'typo2', name: 'Jomin' }),
    ]);
    expect(index.search('jimin').map((c) => c.value)).toEqual(['exact', 'prefix', 'word', 'substring', 'typo2']);
  });

  it('offers at most 25 choices, A–Z when nothing is typed yet, each label within 100 characters', () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      artist({ id: `kim-${i}`, name: `Kim ${String(i).padStart(2, '0')}${i === 7 ? ' '.padEnd(120, 'x') : ''}`.slice(0, 100), aliases: [`K${i}`] }),
    );
    const index = NameIndex.build(many);
    expect(index.search('kim')).toHaveLength(MAX_CHOICES);
    expect(index.search('')).toHaveLength(MAX_CHOICES);
    expect(index.search('')[0]!.name).toBe('Kim 00');
    for (const choice of index.search('k')) expect(choice.name.length).toBeLessThanOrEqual(100);
    expect(starter.search('').map((c) => c.value)).toEqual(['bts', 'ha-sung-woon', 'hotshot', 'jimin', 'wanna-one']);
  });

  it('keeps a long label within 100 characters and the group in view', () => {
    const index = NameIndex.build([
      artist({ id: 'g', name: 'G'.repeat(100), kind: 'group' }),
      artist({ id: 'm', name: 'M'.repeat(100), kind: 'member', aliases: ['Alias'.repeat(10)], memberships: [{ groupId: 'g', current: true }] }),
    ]);
    const [choice] = index.search('aliasalias');
    expect(choice!.name.length).toBeLessThanOrEqual(100);
    expect(choice!.name).toContain(' — GGG');
  });

  it('says which artists a name typed in full stands for, and when it cannot tell', () => {
    const index = NameIndex.build([
      artist({ id: 'bts', name: 'BTS', kind: 'group' }),
      artist({ id: 'aoa', name: 'AOA', kind: 'group' }),
      artist({ id: 'jimin', name: 'Jimin', nativeNames: ['지민'], kind: 'member', memberships: [{ groupId: 'bts', current: true }] }),
      artist({ id: 'jimin-aoa', name: 'Jimin', nativeNames: ['지민'], kind: 'member', memberships: [{ groupId: 'aoa', current: true }] }),
      artist({ id: 'rose', name: 'Rosé' }),
      artist({ id: 'roseanne', name: 'Roseanne Park', aliases: ['Rose'] }),
    ]);
    const named = (name: string) => index.named(name).map(({ artist: a, label }) => [a.id, label]);
    expect(named('Jimin')).toEqual([
      ['jimin-aoa', 'Jimin — AOA'],
      ['jimin', 'Jimin — BTS'],
    ]);
    expect(named('지민')).toHaveLength(2);
    // A stage name outranks another artist's alias; an alias alone still finds its artist.
    expect(named('rose')).toEqual([['rose', 'Rosé']]);
    expect(named('roseanne park')).toEqual([['roseanne', 'Roseanne Park']]);
    expect(named('jimin aoa')).toEqual([['jimin-aoa', 'Jimin — AOA']]);
    expect(named('jim')).toEqual([]);
  });

  it('answers exact lookups by any name, stage names first', () => {
    const index = NameIndex.build([artist({ id: 'a', name: 'Rose', aliases: ['Roseanne'] }), artist({ id: 'b', name: 'Roseanne Park', aliases: ['Rosé'] })]);
    expect(index.exact('rosé').map((a) => a.id)).toEqual(['a', 'b']);
    expect(index.exact('nobody')).toEqual([]);
  });
});

describe('NameIndex over the benchmark catalog', () => {
  it('is built from a valid catalog and finds members by name, Hangul and typo', async () => {
    const { generateCatalog, prng } = await import('../../bench/autocomplete.ts');
    const { catalogFile } = await import('../../src/catalog/schema.ts');
    const { checkCatalog } = await import('../../src/catalog/integrity.ts');
    const { catalog } = generateCatalog(prng(1));
    expect(catalogFile.safeParse(catalog).success).toBe(true);
    expect(checkCatalog(catalog)).toEqual([]);
    const index = NameIndex.build(catalog.artists);
    const member = catalog.artists.find((a) => a.kind === 'member' && a.name.length >= 5 && a.memberships.some((m) => m.current))!;
    const ids = (query: string) => index.search(query).map((c) => c.value);
    expect(ids(member.name)).toContain(member.id);
    expect(ids(member.nativeNames[1]!)).toContain(member.id);
    expect(ids(member.name.slice(0, 2) + member.name.slice(3))).toContain(member.id);
    expect(index.search(member.name).find((c) => c.value === member.id)!.name).toMatch(/ — /);
  });
});
