import type { APIEmbed, RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { MARKDOWN_ATOMS, escapeMarkdown } from '../text/markdown.ts';
import { truncate } from '../text/truncate.ts';
import type { Announcement } from './announcement-due.ts';
import type { Artist, Release, ReleaseType } from './schema.ts';
import { DISCORD_LIMITS } from '../discord/limits.ts';

/** Discord's embed limits (see /work/shared/discord-api-notes.md). */
const RELEASE_COLOR = 0xff5fa2;
const BIRTHDAY_COLOR = 0xffc94d;

export const TYPE_LABELS: Record<ReleaseType, string> = {
  album: 'Album',
  'mini-album': 'Mini album',
  single: 'Single',
  'single-album': 'Single album',
  'digital-single': 'Digital single',
  ost: 'OST',
  'pre-release': 'Pre-release',
  repackage: 'Repackage album',
  japanese: 'Japanese release',
  mv: 'Music video',
  other: 'Release',
};

/**
 * The message for one announcement. Catalog text is typed by moderators, so it is
 * escaped (it cannot form links or mentions) and `allowed_mentions` pings nobody.
 */
export function formatAnnouncement(
  announcement: Announcement,
  artistsById: ReadonlyMap<string, Artist>,
): RESTPostAPIChannelMessageJSONBody {
  const embed =
    announcement.kind === 'birthday'
      ? birthdayEmbed(announcement.artist, announcement.age, artistsById)
      : releaseEmbed(announcement.release, announcement.kind, announcement.releaseAt, artistsById);
  return { embeds: [embed], allowed_mentions: { parse: [] } };
}

function releaseEmbed(
  release: Release,
  kind: 'release' | 'reminder',
  releaseAt: number,
  artistsById: ReadonlyMap<string, Artist>,
): APIEmbed {
  const timeKnown = release.time !== undefined;
  const prefix = kind === 'reminder' ? 'Tomorrow' : timeKnown ? 'Out now' : 'Out today';
  const names = joinNames(release.artistIds.map((id) => artistsById.get(id)?.name ?? id));
  const label = TYPE_LABELS[release.type];
  const kindLine = release.relatedWork
    ? release.type === 'ost'
      ? `OST for ${release.relatedWork}`
      : `${label} · ${release.relatedWork}`
    : label;

  const lines = [`**${clip(escapeMarkdown(names), 1000)}**`, escapeMarkdown(kindLine)];
  if (timeKnown) {
    // Discord renders these in each reader's own time zone.
    const stamp = Math.floor(releaseAt / 1000);
    lines.push(`${kind === 'reminder' ? 'Out' : 'Released'} <t:${stamp}:F> (<t:${stamp}:R>)`);
  } else {
    // Posted at the start of the day, before the release: present tense, and no hour to give.
    const day = `${longDate(release.date)} (${release.timeZone})`;
    lines.push(kind === 'reminder' ? `Out on ${day}; time not announced yet` : `Out today, ${day}; time not announced yet`);
  }
  const embed: APIEmbed = {
    title: clip(escapeMarkdown(`${prefix}: ${release.title}`), DISCORD_LIMITS.title),
    description: withLinks(lines, release.links),
    color: RELEASE_COLOR,
  };
  const first = release.links[0];
  if (first) embed.url = first.url;
  return embed;
}

function birthdayEmbed(artist: Artist, age: number | undefined, artistsById: ReadonlyMap<string, Artist>): APIEmbed {
  const native = artist.nativeNames.length > 0 ? ` (${artist.nativeNames.join(', ')})` : '';
  const lines = [`**${escapeMarkdown(artist.name)}**${escapeMarkdown(native)}`];
  const groups = artist.memberships
    .filter((membership) => membership.current)
    .map((membership) => artistsById.get(membership.groupId)?.name ?? membership.groupId);
  if (groups.length > 0) lines.push(escapeMarkdown(groups.join(' · ')));
  if (age !== undefined) lines.push(`Turns ${age} today.`);
  const embed: APIEmbed = {
    title: clip(escapeMarkdown(`Happy birthday, ${artist.name}! 🎂`), DISCORD_LIMITS.title),
    description: withLinks(lines, artist.links),
    color: BIRTHDAY_COLOR,
  };
  if (artist.image) embed.thumbnail = { url: artist.image };
  return embed;
}

/** "Jimin", "Jimin & Ha Sung Woon", "A, B & C". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} & ${names[names.length - 1]}`;
}

/**
 * Text lines first, then as many whole links as still fit: a link cut in half would
 * point somewhere else, so links are dropped rather than truncated.
 */
function withLinks(lines: string[], links: readonly { label: string; url: string }[]): string {
  let description = clip(lines.join('\n'), DISCORD_LIMITS.description);
  let separator = '\n';
  for (const link of links) {
    const piece = `${separator}[${escapeMarkdown(link.label)}](${linkTarget(link.url)})`;
    if (description.length + piece.length > DISCORD_LIMITS.description) break;
    description += piece;
    separator = ' · ';
  }
  return description;
}

/** Parentheses and spaces would end a Markdown link early; percent-encoding keeps the address. */
function linkTarget(url: string): string {
  let href = url;
  try {
    href = new URL(url).href;
  } catch {
    // The schema only lets http(s) URLs in; keep the text as given if one slipped past.
  }
  return href.replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function clip(text: string, max: number): string {
  return truncate(text, max, { keepWhole: MARKDOWN_ATOMS });
}

function longDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}
