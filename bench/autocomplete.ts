import { performance } from 'node:perf_hooks';
import Keyv from 'keyv';
import { Catalog } from '../src/catalog/catalog-service.ts';
import { NameIndex } from '../src/catalog/name-index.ts';
import type { Artist, CatalogFile } from '../src/catalog/schema.ts';
import { CatalogRepository } from '../src/store/catalog.ts';

/**
 * Autocomplete latency over a large catalog: 5,000 artists named the way K-pop names
 * look (romanised Korean with its spelling variants, Hangul, English stage names, groups
 * with members and units), queried the way members type: short prefixes, given names,
 * typos, Hangul, nothing yet. A naive scan over the same data runs alongside as a baseline.
 */

const ARTIST_COUNT = 5000;
const QUERY_COUNT = 2000;
/** The naive scan takes ~25 ms a query: it runs on every 10th query, the same mix of kinds. */
const NAIVE_EVERY = 10;
const TARGET_P99_MS = 20;

/** Mulberry32: small, fast and the same sequence on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Romanised syllable, its Hangul, and the other ways fans spell it.
const SURNAMES: [string, string, string[]][] = [
  ['Kim', '김', ['Gim']], ['Lee', '이', ['Yi', 'Rhee']], ['Park', '박', ['Pak', 'Bak']], ['Choi', '최', ['Choe']],
  ['Jung', '정', ['Jeong', 'Chung']], ['Kang', '강', ['Gang']], ['Cho', '조', ['Jo']], ['Yoon', '윤', ['Yun']],
  ['Jang', '장', ['Chang']], ['Lim', '임', ['Im']], ['Han', '한', []], ['Shin', '신', ['Sin']], ['Seo', '서', ['Suh']],
  ['Kwon', '권', ['Gwon']], ['Hwang', '황', []], ['Ahn', '안', ['An']], ['Song', '송', []], ['Yoo', '유', ['Yu']],
  ['Hong', '홍', []], ['Jeon', '전', ['Jun']], ['Ko', '고', ['Go']], ['Moon', '문', ['Mun']], ['Bae', '배', []],
  ['Baek', '백', []], ['Nam', '남', []], ['Ha', '하', []], ['Noh', '노', ['Roh']], ['Oh', '오', []],
];
const SYLLABLES: [string, string, string[]][] = [
  ['ji', '지', ['jee']], ['min', '민', []], ['seo', '서', ['suh']], ['yeon', '연', ['yun']], ['hyun', '현', ['hyeon']],
  ['woo', '우', ['wu']], ['jin', '진', []], ['soo', '수', ['su']], ['young', '영', ['yeong']], ['eun', '은', []],
  ['hye', '혜', []], ['jun', '준', ['joon']], ['sung', '성', ['seong']], ['ho', '호', []], ['seok', '석', ['suk']],
  ['tae', '태', []], ['hoon', '훈', ['hun']], ['kyung', '경', ['gyeong']], ['na', '나', []], ['ra', '라', []],
  ['yu', '유', ['yoo']], ['ha', '하', []], ['da', '다', []], ['bin', '빈', []], ['won', '원', ['weon']],
  ['jae', '재', []], ['hee', '희', ['hui']], ['mi', '미', []], ['so', '소', []], ['chan', '찬', []],
  ['yoon', '윤', ['yun']], ['gyu', '규', ['kyu']], ['sang', '상', []], ['dong', '동', []], ['woon', '운', ['un']],
  ['ah', '아', ['a']], ['rin', '린', []], ['yeol', '열', ['yul']], ['kook', '국', ['guk']], ['gi', '기', ['ki']],
];
const WORDS = [
  'Blue', 'Star', 'Moon', 'Neon', 'Wave', 'Dream', 'Cosmic', 'Velvet', 'Crystal', 'Crown', 'Fever', 'Bloom', 'Orbit',
  'Lucid', 'Prism', 'Ember', 'Echo', 'Nova', 'Pulse', 'Dawn', 'Flare', 'Halo', 'Muse', 'Riot', 'Storm', 'Sugar', 'Vivid',
  'Zero', 'Apex', 'Aura', 'Comet', 'Daisy', 'Eden', 'Frost', 'Gravity', 'Honey', 'Iris', 'Jewel', 'Kinetic', 'Lunar',
];
const LATIN_STAGE = ['Rose', 'Joy', 'Wendy', 'Kai', 'Luna', 'Suga', 'Vernon', 'Hoshi', 'Dino', 'Felix', 'Ash', 'Ren', 'Yuki', 'Lia', 'Chloe', 'Leo', 'Max', 'Ray', 'Sky', 'Zion'];
const POSITIONS = ['Leader', 'Main vocalist', 'Lead vocalist', 'Vocalist', 'Main dancer', 'Lead dancer', 'Main rapper', 'Rapper', 'Visual', 'Maknae'];

interface Generated {
  catalog: CatalogFile;
  /** Names a member might type, per artist: stage name, variants, Hangul. */
  typed: { latin: string[]; hangul: string[] }[];
}

