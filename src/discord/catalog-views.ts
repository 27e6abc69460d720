import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent, type APIEmbed, type APIEmbedField } from 'discord.js';
import { birthdayIn, EARLIEST_BIRTH_YEAR } from '../catalog/announcement-due.ts';
import { joinNames, TYPE_LABELS } from '../catalog/announcement-format.ts';
import type { GroupMember, MemberOf } from '../catalog/lookup.ts';
import { dateInZone, releaseMoment } from '../catalog/moment.ts';
import type { Artist, Quote, Release } from '../catalog/schema.ts';
import { escapeMarkdown } from '../text/markdown.ts';
import { truncate } from '../text/truncate.ts';
import { DISCORD_LIMITS } from './limits.ts';

/**
 * What the member commands (/artist, /quote, /releases) show, as pure functions of
 * catalog data and a clock. Catalog text is typed by moderators, so it is escaped (it
 * cannot form links, mentions or formatting), and everything is cut to Discord's embed
 * limits before it leaves here, never in the middle of a link or a timestamp.
 */

const COLOR = 0xff5fa2;

/** Spans a cut must not split: a Markdown link, a Discord timestamp, an escape pair, a bare URL. */
const ATOMS = /\[(?:\\.|[^\\\]])*\]\([^)\s]*\)|<t:-?\d+(?::[tTdDfFR])?>|\\[^\s]|\bhttps?:\/\/[^\s<>]+/g;

export function clip(text: string, max: number): string {
  return truncate(text, max, { keepWhole: ATOMS, wordWindow: 20 });
}

/** Whole items while they fit, then "…and N more"; at most `max` characters. */
export function fitList(items: readonly string[], max: number, separator = '\n'): string {
  const more = (n: number) => `${separator}…and ${n} more`;
  let out = '';
  for (const [index, item] of items.entries()) {
    const piece = index === 0 ? item : `${separator}${item}`;
    const after = items.length - index - 1;
    // Room for the "…and N more" that must follow if a later item does not fit.
    if (out.length + piece.length + (after > 0 ? more(after).length : 0) <= max) {
      out += piece;
      continue;
    }
    if (index > 0) return out + more(items.length - index);
    // Not even the first item fits: it is cut.
    return after === 0 ? clip(item, max) : clip(item, max - more(after).length) + more(after);
  }
  return out;
}

/** A Markdown link whose label cannot end it early and whose address keeps its parentheses. */
export function markdownLink(label: string, url: string): string {
  let href = url;
  try {
    href = new URL(url).href;
  } catch {
    // The schema lets only http(s) URLs in; keep the text as given if one slipped past.
  }
  href = href.replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `[${escapeMarkdown(label)}](${href})`;
}

const stamp = (ms: number, style: 'F' | 'R' | 'D') => `<t:${Math.floor(ms / 1000)}:${style}>`;

/** "13 October 1995", or "13 October" without a year. A calendar date, so no time zone moves it. */
export function longDate(date: string, withYear = true): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const utc = new Date(Date.UTC(2000, m - 1, d));
  utc.setUTCFullYear(y);
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', ...(withYear ? { year: 'numeric' } : {}) }).format(utc);
}

/**
 * The age on `today` (YYYY-MM-DD) of someone born on `birthday`, on the same rule the
 * birthday posts follow (29 February counts on 28 February in other years); undefined
 * when the birth year is a placeholder or lies ahead.
 */
export function ageOn(birthday: string, today: string): number | undefined {
  const [bornYear, month, day] = birthday.split('-').map(Number) as [number, number, number];
  const year = Number(today.slice(0, 4));
  if (bornYear < EARLIEST_BIRTH_YEAR) return undefined;
  const age = year - bornYear - (today < birthdayIn(year, month, day) ? 1 : 0);
  return age >= 0 ? age : undefined;
}

/** "13 October 1995 (age 26)"; on the day itself, "(turns 27 today 🎂)". */
export function birthdayText(birthday: string, today: string): string {
  const [bornYear, month, day] = birthday.split('-').map(Number) as [number, number, number];
  const yearKnown = bornYear >= EARLIEST_BIRTH_YEAR;
  const date = longDate(birthday, yearKnown);
  const age = ageOn(birthday, today);
  const isToday = today.slice(5) === birthdayIn(Number(today.slice(0, 4)), month, day).slice(5);
  if (isToday) return `${date} (${age === undefined ? 'today' : `turns ${age} today`} 🎂)`;
  return age === undefined ? date : `${date} (age ${age})`;
}

