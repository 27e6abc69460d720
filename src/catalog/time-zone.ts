/**
 * Time zones as moderators type them, turned into the one spelling the catalog stores.
 *
 * Intl accepts any case ("asia/seoul") and a handful of legacy abbreviations, some of
 * which land somewhere nobody meant: "EST" is America/Panama (no daylight saving), "CET"
 * is Europe/Brussels. So an accepted zone is stored as Intl spells it, and a name without
 * an Area/ part is refused unless it is UTC or one of the two abbreviations this
 * community uses every day and that mean exactly one zone.
 */

const ABBREVIATIONS: Readonly<Record<string, string>> = { KST: 'Asia/Seoul', JST: 'Asia/Tokyo' };

export const UNKNOWN_ZONE = 'use a time zone name like Asia/Seoul or Europe/Paris';

export type ZoneReading = { zone: string } | { problem: string };

export function readTimeZone(typed: string): ZoneReading {
  const trimmed = typed.trim();
  const known = ABBREVIATIONS[trimmed.toUpperCase()];
  if (known) return { zone: known };
  let zone: string;
  try {
    zone = new Intl.DateTimeFormat('en', { timeZone: trimmed }).resolvedOptions().timeZone;
  } catch {
    return { problem: UNKNOWN_ZONE };
  }
  // "UTC", "GMT", "Zulu" … all resolve to UTC, which means one thing.
  if (zone === 'UTC' || trimmed.includes('/')) return { zone };
  return { problem: `"${trimmed}" is an abbreviation or an alias, not a zone name; use a zone name like America/New_York (KST and JST are understood)` };
}
