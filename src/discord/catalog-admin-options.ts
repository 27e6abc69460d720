import type { Artist, Membership, Quote } from '../catalog/schema.ts';
import type { ArtistInput, Patch, QuoteInput, ReleaseInput } from '../catalog/editing.ts';
import { UserError } from '../errors.ts';

/**
 * `/catalog …` options → the catalog service's inputs. Pure: artist references arrive
 * already resolved to ids (the command looks them up), so every rule here is testable
 * without Discord. The service does the validating; this only reads what was typed.
 */

/** What this module reads from an interaction; discord.js's option resolver fits it. */
export interface OptionReader {
  getString(name: string): string | null;
  getBoolean(name: string): boolean | null;
}

/** Typed in an edit, clears an optional field. */
export const CLEAR = '-';

/** Artist references typed in options, already looked up by the command. */
export interface ResolvedRefs {
  /** The `group` option's artist id, or CLEAR. */
  group?: string | undefined;
  /** The `artist` option of a quote. */
  artist?: string | undefined;
  /** The `artists` option of a release, in order. */
  artists?: string[] | undefined;
}

/** undefined: not given; null: "-" (clear); otherwise the trimmed text. */
function text(options: OptionReader, name: string): string | null | undefined {
  const raw = options.getString(name);
  if (raw === null) return undefined;
  const value = raw.trim();
  if (value === '') return undefined;
  return value === CLEAR ? null : value;
}

/** "a, b,, c" → ["a", "b", "c"]. */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function list(options: OptionReader, name: string): string[] | null | undefined {
  const value = text(options, name);
  return typeof value === 'string' ? splitList(value) : value;
}

const URL_IN_TEXT = /https?:\/\/\S+/gi;

/**
 * "Spotify https://…, MV https://…" → links. Each address needs a label before it; a
 * comma or nothing separates one link from the next, and a comma at an address's end
 * belongs to the separator, not the address.
 */
export function parseLinks(value: string): Array<{ label: string; url: string }> {
  const links: Array<{ label: string; url: string }> = [];
  let rest = 0;
  for (const match of value.matchAll(URL_IN_TEXT)) {
    const url = match[0].replace(/[,;]+$/, '');
    const label = value
      .slice(rest, match.index)
      .replace(/^[\s,;]+/, '')
      .replace(/[\s:|–—-]+$/, '')
      .trim();
    if (label === '') {
      throw new UserError(`links: put a label before ${url}, like "Spotify ${url}".`);
    }
    links.push({ label, url });
    rest = match.index + match[0].length;
  }
  const leftover = value.slice(rest).replace(/^[\s,;]+/, '').trim();
  if (leftover !== '') {
    throw new UserError(`links: "${leftover}" has no address after it; write links as "Label https://…, Label https://…".`);
  }
  if (links.length === 0) throw new UserError('links: no address found; write links as "Label https://…, Label https://…".');
  return links;
}

function links(options: OptionReader): ReturnType<typeof parseLinks> | null | undefined {
  const value = text(options, 'links');
  return typeof value === 'string' ? parseLinks(value) : value;
}

/** Leaves out what was not given, so the service's defaults apply. */
function defined<T extends object>(input: T): T {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as T;
}

/** On add, "-" has nothing to clear: it counts as not given. */
function noClear<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}

// Artists.

/** Options of `/catalog artist add` and `edit` that are plain fields, by schema field. */
const ARTIST_TEXT_FIELDS = {
  name: 'name',
  birthName: 'birth-name',
  birthday: 'birthday',
  debut: 'debut',
  agency: 'agency',
  fandom: 'fandom',
  image: 'image',
  description: 'description',
} as const;

function membershipFrom(
  options: OptionReader,
  groupId: string,
  previous: Membership | undefined,
): Membership {
  const position = text(options, 'position');
  const stageName = text(options, 'group-stage-name');
  const former = options.getBoolean('former');
  const next: Membership = { groupId, current: former === null ? (previous?.current ?? true) : !former };
  const keptPosition = position === undefined ? previous?.position : (position ?? undefined);
  const keptStageName = stageName === undefined ? previous?.stageName : (stageName ?? undefined);
  if (keptPosition !== undefined) next.position = keptPosition;
  if (keptStageName !== undefined) next.stageName = keptStageName;
  return next;
}

