import { UserError } from '../errors.ts';
import { escapeMarkdown } from '../text/markdown.ts';
import { KeyedLock } from '../store/keyed-lock.ts';
import type { CatalogRepository } from '../store/catalog.ts';
import type { Artist, CatalogFile, Quote, Release } from './schema.ts';
import * as editing from './editing.ts';
import type { ArtistInput, Edited, Patch, QuoteInput, ReleaseInput } from './editing.ts';
import { exportCatalog, readCatalogText } from './catalog-json.ts';
import { planCatalogChange, type ImportPlan } from './import-plan.ts';
import { IndexCache } from './index-cache.ts';
import { MAX_CHOICES, NameIndex, type ArtistChoice, type NamedArtist } from './name-index.ts';
import { groupsOf, membersOf, quotesFor, upcomingReleases, type GroupMember, type MemberOf, type UpcomingOptions } from './lookup.ts';
import { pickQuote } from './quote-picker.ts';

export interface CatalogOptions {
  /** For tests: a seeded source of randomness for quote picks. */
  random?: () => number;
}

/**
 * Each server's artists, quotes and releases, for the commands and the announcer: reads
 * and lookups, validated edits, export and import. Knows nothing of Discord; every
 * member-facing failure is a UserError whose message says what to fix, and a refused
 * change writes nothing.
 */
export class Catalog {
  readonly #indexes = new IndexCache();
  readonly #channels = new KeyedLock();
  readonly #random: () => number;

  constructor(
    private readonly repo: CatalogRepository,
    options: CatalogOptions = {},
  ) {
    this.#random = options.random ?? Math.random;
  }

  load(guildId: string): Promise<CatalogFile> {
    return this.repo.load(guildId);
  }

  // Edits: each runs inside the repository's per-guild read-modify-write, so a refusal
  // (a thrown UserError) leaves the stored catalog as it was.

  addArtist(guildId: string, input: ArtistInput): Promise<Artist> {
    return this.#edit(guildId, (catalog) => editing.addArtist(catalog, input));
  }

  editArtist(guildId: string, id: string, patch: Patch<ArtistInput>): Promise<Artist> {
    return this.#edit(guildId, (catalog) => editing.editArtist(catalog, id, patch));
  }

  removeArtist(guildId: string, id: string): Promise<Artist> {
    return this.#edit(guildId, (catalog) => editing.removeArtist(catalog, id));
  }

  addQuote(guildId: string, input: QuoteInput): Promise<Quote> {
    return this.#edit(guildId, (catalog) => editing.addQuote(catalog, input));
  }

  editQuote(guildId: string, id: string, patch: Patch<QuoteInput>): Promise<Quote> {
    return this.#edit(guildId, (catalog) => editing.editQuote(catalog, id, patch));
  }

  removeQuote(guildId: string, id: string): Promise<Quote> {
    return this.#edit(guildId, (catalog) => editing.removeQuote(catalog, id));
  }

  addRelease(guildId: string, input: ReleaseInput): Promise<Release> {
    return this.#edit(guildId, (catalog) => editing.addRelease(catalog, input));
  }

  editRelease(guildId: string, id: string, patch: Patch<ReleaseInput>): Promise<Release> {
    return this.#edit(guildId, (catalog) => editing.editRelease(catalog, id, patch));
  }

  removeRelease(guildId: string, id: string): Promise<Release> {
    return this.#edit(guildId, (catalog) => editing.removeRelease(catalog, id));
  }

