import type { Artist } from './schema.ts';
import { normaliseName, wordStarts } from './normalise.ts';
import { packNames, scanTypos, type PackedNames } from './typo.ts';
import { DISCORD_LIMITS } from '../discord/limits.ts';

/** One autocomplete choice as Discord takes it: what the member sees, and the artist id. */
export interface ArtistChoice {
  name: string;
  value: string;
}

/** An artist a typed name stands for, with the label that tells it from same-named ones. */
export interface NamedArtist {
  artist: Artist;
  /** "Jimin — BTS": the name and current groups, without the id. */
  label: string;
}

/** Discord shows at most 25 choices and cuts a choice's name at 100 characters. */
export const MAX_CHOICES: number = DISCORD_LIMITS.choices;
const MAX_LABEL = DISCORD_LIMITS.choiceName;

// Match quality, best first. Within a tier, a name closer in length to the query wins.
const EXACT = 0;
const PREFIX = 1;
const WORD_PREFIX = 2;
const SUBSTRING = 3;
const TYPO = 4;
const TIER = 1000;
const HALF_TIER = TIER / 2;
const NONE = Number.POSITIVE_INFINITY;

/**
 * Queries this long may hold one typo; this long, two. Shorter ones are too ambiguous.
 * Lengths are in letters of the normalised form, where Hangul is spelled out ("지만" is
 * ㅈㅣㅁㅏㄴ, five), so a one-syllable slip in a two-syllable name is forgiven.
 */
const ONE_TYPO_FROM = 4;
const TWO_TYPOS_FROM = 8;

interface Key {
  text: string;
  artist: number;
  /** The name as written, when it is not the stage name; shown so the member sees why it matched. */
  alias: string | undefined;
  /** A suffix starting at a later word of the name, rather than the whole name. */
  wordStart: boolean;
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Finds artists by any of their names as a member types. Built once per catalog revision:
 * every name is normalised ahead of time, prefix matches come from a sorted list, and the
 * slower passes (substring, then typo) run only when the faster ones found too few.
 */
export class NameIndex {
  readonly #artists: readonly Artist[];
  /** Per artist: its current groups ("BTS"), a suffix telling same-named artists apart, its A–Z rank. */
  readonly #groupsLabel: string[];
  readonly #disambiguation: string[];
  readonly #alphabetical: number[];
  readonly #rank: Int32Array;
  readonly #keys: Key[];
  /** Distinct key texts in code-unit order, for prefix search by bisection. */
  readonly #texts: string[];
  /** Per distinct text, the keys carrying it: #keysByText[#keysFrom[t] … #keysFrom[t + 1]). */
  readonly #keysFrom: Int32Array;
  readonly #keysByText: Int32Array;
  /** The distinct texts again, packed for the typo scan. */
  readonly #packed: PackedNames;
  /** Whole names only, joined by newlines, so one native indexOf scans them all for a substring. */
  readonly #haystack: string;
  readonly #haystackKeys: Int32Array;
  readonly #haystackFrom: Int32Array;

