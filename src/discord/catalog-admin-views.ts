import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  type APIApplicationCommandOptionChoice,
  type APIEmbed,
} from 'discord.js';
import { describePlan, KINDS, type ImportPlan } from '../catalog/import-plan.ts';
import { releaseMoment } from '../catalog/moment.ts';
import type { Artist, CatalogFile, CatalogSettings, Quote, Release } from '../catalog/schema.ts';
import { escapeMarkdown } from '../text/markdown.ts';
import { truncate } from '../text/truncate.ts';
import { IMPORT_CANCEL, confirmButtonId } from './catalog-admin-import.ts';
import { splitLastItem } from './catalog-admin-options.ts';
import { DISCORD_LIMITS } from './limits.ts';

/** What `/catalog …` shows moderators: confirmations, the import preview, settings, choices. */

const MAX_CHOICE_TEXT = 100;
const PREVIEW_COLOR = 0x5865f2;

const clip = (text: string, max = MAX_CHOICE_TEXT) => truncate(text, max);
const named = (entry: { name?: string; title?: string; id: string }) => `**${escapeMarkdown(entry.name ?? entry.title ?? entry.id)}** (\`${entry.id}\`)`;

// Confirmations.

export function artistSaved(verb: 'Added' | 'Updated' | 'Removed', artist: Artist, touched: string[] = []): string {
  const what = touched.length > 0 ? `: ${touched.join(', ')}` : '';
  return `${verb} the artist ${named(artist)}${what}.`;
}

export function quoteSaved(verb: 'Added' | 'Updated' | 'Removed', quote: Quote, touched: string[] = []): string {
  const what = touched.length > 0 ? ` (${touched.join(', ')})` : '';
  return `${verb} the quote \`${quote.id}\`${what}: “${escapeMarkdown(clip(quote.text, 300))}”`;
}

/** "Released <t:…:F>", or the day and zone when no time is known yet. */
export function releaseWhen(release: Release): string {
  if (release.time === undefined) return `${release.date} (${release.timeZone}, time not announced)`;
  const stamp = Math.floor(releaseMoment(release) / 1000);
  return `<t:${stamp}:F> (${release.date} ${release.time} ${release.timeZone})`;
}

export function releaseSaved(
  verb: 'Added' | 'Updated' | 'Removed',
  release: Release,
  context: { touched?: string[]; settings: CatalogSettings; moved?: boolean; dayDone?: boolean },
): string {
  const touched = context.touched ?? [];
  const what = touched.length > 0 ? `: ${touched.join(', ')}` : '';
  const lines = [`${verb} the release ${named(release)}${what}.`];
  if (verb === 'Removed') return lines[0]!;
  lines.push(`Out ${releaseWhen(release)}.`);
  if (context.settings.announceChannelId) {
    if (verb === 'Added' || context.moved) lines.push(`Its release-day post will go to <#${context.settings.announceChannelId}> at that moment.`);
    else if (context.dayDone) lines.push('Its release-day post for that date was already handled, so the new time posts nothing more.');
  } else {
    lines.push('Release-day posts are off; pick a channel with /catalog announce to turn them on.');
  }
  return lines.join('\n');
}

// Export.

export function exportSummary(catalog: CatalogFile): string {
  const counts = KINDS.map((kind) => `${catalog[kind].length} ${kind}`).join(', ');
  return `This server's catalog: ${counts}. Edit the file and bring it back with /catalog import to change many entries at once.`;
}

export const exportFileName = (guildId: string) => `lightstick-catalog-${guildId}.json`;

// Import.

/** The preview a moderator reads before anything is written, with Import and Cancel buttons. */
export function importPreview(plan: ImportPlan, file: { name: string; url: string }, digest: string) {
  const removes = KINDS.reduce((sum, kind) => sum + plan[kind].removed.length, 0);
  const embed: APIEmbed = {
    title: clip(`Import preview: ${file.name}`, 256),
    url: file.url,
    description: describePlan(plan),
    color: PREVIEW_COLOR,
    footer: {
      text:
        'Nothing has changed yet. Import replaces the whole catalog with this file, all at once; ' +
        'Cancel leaves it as it is.' +
        (removes > 0 ? ' Entries the file does not have are removed.' : ''),
    },
  };
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(confirmButtonId(plan, digest))
      .setLabel(removes > 0 ? `Import (removes ${removes})` : 'Import')
      .setStyle(removes > 0 ? ButtonStyle.Danger : ButtonStyle.Success),
    new ButtonBuilder().setCustomId(IMPORT_CANCEL).setLabel('Cancel').setStyle(ButtonStyle.Secondary),
  );
  return { content: '', embeds: [embed], components: [row] };
}