export function generateCatalog(random: () => number): Generated {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const usedIds = new Set<string>();
  const slugOf = (name: string) => {
    const base = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'artist';
    let id = base;
    for (let n = 2; usedIds.has(id); n += 1) id = `${base}-${n}`;
    usedIds.add(id);
    return id;
  };
  const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const artists: Artist[] = [];
  const typed: Generated['typed'] = [];
  const blank = { nativeNames: [], aliases: [], memberships: [], links: [] };

  const groupCount = 700;
  const groups: Artist[] = [];
  for (let g = 0; g < groupCount; g += 1) {
    const style = random();
    const name =
      style < 0.4 ? `${pick(WORDS)} ${pick(WORDS)}` : style < 0.7 ? pick(WORDS).toUpperCase() + (random() < 0.5 ? String(Math.floor(random() * 200)) : '') : `${pick(WORDS)}${pick(['', '-X', ' Girls', ' Boys', 'Z'])}`;
    const hangul = Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(SYLLABLES)[1]).join('');
    const group: Artist = {
      ...blank,
      id: slugOf(name),
      name,
      nativeNames: [hangul],
      aliases: [name.replace(/\s+/g, ''), `${name} Official`].slice(0, 1 + Math.floor(random() * 2)),
      kind: random() < 0.1 ? 'unit' : 'group',
      debut: `20${String(10 + Math.floor(random() * 15))}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`,
      fandom: `${pick(WORDS)}s`,
    };
    groups.push(group);
    artists.push(group);
    typed.push({ latin: [name], hangul: [hangul] });
  }

  while (artists.length < ARTIST_COUNT) {
    const [surname, surnameHangul, surnameVariants] = pick(SURNAMES);
    const parts = [pick(SYLLABLES), pick(SYLLABLES)];
    const given = capital(parts.map((p) => p[0]).join(''));
    const givenHyphen = capital(parts.map((p) => p[0]).join('-'));
    const givenHangul = parts.map((p) => p[1]).join('');
    const variant = capital(parts.map((p) => (p[2].length > 0 && random() < 0.5 ? pick(p[2]) : p[0])).join(''));
    const stage = random() < 0.7 ? given : random() < 0.5 ? pick(LATIN_STAGE) : `${given.charAt(0)}-${pick(WORDS)}`;
    const soloist = random() < 0.08;
    const homes = soloist ? [] : random() < 0.1 ? [pick(groups), pick(groups)] : [pick(groups)];
    const memberships = [...new Set(homes)].map((group) => ({
      groupId: group.id,
      position: pick(POSITIONS),
      current: random() < 0.9,
      ...(random() < 0.05 ? { stageName: `${stage} ${pick(WORDS)}` } : {}),
    }));
    const aliases = [...new Set([`${surname} ${given}`, `${surname} ${givenHyphen}`, givenHyphen, `${pick(surnameVariants.length ? surnameVariants : [surname])} ${variant}`, variant, ...(random() < 0.3 ? [`${pick(WORDS)} ${stage}`] : [])])].filter(
      (alias) => alias !== stage,
    );
    const artist: Artist = {
      ...blank,
      id: slugOf(`${stage}${homes[0] ? `-${homes[0].id}` : ''}`),
      name: stage,
      nativeNames: [givenHangul, `${surnameHangul}${givenHangul}`],
      birthName: `${surname} ${givenHyphen}`,
      aliases,
      kind: soloist ? 'soloist' : 'member',
      memberships,
      birthday: `199${Math.floor(random() * 10)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`,
    };
    artists.push(artist);
    typed.push({ latin: [stage, given, `${surname} ${given}`, variant], hangul: [givenHangul, `${surnameHangul}${givenHangul}`] });
  }
  return { catalog: { version: 1, artists, quotes: [], releases: [] }, typed };
}

function typo(word: string, random: () => number): string {
  const i = Math.floor(random() * (word.length - 1));
  const kind = random();
  if (kind < 0.25) return word.slice(0, i) + word.slice(i + 1);
  if (kind < 0.5) return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  if (kind < 0.75) return word.slice(0, i) + 'aeiouk'[Math.floor(random() * 6)] + word.slice(i + 1);
  return word.slice(0, i) + 'aeiouk'[Math.floor(random() * 6)] + word.slice(i);
}

