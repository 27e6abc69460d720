import type { z } from 'zod';
import { UserError } from '../errors.ts';
import { artist, quote, release, type Artist, type CatalogFile, type Quote, type Release } from './schema.ts';
import { checkCatalog } from './integrity.ts';
import { formatPath, listProblems, problemsFromZod, type Problem } from './issues.ts';

export type ArtistInput = z.input<typeof artist>;
export type QuoteInput = z.input<typeof quote>;
export type ReleaseInput = z.input<typeof release>;

/**
 * The fields to change. `null` clears an optional field; a list given replaces the whole
 * list. The id is not editable: quotes, releases and memberships point at it.
 */
export type Patch<T> = { [K in Exclude<keyof T, 'id'>]?: T[K] | null };

interface Kind<T extends { id: string }> {
  list: 'artists' | 'quotes' | 'releases';
  noun: string;
  aNoun: string;
  schema: z.ZodType<T>;
}

const ARTISTS: Kind<Artist> = { list: 'artists', noun: 'artist', aNoun: 'an artist', schema: artist };
const QUOTES: Kind<Quote> = { list: 'quotes', noun: 'quote', aNoun: 'a quote', schema: quote };
const RELEASES: Kind<Release> = { list: 'releases', noun: 'release', aNoun: 'a release', schema: release };

// Each Kind pairs a list with the schema of its entries, so the cast only restates that pairing.
const entries = <T extends { id: string }>(catalog: CatalogFile, kind: Kind<T>) => catalog[kind.list] as unknown as T[];
const withEntries = <T extends { id: string }>(catalog: CatalogFile, kind: Kind<T>, list: T[]): CatalogFile => ({ ...catalog, [kind.list]: list });

function refuse(problems: Problem[]): never {
  throw new UserError(listProblems(problems));
}

function parseEntry<T extends { id: string }>(kind: Kind<T>, input: unknown): T {
  const parsed = kind.schema.safeParse(input);
  if (!parsed.success) refuse(problemsFromZod(parsed.error, input));
  return parsed.data;
}

/**
 * Checks the catalog as it would be after the change. Problems in the changed entry read
 * from inside it ("birthday: …"); problems the change causes elsewhere name the entry
 * that would break.
 */
function settle<T extends { id: string }>(kind: Kind<T>, next: CatalogFile, index: number): CatalogFile {
  const problems = checkCatalog(next).map((problem): Problem => {
    const [list, at, ...rest] = problem.path;
    if (list === undefined) return problem;
    if (list === kind.list && at === index) return { path: rest, message: problem.message };
    const other = typeof at === 'number' && (list === 'artists' || list === 'quotes' || list === 'releases') ? next[list][at] : undefined;
    const noun = String(list).replace(/s$/, '');
    const where = rest.length > 0 ? `${formatPath(rest)}: ` : '';
    return { path: [], message: `that would break the ${noun} "${other?.id ?? String(at)}": ${where}${problem.message}` };
  });
  if (problems.length > 0) refuse(problems);
  return next;
}

function find<T extends { id: string }>(catalog: CatalogFile, kind: Kind<T>, id: string): number {
  const index = entries(catalog, kind).findIndex((entry) => entry.id === id);
  if (index === -1) throw new UserError(`There is no ${kind.noun} with the id "${id}".`);
  return index;
}

export interface Edited<T> {
  catalog: CatalogFile;
  entry: T;
}

function add<T extends { id: string }>(kind: Kind<T>, catalog: CatalogFile, input: unknown): Edited<T> {
  const entry = parseEntry(kind, input);
  const list = entries(catalog, kind);
  if (list.some((other) => other.id === entry.id)) {
    refuse([{ path: ['id'], message: `there is already ${kind.aNoun} with the id "${entry.id}"; pick another id or edit that one` }]);
  }
  return { catalog: settle(kind, withEntries(catalog, kind, [...list, entry]), list.length), entry };
}

function edit<T extends { id: string }>(kind: Kind<T>, catalog: CatalogFile, id: string, patch: object): Edited<T> {
  const index = find(catalog, kind, id);
  const list = entries(catalog, kind);
  const merged: Record<string, unknown> = { ...list[index] };
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (field === 'id' && value !== id) {
      refuse([{ path: ['id'], message: 'an id cannot be changed, since other entries point at it; add a new entry and remove this one instead' }]);
    }
    if (value === null) delete merged[field];
    else merged[field] = value;
  }
  const entry = parseEntry(kind, merged);
  const next = list.slice();
  next[index] = entry;
  return { catalog: settle(kind, withEntries(catalog, kind, next), index), entry };
}

function remove<T extends { id: string }>(kind: Kind<T>, catalog: CatalogFile, id: string): Edited<T> {
  const index = find(catalog, kind, id);
  const list = entries(catalog, kind);
  return { catalog: withEntries(catalog, kind, list.filter((_, i) => i !== index)), entry: list[index]! };
}

const quoted = (ids: string[], max = 10) => ids.slice(0, max).map((id) => `"${id}"`).join(', ') + (ids.length > max ? ` and ${ids.length - max} more` : '');

export const addArtist = (catalog: CatalogFile, input: ArtistInput) => add(ARTISTS, catalog, input);
export const editArtist = (catalog: CatalogFile, id: string, patch: Patch<ArtistInput>) => edit(ARTISTS, catalog, id, patch);

/** Refused while anything still points at the artist: removing it would leave those dangling. */
export function removeArtist(catalog: CatalogFile, id: string): Edited<Artist> {
  find(catalog, ARTISTS, id);
  const uses: string[] = [];
  const quotes = catalog.quotes.filter((q) => q.artistId === id).map((q) => q.id);
  const releases = catalog.releases.filter((r) => r.artistIds.includes(id)).map((r) => r.id);
  const members = catalog.artists.filter((a) => a.memberships.some((m) => m.groupId === id)).map((a) => a.id);
  if (quotes.length > 0) uses.push(`${quotes.length === 1 ? 'the quote' : 'the quotes'} ${quoted(quotes)}`);
  if (releases.length > 0) uses.push(`${releases.length === 1 ? 'the release' : 'the releases'} ${quoted(releases)}`);
  if (members.length > 0) uses.push(`${members.length === 1 ? 'the member' : 'the members'} ${quoted(members)}`);
  if (uses.length > 0) {
    throw new UserError(`"${id}" is still used by ${uses.join(', ')}. Remove those or point them at another artist first.`);
  }
  return remove(ARTISTS, catalog, id);
}

export const addQuote = (catalog: CatalogFile, input: QuoteInput) => add(QUOTES, catalog, input);
export const editQuote = (catalog: CatalogFile, id: string, patch: Patch<QuoteInput>) => edit(QUOTES, catalog, id, patch);
export const removeQuote = (catalog: CatalogFile, id: string) => remove(QUOTES, catalog, id);

export const addRelease = (catalog: CatalogFile, input: ReleaseInput) => add(RELEASES, catalog, input);
export const editRelease = (catalog: CatalogFile, id: string, patch: Patch<ReleaseInput>) => edit(RELEASES, catalog, id, patch);
export const removeRelease = (catalog: CatalogFile, id: string) => remove(RELEASES, catalog, id);
