import { InteractionContextType, MessageFlags, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { answerArtistAutocomplete, artistOption, gatherQuote, requireGuildId, resolveArtist } from '../src/discord/catalog-view-data.ts';
import { escapeMarkdown } from '../src/text/markdown.ts';

const data = new SlashCommandBuilder()
  .setName('quote')
  .setDescription('A random quote, with who said it and where')
  .setContexts(InteractionContextType.Guild)
  .addStringOption(artistOption('artist', 'Only quotes from this artist (for a group: and its members)', false));

export default {
  data: data.toJSON(),

  async execute(interaction, ctx) {
    const guildId = requireGuildId(interaction);
    const typed = interaction.options.getString('artist');
    const artist = typed === null ? undefined : await resolveArtist(ctx, guildId, typed);
    const embed = await gatherQuote(ctx, guildId, interaction.channelId, artist);
    if (!embed) {
      const whose = artist ? ` from **${escapeMarkdown(artist.name)}**` : '';
      await interaction.reply({
        content: `There are no quotes${whose} in this server's catalog yet. Moderators can add some.`,
        flags: MessageFlags.Ephemeral,
        allowedMentions: { parse: [] },
      });
      return;
    }
    await interaction.reply({ embeds: [embed], allowedMentions: { parse: [] } });
  },

  autocomplete: answerArtistAutocomplete,
} satisfies Command;
