import type { Artist, CatalogFile, Membership, Quote, Release } from './schema.ts';
import { releaseMoment, zonedTimeToUtc } from './moment.ts';
import { isGroupLike } from './integrity.ts';

export interface MemberOf {
  group: Artist;
  membership: Membership;
}

export interface GroupMember {
  artist: Artist;
  membership: Membership;
}

const byName = (a: Artist, b: Artist) => a.name.localeCompare(b.name, 'en') || a.id.localeCompare(b.id);

/** The groups and units an artist belongs (or belonged) to, current ones first. */
export function groupsOf(catalog: CatalogFile, artistId: string): MemberOf[] {
  const artist = catalog.artists.find((a) => a.id === artistId);
  if (!artist) return [];
  const artists = new Map(catalog.artists.map((a) => [a.id, a]));
  const found: MemberOf[] = [];
  for (const membership of artist.memberships) {
    const group = artists.get(membership.groupId);
    if (group) found.push({ group, membership });
  }
  return found.sort((a, b) => Number(b.membership.current) - Number(a.membership.current));
}

/** A group's members (current ones first, then by name); former ones only when asked. */
export function membersOf(catalog: CatalogFile, groupId: string, options: { former?: boolean } = {}): GroupMember[] {
  const members: GroupMember[] = [];
  for (const artist of catalog.artists) {
    const membership = artist.memberships.find((m) => m.groupId === groupId);
    if (membership && (membership.current || options.former)) members.push({ artist, membership });
  }
  return members.sort((a, b) => Number(b.membership.current) - Number(a.membership.current) || byName(a.artist, b.artist));
}

/**
 * The artists whose work counts as this artist's: itself and the groups it is in now
 * ("Jimin's next release" includes the next BTS release), or for a group, itself and its
 * current members (a quote by a member is a quote from the group's world).
 */
function circleOf(catalog: CatalogFile, artistId: string, towards: 'groups' | 'members'): Set<string> {
  const ids = new Set([artistId]);
  const artist = catalog.artists.find((a) => a.id === artistId);
  if (!artist) return ids;
  if (towards === 'groups') {
    for (const m of artist.memberships) if (m.current) ids.add(m.groupId);
  } else if (isGroupLike(artist)) {
    for (const { artist: member } of membersOf(catalog, artistId)) ids.add(member.id);
  }
  return ids;
}

export function quotesFor(catalog: CatalogFile, artistId?: string): Quote[] {
  if (artistId === undefined) return catalog.quotes;
  const ids = circleOf(catalog, artistId, 'members');
  return catalog.quotes.filter((quote) => ids.has(quote.artistId));
}

function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/**
 * Until when a release counts as upcoming: its moment, or with no announced time, the
 * end of its day in its zone — an evening drop "sometime today" has not passed at noon.
 */
export function upcomingUntil(release: Release): number {
  return release.time ? releaseMoment(release) : zonedTimeToUtc(nextDay(release.date), '00:00', release.timeZone);
}

export interface UpcomingOptions {
  /** Only this artist's releases (and its current groups'). */
  artistId?: string | undefined;
  /** Only releases within this many days from now. */
  withinDays?: number | undefined;
  now: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Releases that have not come out yet, soonest first. */
export function upcomingReleases(catalog: CatalogFile, options: UpcomingOptions): Release[] {
  const ids = options.artistId === undefined ? undefined : circleOf(catalog, options.artistId, 'groups');
  const horizon = options.withinDays === undefined ? Infinity : options.now + options.withinDays * DAY_MS;
  return catalog.releases
    .filter((release) => !ids || release.artistIds.some((id) => ids.has(id)))
    .map((release) => ({ release, moment: releaseMoment(release) }))
    .filter(({ release, moment }) => upcomingUntil(release) > options.now && moment <= horizon)
    .sort((a, b) => a.moment - b.moment || a.release.title.localeCompare(b.release.title, 'en'))
    .map(({ release }) => release);
}
