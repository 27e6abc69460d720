import type { Artist, CatalogFile } from './schema.ts';
import type { Problem } from './issues.ts';
import { MAX_CATALOG_BYTES, formatBytes } from './limits.ts';

const GROUP_KINDS: ReadonlySet<Artist['kind']> = new Set(['group', 'unit']);

export const isGroupLike = (artist: Artist): boolean => GROUP_KINDS.has(artist.kind);

/** Bytes the catalog takes in the store; the same measure for edits and imports. */
export function storedSize(file: CatalogFile): number {
  return Buffer.byteLength(JSON.stringify(file), 'utf8');
}

function duplicateIds(entries: readonly { id: string }[], kind: string, noun: string, problems: Problem[]): void {
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    if (seen.has(entry.id)) problems.push({ path: [kind, index, 'id'], message: `another ${noun} already has the id "${entry.id}"` });
    seen.add(entry.id);
  });
}

/**
 * What the schema cannot see entry by entry: ids unique within each kind, every
 * reference pointing at an artist that exists (and memberships at a group or unit), and
 * the whole catalog within its size. A valid schema plus no problems here is what the
 * store may hold.
 */
export function checkCatalog(file: CatalogFile): Problem[] {
  const problems: Problem[] = [];
  duplicateIds(file.artists, 'artists', 'artist', problems);
  duplicateIds(file.quotes, 'quotes', 'quote', problems);
  duplicateIds(file.releases, 'releases', 'release', problems);

  const artists = new Map(file.artists.map((artist) => [artist.id, artist]));
  const unknown = (id: string) => `no artist has the id "${id}"; add that artist first`;

  file.artists.forEach((artist, index) => {
    const groups = new Set<string>();
    artist.memberships.forEach((membership, m) => {
      const path = ['artists', index, 'memberships', m, 'groupId'];
      const group = artists.get(membership.groupId);
      if (membership.groupId === artist.id) problems.push({ path, message: 'an artist cannot be a member of itself' });
      else if (!group) problems.push({ path, message: unknown(membership.groupId) });
      else if (!isGroupLike(group)) problems.push({ path, message: `"${group.id}" is a ${group.kind}; memberships point at a group or a unit` });
      else if (groups.has(membership.groupId)) problems.push({ path, message: `"${membership.groupId}" is listed twice` });
      groups.add(membership.groupId);
    });
  });

  file.quotes.forEach((quote, index) => {
    if (!artists.has(quote.artistId)) problems.push({ path: ['quotes', index, 'artistId'], message: unknown(quote.artistId) });
  });

  file.releases.forEach((release, index) => {
    const listed = new Set<string>();
    release.artistIds.forEach((id, a) => {
      const path = ['releases', index, 'artistIds', a];
      if (!artists.has(id)) problems.push({ path, message: unknown(id) });
      else if (listed.has(id)) problems.push({ path, message: `"${id}" is listed twice` });
      listed.add(id);
    });
  });

  const size = storedSize(file);
  if (size > MAX_CATALOG_BYTES) {
    problems.push({ path: [], message: `the catalog would take ${formatBytes(size)}; a server's catalog may take at most ${formatBytes(MAX_CATALOG_BYTES)}` });
  }
  return problems;
}