/** "OST for Our Blues", "Mini album", "Album · Our Blues". */
export function releaseKind(release: Release): string {
  if (!release.relatedWork) return TYPE_LABELS[release.type];
  return release.type === 'ost' ? `OST for ${release.relatedWork}` : `${TYPE_LABELS[release.type]} · ${release.relatedWork}`;
}

/**
 * When a release comes out, in each reader's own time zone when the time is known. A
 * date alone stays a calendar date in the release's zone: a midnight-KST timestamp would
 * read as the day before in the Americas.
 */
export function releaseWhen(release: Release): string {
  if (release.time === undefined) return `${longDate(release.date)} (${release.timeZone} date; time not announced)`;
  const moment = releaseMoment(release);
  return `${stamp(moment, 'F')} (${stamp(moment, 'R')})`;
}

/** `**With You** — Jimin & Ha Sung Woon · OST for Our Blues · <t:…:F> (<t:…:R>)`, at most `max` characters. */
export function releaseLine(release: Release, nameOf: (artistId: string) => string, max = 400): string {
  const when = releaseWhen(release);
  // The moment is what the line is for: the other parts share what is left.
  const room = Math.max(60, max - when.length - 12);
  const title = `**${clip(escapeMarkdown(release.title), Math.floor(room * 0.4))}**`;
  const names = clip(escapeMarkdown(joinNames(release.artistIds.map(nameOf))), Math.floor(room * 0.35));
  const kind = clip(escapeMarkdown(releaseKind(release)), Math.floor(room * 0.25));
  return clip(`${title} — ${names} · ${kind} · ${when}`, max);
}

