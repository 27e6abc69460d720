import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { answerArtistAutocomplete, artistOption, gatherReleasesPage, requireGuildId, resolveArtist, withinOption } from '../src/discord/catalog-view-data.ts';
import { parseReleasesButton } from '../src/discord/catalog-views.ts';
import { UserError } from '../src/errors.ts';

const data = new SlashCommandBuilder()
  .setName('releases')
  .setDescription('Upcoming releases, soonest first, in your own time zone')
  .setContexts(InteractionContextType.Guild)
  .addStringOption(artistOption('artist', "Only this artist's releases (and its groups')", false))
  .addIntegerOption(withinOption);

export default {
  data: data.toJSON(),

  async execute(interaction, ctx) {
    const guildId = requireGuildId(interaction);
    const typed = interaction.options.getString('artist');
    const artist = typed === null ? undefined : await resolveArtist(ctx, guildId, typed);
    const withinDays = interaction.options.getInteger('within') ?? undefined;
    const { embeds, components } = await gatherReleasesPage(ctx, guildId, { page: 1, artistId: artist?.id, withinDays });
    await interaction.reply({ embeds, components, allowedMentions: { parse: [] } });
  },

  autocomplete: answerArtistAutocomplete,

  /** Prev / Next: the button's id says which page of which list, so nothing is remembered between clicks. */
  async button(interaction, ctx) {
    const guildId = requireGuildId(interaction);
    const query = parseReleasesButton(interaction.customId);
    if (!query) throw new UserError('This button no longer works. Run /releases again.');
    const { embeds, components } = await gatherReleasesPage(ctx, guildId, query);
    await interaction.update({ embeds, components, allowedMentions: { parse: [] } });
  },
} satisfies Command;
