import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { answerArtistAutocomplete, artistOption, gatherProfile, requireGuildId, resolveArtist } from '../src/discord/catalog-view-data.ts';
import { artistProfileEmbed } from '../src/discord/catalog-views.ts';

const data = new SlashCommandBuilder()
  .setName('artist')
  .setDescription("An artist's profile: names, groups, birthday, debut, links, next release and a quote")
  .setContexts(InteractionContextType.Guild)
  .addStringOption(artistOption('name', 'Any name, alias or Hangul; pick from the list', true));

export default {
  data: data.toJSON(),

  async execute(interaction, ctx) {
    const guildId = requireGuildId(interaction);
    const artist = await resolveArtist(ctx, guildId, interaction.options.getString('name', true));
    const profile = await gatherProfile(ctx, guildId, artist, interaction.channelId);
    await interaction.reply({ embeds: [artistProfileEmbed(profile)], allowedMentions: { parse: [] } });
  },

  autocomplete: answerArtistAutocomplete,
} satisfies Command;