export function importApplied(plan: ImportPlan, fileName: string): string {
  return `Imported ${escapeMarkdown(fileName)}.\n${describePlan(plan)}`;
}

/** The file a preview was made from: its embed links it. */
export function previewedFile(embeds: readonly { url?: string | null }[]): { url: string; name: string; size: number } | undefined {
  const url = embeds[0]?.url;
  if (!url) return undefined;
  let name = 'the file';
  try {
    name = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '') || name;
  } catch {
    return undefined;
  }
  return { url, name, size: 0 };
}

// Settings.

export function settingsView(settings: CatalogSettings): string {
  const channel = settings.announceChannelId ? `<#${settings.announceChannelId}>` : 'none (release-day and birthday posts are off)';
  return [
    `**Announcement channel:** ${channel}`,
    `**Reminder a day before each release:** ${settings.remindDayBefore ? 'on' : 'off'}`,
    `**Time zone for birthdays:** ${settings.timeZone}`,
  ].join('\n');
}

// Autocomplete.

type Choice = APIApplicationCommandOptionChoice<string>;

const includesFolded = (haystack: string, needle: string) => haystack.toLocaleLowerCase('en').includes(needle);

export function quoteChoices(catalog: CatalogFile, query: string): Choice[] {
  const needle = query.trim().toLocaleLowerCase('en');
  const names = new Map(catalog.artists.map((artist) => [artist.id, artist.name]));
  return catalog.quotes
    .filter((quote) => needle === '' || includesFolded(`${quote.id} ${quote.text} ${names.get(quote.artistId) ?? quote.artistId}`, needle))
    .slice(0, DISCORD_LIMITS.choices)
    .map((quote) => {
      const who = names.get(quote.artistId) ?? quote.artistId;
      return { name: `${clip(`“${quote.text}`, MAX_CHOICE_TEXT - who.length - 4)}” — ${who}`.slice(0, MAX_CHOICE_TEXT), value: quote.id };
    });
}

/** Releases by title, artist or id: coming ones soonest first, then past ones latest first. */
export function releaseChoices(catalog: CatalogFile, query: string, now: number): Choice[] {
  const needle = query.trim().toLocaleLowerCase('en');
  const names = new Map(catalog.artists.map((artist) => [artist.id, artist.name]));
  const artistsOf = (release: Release) => release.artistIds.map((id) => names.get(id) ?? id).join(', ');
  const at = (release: Release) => {
    try {
      return releaseMoment(release);
    } catch {
      return 0;
    }
  };
  return catalog.releases
    .filter((release) => needle === '' || includesFolded(`${release.id} ${release.title} ${artistsOf(release)}`, needle))
    .map((release) => ({ release, at: at(release) }))
    .sort((a, b) => {
      const aComing = a.at >= now;
      const bComing = b.at >= now;
      if (aComing !== bComing) return aComing ? -1 : 1;
      return aComing ? a.at - b.at : b.at - a.at;
    })
    .slice(0, DISCORD_LIMITS.choices)
    .map(({ release }) => ({ name: clip(`${release.title} — ${artistsOf(release)} (${release.date})`), value: release.id }));
}

/**
 * Choices for a comma-separated list of artists: what is typed before the last comma
 * stays, the last item is completed from the catalog's artists.
 */
export function artistListChoices(typed: string, complete: (query: string) => Promise<Choice[]>): Promise<Choice[]> {
  const { done, typing } = splitLastItem(typed);
  const prefix = done.map((item) => `${item}, `).join('');
  return complete(typing).then((choices) =>
    choices
      .filter((choice) => !done.includes(choice.value))
      .map((choice) => ({ name: clip(`${prefix}${choice.name}`), value: `${prefix}${choice.value}` }))
      .filter((choice) => choice.value.length <= MAX_CHOICE_TEXT),
  );
}

/** IANA time zone names, as this Node knows them. */
export function timeZoneChoices(query: string): Choice[] {
  const zones = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];
  const needle = query.trim().toLocaleLowerCase('en').replace(/\s+/g, '_');
  const prefix = zones.filter((zone) => zone.toLocaleLowerCase('en').startsWith(needle));
  const inside = zones.filter((zone) => !zone.toLocaleLowerCase('en').startsWith(needle) && zone.toLocaleLowerCase('en').includes(needle));
  const preferred = needle === '' ? ['Asia/Seoul', 'Asia/Tokyo', 'UTC', 'America/New_York', 'Europe/London'] : [];
  return [...new Set([...preferred, ...prefix, ...inside])].slice(0, DISCORD_LIMITS.choices).map((zone) => ({ name: zone, value: zone }));
}
