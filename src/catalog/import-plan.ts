import type { CatalogFile } from './schema.ts';

/** What an import would do to one kind of entry, by id. */
export interface KindChanges {
  added: string[];
  changed: string[];
  removed: string[];
}

/**
 * A checked import, not yet applied: the catalog that would replace the stored one, what
 * that changes, and the revision it was compared against, so applying it later cannot
 * silently undo an edit made in between.
 */
export interface ImportPlan {
  catalog: CatalogFile;
  baseRevision: string;
  artists: KindChanges;
  quotes: KindChanges;
  releases: KindChanges;
}

export const KINDS = ['artists', 'quotes', 'releases'] as const;

/** Key order must not count as a change: a hand-edited file may list fields in any order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

function diff(before: readonly { id: string }[], after: readonly { id: string }[]): KindChanges {
  const old = new Map(before.map((entry) => [entry.id, canonical(entry)]));
  const fresh = new Set(after.map((entry) => entry.id));
  const changes: KindChanges = { added: [], changed: [], removed: [] };
  for (const entry of after) {
    const previous = old.get(entry.id);
    if (previous === undefined) changes.added.push(entry.id);
    else if (previous !== canonical(entry)) changes.changed.push(entry.id);
  }
  for (const entry of before) if (!fresh.has(entry.id)) changes.removed.push(entry.id);
  return changes;
}

export function planCatalogChange(before: CatalogFile, after: CatalogFile, baseRevision: string): ImportPlan {
  return {
    catalog: after,
    baseRevision,
    artists: diff(before.artists, after.artists),
    quotes: diff(before.quotes, after.quotes),
    releases: diff(before.releases, after.releases),
  };
}

export function changesNothing(plan: ImportPlan): boolean {
  return KINDS.every((kind) => plan[kind].added.length + plan[kind].changed.length + plan[kind].removed.length === 0);
}

/**
 * "Artists: 2 added, 1 changed (jimin), none removed" — for the confirmation a moderator
 * reads before applying. Lists up to `maxIds` ids per line so the reply stays short.
 */
export function describePlan(plan: ImportPlan, maxIds = 10): string {
  if (changesNothing(plan)) return 'The file matches the current catalog; importing it would change nothing.';
  const ids = (list: string[]) => {
    if (list.length === 0) return '';
    const shown = list.slice(0, maxIds).join(', ');
    return ` (${shown}${list.length > maxIds ? `, …${list.length - maxIds} more` : ''})`;
  };
  const count = (n: number, word: string) => `${n === 0 ? 'none' : n} ${word}`;
  return KINDS.map((kind) => {
    const c = plan[kind];
    const title = kind.charAt(0).toUpperCase() + kind.slice(1);
    return `${title}: ${count(c.added.length, 'added')}${ids(c.added)}, ${count(c.changed.length, 'changed')}${ids(c.changed)}, ${count(c.removed.length, 'removed')}${ids(c.removed)}`;
  }).join('\n');
}