  private constructor(artists: readonly Artist[]) {
    this.#artists = artists;
    const byId = new Map(artists.map((artist) => [artist.id, artist]));
    this.#groupsLabel = artists.map((artist) =>
      artist.memberships
        .filter((m) => m.current)
        .map((m) => byId.get(m.groupId)?.name)
        .filter((name): name is string => name !== undefined)
        .join(', '),
    );
    // Two artists who would read the same ("Jimin — BTS" twice) are told apart by id.
    const plain = artists.map((artist, i) => this.#compose(artist.name, undefined, this.#groupsLabel[i]!, ''));
    const counts = new Map<string, number>();
    for (const label of plain) counts.set(label, (counts.get(label) ?? 0) + 1);
    this.#disambiguation = artists.map((artist, i) => ((counts.get(plain[i]!) ?? 0) > 1 ? ` [${artist.id}]` : ''));

    const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
    this.#alphabetical = artists.map((_, i) => i).sort((a, b) => collator.compare(plain[a]!, plain[b]!) || byCodeUnits(artists[a]!.id, artists[b]!.id));
    this.#rank = new Int32Array(artists.length);
    this.#alphabetical.forEach((artist, position) => (this.#rank[artist] = position));

    const keys: Key[] = [];
    artists.forEach((artist, index) => {
      const seen = new Set<string>();
      const names = [
        artist.name,
        ...artist.nativeNames,
        ...(artist.birthName ? [artist.birthName] : []),
        ...artist.aliases,
        ...artist.memberships.flatMap((m) => (m.stageName ? [m.stageName] : [])),
        artist.id,
      ];
      for (const name of names) {
        const alias = name === artist.name ? undefined : name;
        const text = normaliseName(name);
        if (text !== '' && !seen.has(text)) {
          seen.add(text);
          keys.push({ text, artist: index, alias, wordStart: false });
        }
        for (const start of wordStarts(name)) {
          if (seen.has(start)) continue;
          seen.add(start);
          keys.push({ text: start, artist: index, alias, wordStart: true });
        }
      }
    });
    this.#keys = keys;

    const byText = new Map<string, number[]>();
    keys.forEach((key, i) => {
      const list = byText.get(key.text);
      if (list) list.push(i);
      else byText.set(key.text, [i]);
    });
    // The default sort compares UTF-16 code units, the order bisection needs, natively.
    const texts = [...byText.keys()].sort();
    const keysFrom: number[] = [];
    const order: number[] = [];
    for (const text of texts) {
      keysFrom.push(order.length);
      order.push(...byText.get(text)!);
    }
    keysFrom.push(order.length);
    this.#texts = texts;
    this.#keysFrom = Int32Array.from(keysFrom);
    this.#keysByText = Int32Array.from(order);

    this.#packed = packNames(texts);

    const whole = keys.map((key, i) => (key.wordStart ? -1 : i)).filter((i) => i !== -1);
    this.#haystackKeys = Int32Array.from(whole);
    this.#haystackFrom = new Int32Array(whole.length);
    let offset = 0;
    whole.forEach((key, i) => {
      this.#haystackFrom[i] = offset;
      offset += keys[key]!.text.length + 1;
    });
    this.#haystack = whole.map((key) => keys[key]!.text).join('\n');
  }

  static build(artists: readonly Artist[]): NameIndex {
    return new NameIndex(artists);
  }

  get size(): number {
    return this.#artists.length;
  }