/** The text of a quote as a Markdown block quote. */
function blockQuote(text: string): string {
  return escapeMarkdown(text)
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

function quoteSource(quote: Quote): string {
  return `${markdownLink(clip(quote.source.title, 200), quote.source.url)}${quote.date ? ` · ${longDate(quote.date)}` : ''}`;
}

/** A quote within `max` characters: the text gives way, the attribution and its link stay whole. */
export function quoteBlock(quote: Quote, speaker: string, max: number): string {
  const attribution = `— **${escapeMarkdown(clip(speaker, 100))}**, ${quoteSource(quote)}`;
  return `${clip(blockQuote(quote.text), Math.max(20, max - attribution.length - 1))}\n${attribution}`;
}

// ---------------------------------------------------------------------------------
// /artist

export interface ArtistProfile {
  artist: Artist;
  /** The groups and units it is or was in. */
  groups: readonly MemberOf[];
  /** For a group or unit: its members, former ones included. */
  members: readonly GroupMember[];
  nextRelease?: Release | undefined;
  quote?: Quote | undefined;
  /** Display names of the artists a release or quote names. */
  nameOf: (artistId: string) => string;
  /** Today on the server's birthday calendar (YYYY-MM-DD). */
  today: string;
}

/** Today's date on a calendar, for ArtistProfile.today. */
export const todayIn = (now: number, timeZone: string) => dateInZone(now, timeZone);

function groupLine({ group, membership }: MemberOf): string {
  const parts = [`**${escapeMarkdown(group.name)}**`];
  if (membership.position) parts.push(escapeMarkdown(membership.position));
  if (membership.stageName) parts.push(`as ${escapeMarkdown(membership.stageName)}`);
  if (!membership.current) parts.push('*former*');
  return parts.join(' · ');
}

function memberLine({ artist, membership }: GroupMember): string {
  const name = escapeMarkdown(membership.stageName ?? artist.name);
  return membership.position ? `${name} · ${escapeMarkdown(membership.position)}` : name;
}

export function artistProfileEmbed(profile: ArtistProfile): APIEmbed {
  const { artist } = profile;
  const native = artist.nativeNames.length > 0 ? ` (${artist.nativeNames.join(', ')})` : '';
  const fields: APIEmbedField[] = [];
  const add = (name: string, value: string, inline = false) => {
    if (value.trim() !== '') fields.push({ name, value: clip(value, DISCORD_LIMITS.fieldValue), inline });
  };

  const aka = [...(artist.birthName ? [`${escapeMarkdown(artist.birthName)} (birth name)`] : []), ...artist.aliases.map(escapeMarkdown)];
  if (aka.length > 0) add('Also known as', fitList(aka, DISCORD_LIMITS.fieldValue, ' · '));
  if (profile.groups.length > 0) add(profile.groups.length === 1 ? 'Group' : 'Groups', fitList(profile.groups.map(groupLine), DISCORD_LIMITS.fieldValue));
  const current = profile.members.filter((m) => m.membership.current);
  const former = profile.members.filter((m) => !m.membership.current);
  if (current.length > 0) add(`Members (${current.length})`, fitList(current.map(memberLine), DISCORD_LIMITS.fieldValue));
  if (former.length > 0) add(`Former members (${former.length})`, fitList(former.map(memberLine), DISCORD_LIMITS.fieldValue));
  if (artist.birthday) add('Birthday', birthdayText(artist.birthday, profile.today), true);
  if (artist.debut) add('Debut', longDate(artist.debut), true);
  if (artist.agency) add('Agency', escapeMarkdown(artist.agency), true);
  if (artist.fandom) add('Fandom', escapeMarkdown(artist.fandom), true);
  if (artist.links.length > 0) add('Links', fitList(artist.links.map((l) => markdownLink(l.label, l.url)), DISCORD_LIMITS.fieldValue, ' · '));
  if (profile.nextRelease) add('Next release', releaseLine(profile.nextRelease, profile.nameOf, DISCORD_LIMITS.fieldValue));
  if (profile.quote) add('Quote', quoteBlock(profile.quote, profile.nameOf(profile.quote.artistId), DISCORD_LIMITS.fieldValue));

  const embed: APIEmbed = {
    title: clip(escapeMarkdown(`${artist.name}${native}`), DISCORD_LIMITS.title),
    color: COLOR,
    fields,
  };
  if (artist.description) embed.description = clip(escapeMarkdown(artist.description), DISCORD_LIMITS.description);
  if (artist.image) embed.thumbnail = { url: artist.image };
  return fitEmbed(embed);
}

// ---------------------------------------------------------------------------------
// /quote

export function quoteEmbed(quote: Quote, speaker: Artist | undefined): APIEmbed {
  const name = speaker?.name ?? quote.artistId;
  const embed: APIEmbed = {
    description: `${clip(blockQuote(quote.text), DISCORD_LIMITS.description - 200)}\n— **${escapeMarkdown(clip(name, 100))}**`,
    color: COLOR,
    fields: [{ name: 'Source', value: quoteSource(quote) }],
  };
  if (speaker?.image) embed.thumbnail = { url: speaker.image };
  return fitEmbed(embed);
}

// ---------------------------------------------------------------------------------
// /releases

export const RELEASES_PER_PAGE = 10;
const RELEASES_COMMAND = 'releases';

/** What a page of /releases shows; the buttons carry it whole, so paging needs no memory. */
export interface ReleasesQuery {
  /** 1-based. */
  page: number;
  artistId?: string | undefined;
  withinDays?: number | undefined;
}

/** `releases:<page>:<artistId or ->:<days or ->`, at most 9 + 64 + 3 + separators: well under 100. */
export function releasesButtonId(query: ReleasesQuery): string {
  return [RELEASES_COMMAND, query.page, query.artistId ?? '-', query.withinDays ?? '-'].join(':');
}

export function parseReleasesButton(customId: string): ReleasesQuery | undefined {
  const match = /^releases:(\d{1,4}):([a-z0-9-]{1,64}):(\d{1,3}|-)$/.exec(customId);
  if (!match) return undefined;
  const [, page = '1', artistId = '-', within = '-'] = match;
  return {
    page: Math.max(1, Number(page)),
    artistId: artistId === '-' ? undefined : artistId,
    withinDays: within === '-' ? undefined : Number(within),
  };
}

export interface ReleasesPageInput {
  /** Every matching upcoming release, soonest first. */
  releases: readonly Release[];
  nameOf: (artistId: string) => string;
  /** The artist the list is narrowed to, if any. */
  artist?: Artist | undefined;
  withinDays?: number | undefined;
  page: number;
}

export interface ReleasesPage {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  /** The page shown, after clamping a stale page number. */
  page: number;
  pages: number;
}

export function releasesPage(input: ReleasesPageInput): ReleasesPage {
  const pages = Math.max(1, Math.ceil(input.releases.length / RELEASES_PER_PAGE));
  const page = Math.min(Math.max(1, Math.floor(input.page)), pages);
  const scope = [
    input.artist ? `for ${escapeMarkdown(input.artist.name)}` : '',
    input.withinDays === undefined ? '' : `in the next ${input.withinDays === 1 ? 'day' : `${input.withinDays} days`}`,
  ]
    .filter(Boolean)
    .join(' ');
  const title = clip(`Upcoming releases${input.artist ? ` — ${escapeMarkdown(input.artist.name)}` : ''}`, DISCORD_LIMITS.title);

  if (input.releases.length === 0) {
    return {
      embeds: [{ title, description: scope ? `No upcoming releases ${scope}.` : "No upcoming releases in this server's catalog yet.", color: COLOR }],
      components: [],
      page: 1,
      pages: 1,
    };
  }

  const shown = input.releases.slice((page - 1) * RELEASES_PER_PAGE, page * RELEASES_PER_PAGE);
  const header = scope ? `Releases ${scope}, soonest first. Times show in your own time zone.` : 'Soonest first. Times show in your own time zone.';
  const perLine = Math.floor((DISCORD_LIMITS.description - header.length - 2 - RELEASES_PER_PAGE) / RELEASES_PER_PAGE);
  const description = [header, '', ...shown.map((release) => releaseLine(release, input.nameOf, perLine))].join('\n');
  const count = `${input.releases.length} upcoming release${input.releases.length === 1 ? '' : 's'}`;
  const embed: APIEmbed = {
    title,
    description: clip(description, DISCORD_LIMITS.description),
    color: COLOR,
    footer: { text: pages > 1 ? `Page ${page}/${pages} · ${count}` : count },
  };

  const components: APIActionRowComponent<APIButtonComponent>[] = [];
  if (pages > 1) {
    const query = { artistId: input.artist?.id, withinDays: input.withinDays };
    components.push({
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          label: '◀ Previous',
          custom_id: releasesButtonId({ ...query, page: Math.max(1, page - 1) }),
          disabled: page <= 1,
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          label: 'Next ▶',
          custom_id: releasesButtonId({ ...query, page: Math.min(pages, page + 1) }),
          disabled: page >= pages,
        },
      ],
    });
  }
  return { embeds: [fitEmbed(embed)], components, page, pages };
}

