import type { Release } from './schema.ts';

/**
 * The UTC instant of a wall-clock time in a time zone, without a date library: guess
 * the instant as if the zone were UTC, read what the zone's clock shows then, and
 * correct by the difference (twice, to settle across a DST change).
 */
export function zonedTimeToUtc(date: string, time: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wanted = Date.UTC(y, m - 1, d, hh, mm);
  let guess = wanted;
  for (let i = 0; i < 2; i += 1) guess += wanted - wallClockAsUtc(guess, timeZone);
  return guess;
}

function wallClockAsUtc(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
}

/**
 * When a release comes out. With no announced time the day itself is what is known, so
 * its moment is the start of that day in the release's zone.
 */
export function releaseMoment(release: Pick<Release, 'date' | 'time' | 'timeZone'>): number {
  return zonedTimeToUtc(release.date, release.time ?? '00:00', release.timeZone);
}

/** Today's date (YYYY-MM-DD) on a zone's calendar. */
export function dateInZone(instant: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));
}