  /** Up to `limit` choices for what the member typed so far; all artists A–Z when nothing yet. */
  search(query: string, limit = MAX_CHOICES): ArtistChoice[] {
    const q = normaliseName(query);
    if (q === '') return this.#alphabetical.slice(0, limit).map((artist) => this.#choice(artist, undefined));

    const score = new Float64Array(this.#artists.length).fill(NONE);
    const shown = new Array<string | undefined>(this.#artists.length);
    const found: number[] = [];
    const offer = (key: Key, value: number) => {
      const current = score[key.artist]!;
      if (current === NONE) found.push(key.artist);
      if (value < current) {
        score[key.artist] = value;
        shown[key.artist] = key.alias;
      }
    };

    this.#prefixPass(q, offer);
    if (found.length < limit) this.#substringPass(q, score, offer);
    if (found.length < limit && q.length >= ONE_TYPO_FROM) this.#typoPass(q, score, offer);

    const rank = this.#rank;
    found.sort((a, b) => score[a]! - score[b]! || rank[a]! - rank[b]!);
    return found.slice(0, limit).map((artist) => this.#choice(artist, shown[artist]));
  }

  /** Artists one of whose names is exactly this (after normalising), stage names before aliases. */
  exact(name: string): Artist[] {
    const hits = this.#exactKeys(normaliseName(name));
    hits.sort((a, b) => Number(a.alias !== undefined) - Number(b.alias !== undefined) || this.#rank[a.artist]! - this.#rank[b.artist]!);
    return [...new Set(hits.map((hit) => hit.artist))].map((artist) => this.#artists[artist]!);
  }

  /**
   * The artists a name typed in full stands for: those it names best, a stage name
   * counting before any other name ("Rose" is the artist on stage as Rose, not the one
   * with Rose as an alias). Several means the name alone cannot say which; each comes
   * with a label ("Jimin — BTS") to tell them apart, A–Z.
   */
  named(name: string): NamedArtist[] {
    const best = new Map<number, boolean>();
    for (const key of this.#exactKeys(normaliseName(name))) {
      best.set(key.artist, best.get(key.artist) === true || key.alias === undefined);
    }
    const anyStageName = [...best.values()].some(Boolean);
    return [...best]
      .filter(([, byStageName]) => byStageName || !anyStageName)
      .map(([artist]) => artist)
      .sort((a, b) => this.#rank[a]! - this.#rank[b]!)
      .map((artist) => ({ artist: this.#artists[artist]!, label: this.#compose(this.#artists[artist]!.name, undefined, this.#groupsLabel[artist]!, '') }));
  }

  /** Keys whose text is exactly q, whole names only. */
  #exactKeys(q: string): Key[] {
    const t = this.#lowerBound(q);
    if (q === '' || this.#texts[t] !== q) return [];
    const hits: Key[] = [];
    for (let k = this.#keysFrom[t]!; k < this.#keysFrom[t + 1]!; k += 1) {
      const key = this.#keys[this.#keysByText[k]!]!;
      if (!key.wordStart) hits.push(key);
    }
    return hits;
  }

  #prefixPass(q: string, offer: (key: Key, value: number) => void): void {
    for (let t = this.#lowerBound(q); t < this.#texts.length; t += 1) {
      const text = this.#texts[t]!;
      if (!text.startsWith(q)) break;
      const extra = Math.min(text.length - q.length, TIER - 1);
      for (let k = this.#keysFrom[t]!; k < this.#keysFrom[t + 1]!; k += 1) {
        const key = this.#keys[this.#keysByText[k]!]!;
        const tier = key.wordStart ? WORD_PREFIX : extra === 0 ? EXACT : PREFIX;
        offer(key, tier * TIER + extra);
      }
    }
  }

  #substringPass(q: string, score: Float64Array, offer: (key: Key, value: number) => void): void {
    for (let at = this.#haystack.indexOf(q); at !== -1; at = this.#haystack.indexOf(q, at + 1)) {
      const key = this.#keys[this.#haystackKeys[this.#wholeKeyAt(at)]!]!;
      if (score[key.artist]! < SUBSTRING * TIER) continue;
      offer(key, SUBSTRING * TIER + Math.min(key.text.length - q.length, TIER - 1));
    }
  }

  #typoPass(q: string, score: Float64Array, offer: (key: Key, value: number) => void): void {
    const max = q.length >= TWO_TYPOS_FROM ? 2 : 1;
    scanTypos(q, this.#packed, max, (t, distance) => {
      const value = (TYPO + distance - 1) * TIER + Math.min(Math.abs(this.#texts[t]!.length - q.length), HALF_TIER - 1);
      for (let k = this.#keysFrom[t]!; k < this.#keysFrom[t + 1]!; k += 1) {
        const key = this.#keys[this.#keysByText[k]!]!;
        // A slip in a whole name beats the same slip in a given name alone.
        if (score[key.artist]! >= TYPO * TIER) offer(key, key.wordStart ? value + HALF_TIER : value);
      }
    });
  }

  /** The first distinct text not below q. */
  #lowerBound(q: string): number {
    let low = 0;
    let high = this.#texts.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#texts[mid]! < q) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Which whole name in the haystack holds this offset. */
  #wholeKeyAt(offset: number): number {
    let low = 0;
    let high = this.#haystackFrom.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (this.#haystackFrom[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  #compose(name: string, alias: string | undefined, groups: string, disambiguation: string): string {
    const tail = (groups === '' ? '' : ` — ${groups}`) + disambiguation;
    const full = `${name}${alias === undefined ? '' : ` (${alias})`}${tail}`;
    if (full.length <= MAX_LABEL) return full;
    // Too long: the alias goes first, then both parts are cut so the group stays visible.
    const shortTail = clip(tail, MAX_LABEL - 40);
    return clip(name, MAX_LABEL - shortTail.length) + shortTail;
  }

  #choice(artist: number, alias: string | undefined): ArtistChoice {
    const a = this.#artists[artist]!;
    return { name: this.#compose(a.name, alias, this.#groupsLabel[artist]!, this.#disambiguation[artist]!), value: a.id };
  }
}