// ---------------------------------------------------------------------------------
// Limits

/** Every character Discord counts towards an embed's 6,000. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}

/**
 * Brings an embed within the total limit: the longest text gives way first (each text
 * already fits its own limit), and fields go from the end only if that is not enough.
 */
export function fitEmbed(embed: APIEmbed): APIEmbed {
  const fitted: APIEmbed = { ...embed, fields: (embed.fields ?? []).slice(0, DISCORD_LIMITS.fields).map((field) => ({ ...field })) };
  const FLOOR = 100;
  for (let over = embedLength(fitted) - DISCORD_LIMITS.embedTotal; over > 0; over = embedLength(fitted) - DISCORD_LIMITS.embedTotal) {
    const fields = fitted.fields!;
    const longest = fields.reduce<APIEmbedField | undefined>((best, field) => (field.value.length > (best?.value.length ?? 0) ? field : best), undefined);
    const description = fitted.description?.length ?? 0;
    if (description >= (longest?.value.length ?? 0) && description > FLOOR) {
      fitted.description = clip(fitted.description!, Math.max(FLOOR, description - over));
    } else if (longest && longest.value.length > FLOOR) {
      longest.value = clip(longest.value, Math.max(FLOOR, longest.value.length - over));
    } else if (fields.length > 0) {
      fields.pop();
    } else {
      fitted.description = clip(fitted.description ?? '', Math.max(0, description - over));
      break;
    }
  }
  if (fitted.fields!.length === 0) delete fitted.fields;
  return fitted;
}
