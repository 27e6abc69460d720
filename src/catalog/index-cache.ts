import type { NameIndex } from './name-index.ts';

interface Cached {
  revision: string;
  index: Promise<NameIndex>;
}

/**
 * Name indexes by guild, each valid for one catalog revision. Keeps the most recently
 * used guilds only: an index over a full catalog is a few megabytes, and a bot in many
 * servers sees autocomplete from a handful at a time.
 */
export class IndexCache {
  readonly #entries = new Map<string, Cached>();

  constructor(private readonly capacity = 200) {}

  /** The index for this revision, building it once even when many keystrokes ask at once. */
  async get(guildId: string, revision: string, build: () => Promise<NameIndex>): Promise<NameIndex> {
    const cached = this.#entries.get(guildId);
    this.#entries.delete(guildId);
    if (cached && cached.revision === revision) {
      this.#entries.set(guildId, cached);
      return cached.index;
    }
    const entry: Cached = { revision, index: build() };
    this.#entries.set(guildId, entry);
    // A failed build must not stay cached: the next keystroke tries again.
    entry.index.catch(() => {
      if (this.#entries.get(guildId) === entry) this.#entries.delete(guildId);
    });
    while (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    return entry.index;
  }
}
