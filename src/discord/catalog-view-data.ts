import type { AutocompleteInteraction, Interaction, SlashCommandIntegerOption, SlashCommandStringOption } from 'discord.js';
import type { Artist } from '../catalog/schema.ts';
import type { Context } from '../context.ts';
import { UserError } from '../errors.ts';
import { escapeMarkdown } from '../text/markdown.ts';
import { truncate } from '../text/truncate.ts';
import { quoteEmbed, releasesPage, todayIn, type ArtistProfile, type ReleasesPage, type ReleasesQuery } from './catalog-views.ts';

/**
 * What the member commands share: the artist option and its autocomplete, turning what
 * a member typed into an artist, and gathering from the catalog what the pure views in
 * catalog-views.ts draw.
 */

/** An artist option answered by autocomplete; its value is the artist's id, or whatever the member typed. */
export const artistOption =
  (name: string, description: string, required: boolean) =>
  (option: SlashCommandStringOption): SlashCommandStringOption =>
    option.setName(name).setDescription(description).setRequired(required).setAutocomplete(true).setMaxLength(100);

export const withinOption = (option: SlashCommandIntegerOption): SlashCommandIntegerOption =>
  option.setName('within').setDescription('Only releases in the next this many days').setMinValue(1).setMaxValue(365);

/** The server the member asked in; these commands are about a server's own catalog. */
export function requireGuildId(interaction: Interaction): string {
  if (!interaction.inGuild()) throw new UserError('This command only works inside a server: each server keeps its own catalog.');
  return interaction.guildId;
}

/** Up to 25 artists for what the member has typed so far, "Jimin — BTS" style. */
export async function answerArtistAutocomplete(interaction: AutocompleteInteraction, ctx: Context): Promise<void> {
  if (!interaction.inGuild()) {
    await interaction.respond([]);
    return;
  }
  const choices = await ctx.catalog.autocomplete(interaction.guildId, String(interaction.options.getFocused()));
  await interaction.respond(
    choices.slice(0, 25).map((choice) => ({ name: truncate(choice.name, 100), value: choice.value.slice(0, 100) })),
  );
}

/**
 * The artist an option names: an id picked from the list, or a name typed and sent
 * without picking. A miss suggests the closest names, so a typo costs one look.
 */
export async function resolveArtist(ctx: Context, guildId: string, typed: string): Promise<Artist> {
  const artist = await ctx.catalog.findArtist(guildId, typed);
  if (artist) return artist;
  const suggestions = typed.trim() === '' ? [] : await ctx.catalog.autocomplete(guildId, typed, 3);
  const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `**${escapeMarkdown(s.name)}**`).join(', ')}?` : '';
  throw new UserError(`I don't know an artist called “${escapeMarkdown(truncate(typed.trim(), 100))}”.${hint} Pick one from the list.`);
}

async function namesOf(ctx: Context, guildId: string): Promise<(artistId: string) => string> {
  const { artists } = await ctx.catalog.load(guildId);
  const names = new Map(artists.map((artist) => [artist.id, artist.name]));
  return (artistId) => names.get(artistId) ?? artistId;
}

/** Everything /artist shows. The quote counts as this channel's last one, so /quote next shows another. */
export async function gatherProfile(ctx: Context, guildId: string, artist: Artist, channelId: string): Promise<ArtistProfile> {
  const now = ctx.now();
  const [groups, members, nextRelease, quote, nameOf, settings] = await Promise.all([
    ctx.catalog.groupsOf(guildId, artist.id),
    ctx.catalog.membersOf(guildId, artist.id, { former: true }),
    ctx.catalog.nextReleaseFor(guildId, artist.id, now),
    ctx.catalog.randomQuote(guildId, { artistId: artist.id, channelId }),
    namesOf(ctx, guildId),
    ctx.repos.catalog.settings(guildId),
  ]);
  // Ages follow the calendar the server's birthday posts use (Asia/Seoul unless a
  // moderator chose another), so the profile and the birthday post agree on the day.
  return { artist, groups, members, nextRelease, quote, nameOf, today: todayIn(now, settings.timeZone) };
}

/** A random quote for /quote, never the one this channel saw last; undefined when there is none. */
export async function gatherQuote(ctx: Context, guildId: string, channelId: string, artist: Artist | undefined) {
  const quote = await ctx.catalog.randomQuote(guildId, { artistId: artist?.id, channelId });
  if (!quote) return undefined;
  const speaker = quote.artistId === artist?.id ? artist : await ctx.catalog.findArtist(guildId, quote.artistId);
  return quoteEmbed(quote, speaker);
}

/** One page of /releases, computed afresh from the query alone, so a button works after a restart. */
export async function gatherReleasesPage(ctx: Context, guildId: string, query: ReleasesQuery): Promise<ReleasesPage> {
  const artist = query.artistId === undefined ? undefined : await ctx.catalog.findArtist(guildId, query.artistId);
  if (query.artistId !== undefined && !artist) {
    throw new UserError('That artist is no longer in this server\'s catalog. Run /releases again.');
  }
  const [releases, nameOf] = await Promise.all([
    ctx.catalog.upcomingReleases(guildId, { artistId: artist?.id, withinDays: query.withinDays, now: ctx.now() }),
    namesOf(ctx, guildId),
  ]);
  return releasesPage({ releases, nameOf, artist, withinDays: query.withinDays, page: query.page });
}