export function generateQueries(generated: Generated, random: () => number): string[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const queries: string[] = [];
  while (queries.length < QUERY_COUNT) {
    const names = pick(generated.typed);
    const roll = random();
    const latin = pick(names.latin);
    if (roll < 0.3) queries.push(latin.slice(0, 1 + Math.floor(random() * Math.min(6, latin.length))));
    else if (roll < 0.55 && latin.length >= 5) queries.push(typo(latin, random));
    else if (roll < 0.7) {
      const hangul = pick(names.hangul);
      queries.push(hangul.slice(0, 1 + Math.floor(random() * hangul.length)));
    } else if (roll < 0.8) queries.push('');
    else if (roll < 0.9) queries.push(latin.toLowerCase().replace(/[\s-]/g, ''));
    else queries.push(Array.from({ length: 3 + Math.floor(random() * 6) }, () => 'bcdfghjklmnpqrstvwxz'[Math.floor(random() * 20)]).join(''));
  }
  return queries;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Figures {
  p50: number;
  p99: number;
  max: number;
}

function figures(samples: readonly number[]): Figures {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1]! };
}

/** Milliseconds per query, in query order, after a warm-up so the JIT has settled. */
async function time(queries: string[], run: (query: string) => unknown, warmUp = 200): Promise<number[]> {
  for (const query of queries.slice(0, warmUp)) await run(query);
  const samples: number[] = [];
  for (const query of queries) {
    const start = performance.now();
    await run(query);
    samples.push(performance.now() - start);
  }
  return samples;
}

/** The obvious implementation: lower-case every name and scan them all, no typo tolerance. */
function naiveSearch(artists: readonly Artist[], query: string): string[] {
  const q = query.toLowerCase();
  return artists
    .filter((artist) => [artist.name, ...artist.nativeNames, artist.birthName ?? '', ...artist.aliases].some((name) => name.toLowerCase().includes(q)))
    .slice(0, 25)
    .map((artist) => artist.id);
}

export async function benchAutocomplete(): Promise<void> {
  const random = prng(20220424);
  const generated = generateCatalog(random);
  const queries = generateQueries(generated, random);
  const { artists } = generated.catalog;
  const names = artists.reduce((n, a) => n + 1 + a.nativeNames.length + a.aliases.length + (a.birthName ? 1 : 0), 0);
  const bytes = Buffer.byteLength(JSON.stringify(generated.catalog));

  const buildStart = performance.now();
  const index = NameIndex.build(artists);
  const buildMs = performance.now() - buildStart;

  const indexedSamples = await time(queries, (query) => index.search(query));
  const indexed = figures(indexedSamples);
  // The ratio compares the two on the very same queries.
  const sampled = queries.filter((_, i) => i % NAIVE_EVERY === 0);
  const naive = figures(await time(sampled, (query) => naiveSearch(artists, query), 20));
  const indexedOnSample = figures(indexedSamples.filter((_, i) => i % NAIVE_EVERY === 0));

  // The path a command takes: revision check against the store, cached index, search.
  const repo = new CatalogRepository(new Keyv());
  await repo.replace('bench', generated.catalog);
  const catalog = new Catalog(repo);
  const viaCatalog = figures(await time(queries, (query) => catalog.autocomplete('bench', query)));

  const ms = (value: number) => `${value.toFixed(3)} ms`;
  console.log(`autocomplete: ${artists.length} artists, ${names} names, ${(bytes / 1024 / 1024).toFixed(2)} MB stored, ${queries.length} queries`);
  console.log(`  index build           ${ms(buildMs)}`);
  console.log(`  name index            p50 ${ms(indexed.p50)}  p99 ${ms(indexed.p99)}  max ${ms(indexed.max)}`);
  console.log(`  via Catalog (memory)  p50 ${ms(viaCatalog.p50)}  p99 ${ms(viaCatalog.p99)}  max ${ms(viaCatalog.max)}`);
  console.log(
    `  naive includes() scan p50 ${ms(naive.p50)}  p99 ${ms(naive.p99)}  (no typo tolerance; every ${NAIVE_EVERY}th query, ${sampled.length} of ${queries.length})`,
  );
  console.log(`  ${`name index, same ${sampled.length}`.padEnd(21)} p50 ${ms(indexedOnSample.p50)}  p99 ${ms(indexedOnSample.p99)}`);
  console.log(
    `  index vs naive        p50 ×${(naive.p50 / indexedOnSample.p50).toFixed(1)}  p99 ×${(naive.p99 / indexedOnSample.p99).toFixed(1)} (same ${sampled.length} queries)`,
  );
  console.log(`  target p99 < ${TARGET_P99_MS} ms: ${indexed.p99 < TARGET_P99_MS ? 'met' : 'MISSED'}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchAutocomplete();
}