const MEMBERSHIP_OPTIONS = ['position', 'group-stage-name'] as const;

function membershipDetailGiven(options: OptionReader): string | undefined {
  if (options.getBoolean('former') !== null) return 'former';
  return MEMBERSHIP_OPTIONS.find((name) => text(options, name) !== undefined);
}

export function artistAddInput(options: OptionReader, refs: ResolvedRefs): ArtistInput {
  const input: Record<string, unknown> = {
    id: options.getString('id')?.trim() ?? '',
    kind: options.getString('kind') ?? '',
  };
  for (const [field, option] of Object.entries(ARTIST_TEXT_FIELDS)) input[field] = noClear(text(options, option));
  input.nativeNames = noClear(list(options, 'hangul'));
  input.aliases = noClear(list(options, 'aliases'));
  input.links = noClear(links(options));
  if (refs.group !== undefined && refs.group !== CLEAR) {
    input.memberships = [membershipFrom(options, refs.group, undefined)];
  } else {
    const detail = membershipDetailGiven(options);
    if (detail) throw new UserError(`${detail}: also give the group it belongs to, with the group option.`);
  }
  return defined(input) as ArtistInput;
}

/**
 * A patch for `/catalog artist edit`. `group` adds the artist to that group or updates
 * that membership (position, group-stage-name, former); "-" in `group` clears every
 * membership. Without `group`, membership details apply to the artist's only group.
 */
export function artistPatch(options: OptionReader, current: Artist, refs: ResolvedRefs): Patch<ArtistInput> {
  const patch: Record<string, unknown> = {};
  for (const [field, option] of Object.entries(ARTIST_TEXT_FIELDS)) patch[field] = text(options, option);
  const kind = options.getString('kind');
  if (kind !== null) patch.kind = kind;
  patch.nativeNames = list(options, 'hangul');
  patch.aliases = list(options, 'aliases');
  patch.links = links(options);

  let groupId = refs.group;
  if (groupId === CLEAR) {
    patch.memberships = null;
  } else {
    const detail = membershipDetailGiven(options);
    if (groupId === undefined && detail) {
      const only = current.memberships.length === 1 ? current.memberships[0] : undefined;
      if (!only) {
        const which =
          current.memberships.length === 0
            ? `${current.name} is in no group yet`
            : `${current.name} is in several groups (${current.memberships.map((m) => m.groupId).join(', ')})`;
        throw new UserError(`${detail}: ${which}; say which group with the group option.`);
      }
      groupId = only.groupId;
    }
    if (groupId !== undefined) {
      const previous = current.memberships.find((m) => m.groupId === groupId);
      const updated = membershipFrom(options, groupId, previous);
      patch.memberships = previous
        ? current.memberships.map((m) => (m.groupId === groupId ? updated : m))
        : [...current.memberships, updated];
    }
  }
  return defined(patch) as Patch<ArtistInput>;
}

// Quotes.

export function quoteAddInput(options: OptionReader, refs: ResolvedRefs): QuoteInput {
  const input: Record<string, unknown> = {
    id: options.getString('id')?.trim() ?? '',
    artistId: refs.artist ?? '',
    text: options.getString('text')?.trim() ?? '',
    source: { title: options.getString('source-title')?.trim() ?? '', url: options.getString('source-url')?.trim() ?? '' },
    date: noClear(text(options, 'date')),
  };
  return defined(input) as QuoteInput;
}

export function quotePatch(options: OptionReader, current: Quote, refs: ResolvedRefs): Patch<QuoteInput> {
  const patch: Record<string, unknown> = {
    artistId: refs.artist,
    text: text(options, 'text'),
    date: text(options, 'date'),
  };
  const title = text(options, 'source-title');
  const url = text(options, 'source-url');
  if (title !== undefined || url !== undefined) {
    // A quote always has a source; "-" leaves the part empty and the service says so.
    patch.source = {
      title: title === undefined ? current.source.title : (title ?? ''),
      url: url === undefined ? current.source.url : (url ?? ''),
    };
  }
  return defined(patch) as Patch<QuoteInput>;
}

// Releases.

