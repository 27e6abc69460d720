import { randomUUID } from 'node:crypto';
import type Keyv from 'keyv';
import { KeyedLock } from './keyed-lock.ts';
import { catalogSettings, type Artist, type CatalogFile, type CatalogSettings, type Quote, type Release } from '../catalog/schema.ts';
import { starterPack } from '../catalog/starter-pack.ts';

/** One stored catalog: revision and content travel together, so they cannot disagree. */
export interface CatalogDocument {
  revision: string;
  catalog: CatalogFile;
}

/** What a guild that never changed its catalog reads as; stable so caches keep working. */
export const STARTER_REVISION = 'starter';

/** How long the "last quote posted here" memory lasts; enough to never repeat in a row. */
const LAST_QUOTE_TTL_MS = 30 * 24 * 60 * 60 * 1000;

const GUILDS = 'catalog:guilds';
const doc = (guildId: string) => `catalog:doc:${guildId}`;
// A small copy of the document's revision: autocomplete checks it on every keystroke
// and must not read a whole catalog to learn nothing changed.
const rev = (guildId: string) => `catalog:rev:${guildId}`;
const settingsKey = (guildId: string) => `catalog:settings:${guildId}`;
const lastQuote = (guildId: string, channelId: string) => `catalog:last-quote:${guildId}:${channelId}`;

/**
 * Stored settings, checked. A zone saved before zones were checked strictly (an
 * abbreviation like "EST") is kept as it is: refusing it here would stop the guild's
 * posts on every tick, and a moderator replaces it with /catalog announce.
 */
function readSettings(stored: object): CatalogSettings {
  const parsed = catalogSettings.safeParse(stored);
  if (parsed.success) return parsed.data;
  const { timeZone: zone, ...rest } = stored as { timeZone?: unknown };
  if (typeof zone !== 'string' || !intlKnows(zone)) throw parsed.error;
  return { ...catalogSettings.parse(rest), timeZone: zone };
}

function intlKnows(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Each guild's catalog as one document, so an import replaces all of it at once and no
 * reader ever sees half an edit. A guild that never changed anything has no document and
 * reads as the starter pack; the first change writes the pack plus that change.
 */
export class CatalogRepository {
  readonly #lock = new KeyedLock();
  readonly #starter: () => CatalogFile;

  constructor(
    private readonly kv: Keyv,
    starter: () => CatalogFile = starterPack,
  ) {
    this.#starter = starter;
    // Read once now: a broken starter pack should stop the start-up, not the first command.
    starter();
  }

  /** Guilds with a stored catalog or settings. */
  async guildIds(): Promise<string[]> {
    return (await this.kv.get<string[]>(GUILDS)) ?? [];
  }

  async settings(guildId: string): Promise<CatalogSettings> {
    return readSettings((await this.kv.get<CatalogSettings>(settingsKey(guildId))) ?? {});
  }

  async saveSettings(guildId: string, settings: CatalogSettings): Promise<void> {
    await this.#lock.run(settingsKey(guildId), async () => {
      await this.kv.set(settingsKey(guildId), catalogSettings.parse(settings));
    });
    await this.#remember(guildId);
  }

  /** Read-modify-write of the settings, so two moderators' changes do not overwrite each other. */
  async updateSettings(guildId: string, change: (settings: CatalogSettings) => CatalogSettings): Promise<CatalogSettings> {
    const next = await this.#lock.run(settingsKey(guildId), async () => {
      const current = await this.settings(guildId);
      const changed = change(current);
      // Only a zone already stored gets the lenient reading; a new one must pass the schema.
      const updated = changed.timeZone === current.timeZone ? readSettings(changed) : catalogSettings.parse(changed);
      await this.kv.set(settingsKey(guildId), updated);
      return updated;
    });
    await this.#remember(guildId);
    return next;
  }

  async artists(guildId: string): Promise<Artist[]> {
    return (await this.load(guildId)).artists;
  }

  async releases(guildId: string): Promise<Release[]> {
    return (await this.load(guildId)).releases;
  }

  async quotes(guildId: string): Promise<Quote[]> {
    return (await this.load(guildId)).quotes;
  }

  async load(guildId: string): Promise<CatalogFile> {
    return (await this.document(guildId)).catalog;
  }

  /** The catalog with the revision it was read at, for callers that cache what they derive from it. */
  async document(guildId: string): Promise<CatalogDocument> {
    const stored = await this.kv.get<CatalogDocument>(doc(guildId));
    return stored ?? { revision: STARTER_REVISION, catalog: this.#starter() };
  }

  /** Changes whenever the catalog does; cheap to read. */
  async revision(guildId: string): Promise<string> {
    return (await this.kv.get<string>(rev(guildId))) ?? STARTER_REVISION;
  }

  /**
   * Replaces the whole catalog. With `ifRevision`, only when the catalog is still the one
   * that was checked (an import planned against it); returns the new revision, or
   * undefined when it changed meanwhile and nothing was written.
   */
  async replace(guildId: string, catalog: CatalogFile, options: { ifRevision?: string } = {}): Promise<string | undefined> {
    return this.#lock.run(doc(guildId), async () => {
      if (options.ifRevision !== undefined && (await this.#currentRevision(guildId)) !== options.ifRevision) return undefined;
      return this.#write(guildId, catalog);
    });
  }

  /**
   * Read-modify-write of the catalog, one at a time per guild. When `change` throws,
   * nothing is written and the error reaches the caller.
   */
  async update(guildId: string, change: (catalog: CatalogFile) => CatalogFile): Promise<CatalogFile> {
    return this.#lock.run(doc(guildId), async () => {
      const next = change(await this.load(guildId));
      await this.#write(guildId, next);
      return next;
    });
  }

  /** Forgets a guild entirely (the bot left it): catalog, settings and its place in the index. */
  async forget(guildId: string): Promise<void> {
    await this.#lock.run(doc(guildId), async () => {
      await this.kv.delete(rev(guildId));
      await this.kv.delete(doc(guildId));
    });
    await this.kv.delete(settingsKey(guildId));
    await this.#lock.run(GUILDS, async () => {
      const ids = await this.guildIds();
      if (ids.includes(guildId)) await this.kv.set(GUILDS, ids.filter((id) => id !== guildId));
    });
  }

  async lastQuoteId(guildId: string, channelId: string): Promise<string | undefined> {
    return (await this.kv.get<string>(lastQuote(guildId, channelId))) ?? undefined;
  }

  async setLastQuoteId(guildId: string, channelId: string, quoteId: string): Promise<void> {
    await this.kv.set(lastQuote(guildId, channelId), quoteId, LAST_QUOTE_TTL_MS);
  }

  async #currentRevision(guildId: string): Promise<string> {
    // The document, not the copy: it is what a replace would overwrite.
    return (await this.kv.get<CatalogDocument>(doc(guildId)))?.revision ?? STARTER_REVISION;
  }

  async #write(guildId: string, catalog: CatalogFile): Promise<string> {
    const revision = randomUUID();
    await this.kv.set(doc(guildId), { revision, catalog } satisfies CatalogDocument);
    // After the document: whoever sees the new revision can already read the new catalog.
    await this.kv.set(rev(guildId), revision);
    await this.#remember(guildId);
    return revision;
  }

  async #remember(guildId: string): Promise<void> {
    await this.#lock.run(GUILDS, async () => {
      const ids = await this.guildIds();
      if (!ids.includes(guildId)) await this.kv.set(GUILDS, [...ids, guildId]);
    });
  }
}
