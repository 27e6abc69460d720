import { z } from 'zod';
import { readTimeZone } from './time-zone.ts';

/**
 * The catalog's shapes. One schema serves moderator commands, imports, exports and the
 * starter pack, so whatever enters the store went through the same checks. Objects are
 * strict: a misspelt field in an imported file ("birthdate") is refused by name rather
 * than silently dropped, which would leave the preview saying nothing changed.
 */

export const slug = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single hyphens, like "ha-sung-woon"');

/** A calendar date that exists (2022-02-30 does not). */
export const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'write dates as YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'that date does not exist');

/** A wall-clock time, HH:MM, 24-hour. */
export const localTime = z
  .string()
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'write times as HH:MM (24-hour), like 18:00');

/** A zone as Intl spells it ("asia/seoul" → "Asia/Seoul"; KST → Asia/Seoul); abbreviations refused. */
export const timeZone = z
  .string()
  .trim()
  .transform((typed, ctx) => {
    const reading = readTimeZone(typed);
    if ('zone' in reading) return reading.zone;
    ctx.issues.push({ code: 'custom', message: reading.problem, input: typed });
    return z.NEVER;
  });

export const httpUrl = z
  .string()
  .trim()
  .max(512)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http(s) link');

const shortText = (max: number) => z.string().trim().min(1).max(max);

export const link = z.strictObject({ label: shortText(32), url: httpUrl });

export const artistKinds = ['group', 'soloist', 'member', 'unit'] as const;

export const membership = z.strictObject({
  /** The group or unit's artist id. */
  groupId: slug,
  position: shortText(100).optional(),
  /** The name used in that group when it differs from the main stage name. */
  stageName: shortText(100).optional(),
  /** False for former members. */
  current: z.boolean().default(true),
});

export const artist = z.strictObject({
  id: slug,
  name: shortText(100),
  /** Names in other scripts: Hangul, Japanese, Chinese. */
  nativeNames: z.array(shortText(100)).max(10).default([]),
  birthName: shortText(100).optional(),
  /** Former names, romanisation variants, nicknames. */
  aliases: z.array(shortText(100)).max(30).default([]),
  kind: z.enum(artistKinds),
  memberships: z.array(membership).max(20).default([]),
  birthday: isoDate.optional(),
  debut: isoDate.optional(),
  agency: shortText(100).optional(),
  fandom: shortText(100).optional(),
  links: z.array(link).max(10).default([]),
  image: httpUrl.optional(),
  description: shortText(1000).optional(),
});

export const quote = z.strictObject({
  id: slug,
  artistId: slug,
  text: shortText(1000),
  source: z.strictObject({ title: shortText(200), url: httpUrl }),
  /** When it was said, if known. */
  date: isoDate.optional(),
});

export const releaseTypes = [
  'album',
  'mini-album',
  'single',
  'single-album',
  'digital-single',
  'ost',
  'pre-release',
  'repackage',
  'japanese',
  'mv',
  'other',
] as const;

export const release = z.strictObject({
  id: slug,
  artistIds: z.array(slug).min(1).max(20),
  title: shortText(200),
  type: z.enum(releaseTypes),
  date: isoDate,
  /** Local wall-clock time in timeZone; absent when not announced yet. */
  time: localTime.optional(),
  /** K-pop releases are announced in KST. */
  timeZone: timeZone.default('Asia/Seoul'),
  /** The drama, film or game an OST belongs to. */
  relatedWork: shortText(200).optional(),
  links: z.array(link).max(10).default([]),
});

export const CATALOG_FORMAT_VERSION = 1;

export const catalogFile = z.strictObject({
  version: z.literal(CATALOG_FORMAT_VERSION),
  artists: z.array(artist).max(5000),
  quotes: z.array(quote).max(20000),
  releases: z.array(release).max(5000),
});

export type Artist = z.infer<typeof artist>;
export type ArtistInput = z.input<typeof artist>;
export type Membership = z.infer<typeof membership>;
export type Quote = z.infer<typeof quote>;
export type Release = z.infer<typeof release>;
export type ReleaseType = (typeof releaseTypes)[number];
export type CatalogFile = z.infer<typeof catalogFile>;

/** Per-server catalog settings. */
export const catalogSettings = z.object({
  /** Where release-day and birthday posts go; none until a moderator picks one. */
  announceChannelId: z.string().regex(/^\d{17,20}$/).optional(),
  /** Also post a reminder a day before each release. */
  remindDayBefore: z.boolean().default(false),
  /** Birthdays are celebrated on this zone's calendar. */
  timeZone: timeZone.default('Asia/Seoul'),
});
export type CatalogSettings = z.infer<typeof catalogSettings>;