const RELEASE_TEXT_FIELDS = {
  title: 'title',
  date: 'date',
  time: 'time',
  timeZone: 'timezone',
  relatedWork: 'related-work',
} as const;

export function releaseAddInput(options: OptionReader, refs: ResolvedRefs): ReleaseInput {
  const input: Record<string, unknown> = {
    id: options.getString('id')?.trim() ?? '',
    type: options.getString('type') ?? '',
    artistIds: refs.artists ?? [],
  };
  for (const [field, option] of Object.entries(RELEASE_TEXT_FIELDS)) input[field] = noClear(text(options, option));
  input.links = noClear(links(options));
  return defined(input) as ReleaseInput;
}

export function releasePatch(options: OptionReader, refs: ResolvedRefs): Patch<ReleaseInput> {
  const patch: Record<string, unknown> = {
    title: text(options, 'title'),
    type: options.getString('type') ?? undefined,
    date: text(options, 'date'),
    time: text(options, 'time'),
    timeZone: text(options, 'timezone'),
    artistIds: refs.artists,
    relatedWork: text(options, 'related-work'),
    links: links(options),
  };
  return defined(patch) as Patch<ReleaseInput>;
}

// The service's words, in the options' names.

/** Schema paths (list indices dropped) → the option a moderator typed them in. */
const FIELD_OPTIONS: Record<string, string> = {
  nativeNames: 'hangul',
  birthName: 'birth-name',
  memberships: 'group',
  'memberships.groupId': 'group',
  'memberships.position': 'position',
  'memberships.stageName': 'group-stage-name',
  'memberships.current': 'former',
  artistId: 'artist',
  source: 'source-title',
  'source.title': 'source-title',
  'source.url': 'source-url',
  artistIds: 'artists',
  relatedWork: 'related-work',
  timeZone: 'timezone',
  'links.label': 'links',
  'links.url': 'links',
};

/** Lists typed as comma-separated text: a problem in one item says which. */
const LIST_OPTIONS = new Set(['hangul', 'aliases', 'artists', 'links']);

const ORDINALS = ['1st', '2nd', '3rd'];
const ordinal = (n: number) => ORDINALS[n - 1] ?? `${n}th`;

/**
 * Rewrites the service's "memberships[0].groupId: …" lines as "group: …", so the message
 * names the option to fix. Lines without a field path are left alone.
 */
export function inOptionTerms(message: string): string {
  return message
    .split('\n')
    .map((line) => {
      const match = /^([A-Za-z][\w]*(?:\[\d+\]|\.[A-Za-z]\w*)*): /.exec(line);
      if (!match) return line;
      const path = match[1]!;
      const plain = path.replace(/\[\d+\]/g, '');
      const option = FIELD_OPTIONS[plain] ?? FIELD_OPTIONS[plain.split('.')[0]!] ?? plain;
      const index = /^[A-Za-z]\w*\[(\d+)\]/.exec(path)?.[1];
      const which = index !== undefined && LIST_OPTIONS.has(option) ? ` (${ordinal(Number(index) + 1)} item)` : '';
      return `${option}${which}: ${line.slice(match[0].length)}`;
    })
    .join('\n');
}

/** Runs a service call and puts a UserError's field paths in the options' names. */
export async function inOptionWords<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UserError) throw new UserError(inOptionTerms(error.message));
    throw error;
  }
}

const SHOWN_AS: Record<string, string> = {
  ...ARTIST_TEXT_FIELDS,
  ...RELEASE_TEXT_FIELDS,
  nativeNames: 'hangul',
  memberships: 'group',
  artistId: 'artist',
  artistIds: 'artists',
};

/** The fields an edit touched, as options, for the confirmation ("Updated Jimin: birthday, agency."). */
export function touchedOptions(patch: object): string[] {
  return Object.keys(patch).map((field) => SHOWN_AS[field] ?? field);
}

// Autocomplete of comma-separated artist lists.

/** "jimin, ha sung" → what is already settled ("jimin, ") and what is being typed ("ha sung"). */
export function splitLastItem(value: string): { done: string[]; typing: string } {
  const parts = value.split(',');
  const typing = (parts.pop() ?? '').trim();
  return { done: parts.map((part) => part.trim()).filter((part) => part !== ''), typing };
}