  async #edit<T>(guildId: string, change: (catalog: CatalogFile) => Edited<T>): Promise<T> {
    let entry: T | undefined;
    await this.repo.update(guildId, (catalog) => {
      const edited = change(catalog);
      entry = edited.entry;
      return edited.catalog;
    });
    return entry as T;
  }

  // Lookups.

  /** Autocomplete choices for an artist option: "Jimin — BTS" → "jimin". */
  async autocomplete(guildId: string, query: string, limit = MAX_CHOICES): Promise<ArtistChoice[]> {
    return (await this.#index(guildId)).search(query, limit);
  }

  /**
   * By id (what autocomplete fills in), else by any exact name; undefined when nothing
   * matches. A name two artists share equally (a BTS Jimin and an AOA Jimin) is refused
   * with both listed, never settled by a guess: whatever was asked for or written would
   * be about the wrong idol half the time.
   */
  async findArtist(guildId: string, idOrName: string): Promise<Artist | undefined> {
    const catalog = await this.repo.load(guildId);
    const wanted = idOrName.trim();
    const byId = catalog.artists.find((artist) => artist.id === wanted);
    if (byId) return byId;
    const named = (await this.#index(guildId)).named(wanted);
    if (named.length > 1) throw new UserError(severalCalled(wanted, named));
    return named[0]?.artist;
  }

  /** Like findArtist, for commands: a miss is the member's to fix. */
  async requireArtist(guildId: string, idOrName: string): Promise<Artist> {
    const artist = await this.findArtist(guildId, idOrName);
    if (!artist) throw new UserError(`No artist called "${idOrName.trim()}" in this server's catalog. Pick one from the suggestions.`);
    return artist;
  }

  async groupsOf(guildId: string, artistId: string): Promise<MemberOf[]> {
    return groupsOf(await this.repo.load(guildId), artistId);
  }

  async membersOf(guildId: string, groupId: string, options: { former?: boolean } = {}): Promise<GroupMember[]> {
    return membersOf(await this.repo.load(guildId), groupId, options);
  }

  /**
   * A random quote (of an artist, or for a group of it and its current members), never
   * the one this channel saw last when another exists. The memory is stored, so a
   * restart does not repeat one either.
   */
  async randomQuote(guildId: string, options: { artistId?: string | undefined; channelId: string }): Promise<Quote | undefined> {
    return this.#channels.run(`${guildId}:${options.channelId}`, async () => {
      const candidates = quotesFor(await this.repo.load(guildId), options.artistId);
      const last = await this.repo.lastQuoteId(guildId, options.channelId);
      const picked = pickQuote(candidates, last, this.#random);
      if (picked) await this.repo.setLastQuoteId(guildId, options.channelId, picked.id);
      return picked;
    });
  }

  /** Releases not out yet, soonest first; with an artist, its releases and its current groups'. */
  async upcomingReleases(guildId: string, options: UpcomingOptions): Promise<Release[]> {
    return upcomingReleases(await this.repo.load(guildId), options);
  }

  async nextReleaseFor(guildId: string, artistId: string, now: number): Promise<Release | undefined> {
    return (await this.upcomingReleases(guildId, { artistId, now }))[0];
  }

  // Export and import.

  async exportCatalog(guildId: string): Promise<string> {
    return exportCatalog(await this.repo.load(guildId));
  }

  /** Checks a whole file and says what it would change; writes nothing. */
  async planImport(guildId: string, text: string): Promise<ImportPlan> {
    const incoming = readCatalogText(text);
    const { revision, catalog } = await this.repo.document(guildId);
    return planCatalogChange(catalog, incoming, revision);
  }

  /** Applies a plan all at once, unless the catalog changed since it was planned. */
  async applyImport(guildId: string, plan: ImportPlan): Promise<void> {
    const written = await this.repo.replace(guildId, plan.catalog, { ifRevision: plan.baseRevision });
    if (written === undefined) {
      throw new UserError('The catalog changed while this import waited for confirmation, so nothing was imported. Run the import again to see the changes against the current catalog.');
    }
  }

  async #index(guildId: string): Promise<NameIndex> {
    const revision = await this.repo.revision(guildId);
    return this.#indexes.get(guildId, revision, async () => NameIndex.build(await this.repo.artists(guildId)));
  }
}

/** How many same-named artists a refusal lists; past that the member narrows it down with the list. */
const MAX_LISTED_NAMESAKES = 10;

/** "Several artists are called Jimin: Jimin — AOA (`jimin-aoa`), Jimin — BTS (`jimin`). Pick one from the list." */
function severalCalled(typed: string, named: readonly NamedArtist[]): string {
  const shown = named.slice(0, MAX_LISTED_NAMESAKES).map(({ artist, label }) => `${escapeMarkdown(label)} (\`${artist.id}\`)`);
  const rest = named.length - shown.length;
  if (rest > 0) shown.push(`and ${rest} more`);
  const name = [...typed].length > 100 ? `${[...typed].slice(0, 99).join('')}…` : typed;
  return `Several artists are called ${escapeMarkdown(name)}: ${shown.join(', ')}. Pick one from the list.`;
}
