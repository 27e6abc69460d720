import { dateInZone, releaseMoment, zonedTimeToUtc } from './moment.ts';
import type { Artist, CatalogSettings, Release } from './schema.ts';

/**
 * Which scheduled posts a guild's catalog implies, as a pure function of the catalog and
 * a time window. Nothing is stored about the schedule itself: an edited release date
 * simply yields a different moment (and key) on the next computation, so the old moment
 * stops existing instead of needing to be cancelled.
 *
 * A release's posts are keyed by the release and its date (on its own calendar), not by
 * its exact moment: a time announced or corrected during the day ("18:00" → "19:00", or
 * a day-only release that learns its hour) is the same release day, and must not post
 * "Out now" a second time. Another date is another release day, with its own posts.
 */

export type Announcement =
  | {
      kind: 'release' | 'reminder';
      /** Identity of the post: the same release on the same date always has the same key. */
      key: string;
      /**
       * The key the same post had while keys held the exact moment. Marks written then
       * still count, so the first start after the change does not post again what the
       * last one did; once those marks are older than the look-back this matters no more.
       */
      formerKey: string;
      /** When the post is due. */
      moment: number;
      release: Release;
      /** When the release itself comes out (equals `moment` for kind `release`). */
      releaseAt: number;
    }
  | {
      kind: 'birthday';
      key: string;
      moment: number;
      artist: Artist;
      /** The year being celebrated, on the guild's calendar. */
      year: number;
      /** Undefined when the birth year is a placeholder. */
      age: number | undefined;
    };

export interface AnnouncementInput {
  releases: readonly Release[];
  artists: readonly Artist[];
  settings: Pick<CatalogSettings, 'remindDayBefore' | 'timeZone'>;
}

/**
 * Catalogs fill an unknown birth year with a placeholder such as 0000; no idol was born
 * before this, so an earlier year means "year not known" and the post shows no age.
 */
export const EARLIEST_BIRTH_YEAR = 1900;

const ORDER = { reminder: 0, release: 1, birthday: 2 } as const;

/** Every announcement whose moment lies in [from, to], oldest first. */
export function announcementsBetween(input: AnnouncementInput, from: number, to: number): Announcement[] {
  const found: Announcement[] = [];
  const inWindow = (moment: number | undefined): moment is number => moment !== undefined && moment >= from && moment <= to;

  for (const release of input.releases) {
    const releaseAt = attempt(() => releaseMoment(release));
    if (releaseAt === undefined) continue;
    if (inWindow(releaseAt)) {
      const keys = { key: releaseKey('release', release), formerKey: `release:${release.id}:${releaseAt}` };
      found.push({ kind: 'release', ...keys, moment: releaseAt, release, releaseAt });
    }
    if (input.settings.remindDayBefore) {
      const remindAt = attempt(() => reminderMoment(release));
      // Keyed by the release's date, not the reminder's: a release moved to another day is a new reminder.
      if (inWindow(remindAt)) {
        const keys = { key: releaseKey('reminder', release), formerKey: `reminder:${release.id}:${releaseAt}` };
        found.push({ kind: 'reminder', ...keys, moment: remindAt, release, releaseAt });
      }
    }
  }

  const zone = input.settings.timeZone;
  const firstYear = Number(dateInZone(from, zone).slice(0, 4));
  const lastYear = Number(dateInZone(to, zone).slice(0, 4));
  for (const artist of input.artists) {
    if (!artist.birthday) continue;
    const [bornYear, month, day] = artist.birthday.split('-').map(Number) as [number, number, number];
    const yearKnown = bornYear >= EARLIEST_BIRTH_YEAR;
    for (let year = firstYear; year <= lastYear; year += 1) {
      if (yearKnown && year <= bornYear) continue;
      const moment = attempt(() => zonedTimeToUtc(birthdayIn(year, month, day), '00:00', zone));
      if (!inWindow(moment)) continue;
      // Keyed by year, not instant: a later change of the guild's time zone must not
      // celebrate the same birthday twice.
      found.push({
        kind: 'birthday',
        key: `birthday:${artist.id}:${year}`,
        moment,
        artist,
        year,
        age: yearKnown ? year - bornYear : undefined,
      });
    }
  }

  return found.sort((a, b) => a.moment - b.moment || ORDER[a.kind] - ORDER[b.kind] || a.key.localeCompare(b.key));
}

/** "release:with-you:2022-04-24": one release-day post (or reminder) per release and date. */
export function releaseKey(kind: 'release' | 'reminder', release: Pick<Release, 'id' | 'date'>): string {
  return `${kind}:${release.id}:${release.date}`;
}

/** The same wall-clock time on the previous calendar day, in the release's zone. */
export function reminderMoment(release: Pick<Release, 'date' | 'time' | 'timeZone'>): number {
  const [y, m, d] = release.date.split('-').map(Number) as [number, number, number];
  const previous = new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
  return zonedTimeToUtc(previous, release.time ?? '00:00', release.timeZone);
}

/**
 * The calendar date of a birthday in a given year. A 29 February birthday is
 * celebrated on 28 February in other years: still in the birthday's month, and the day
 * most fan communities use.
 */
export function birthdayIn(year: number, month: number, day: number): string {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const actualDay = month === 2 && day === 29 && !leap ? 28 : day;
  return `${String(year).padStart(4, '0')}-${pad(month)}-${pad(actualDay)}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A record that slipped past the schema (say an unknown zone from an old import) must
 * cost only its own post, not the whole guild's schedule on every tick.
 */
function attempt(moment: () => number): number | undefined {
  try {
    const value = moment();
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
