import { ChannelType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type SlashCommandStringOption } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { assertBotCanPost } from '../src/discord/channel-access.ts';
import { choiceLabel, feedName, listEmbeds, previewSummary, statusEmbed } from '../src/discord/feed-views.ts';
import { requireManageGuild } from '../src/discord/interactions.ts';
import { UserError } from '../src/errors.ts';

const feedOption = (name: string, verb: string) => (option: SlashCommandStringOption) =>
  option.setName(name).setDescription(`The feed to ${verb}`).setRequired(true).setAutocomplete(true);

const data = new SlashCommandBuilder()
  .setName('feed')
  .setDescription('Follow news feeds in this server')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(0)
  .addSubcommand((sub) =>
    sub
      .setName('add')
      .setDescription('Post every new story of an RSS/Atom feed in a channel')
      .addStringOption((o) => o.setName('url').setDescription('The feed address (http or https)').setRequired(true).setMaxLength(2000))
      .addChannelOption((o) =>
        o
          .setName('channel')
          .setDescription('Where new stories go')
          .setRequired(true)
          .addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
      )
      .addRoleOption((o) => o.setName('role').setDescription('A role to ping with each new story')),
  )
  .addSubcommand((sub) => sub.setName('remove').setDescription('Stop following a feed').addStringOption(feedOption('feed', 'remove')))
  .addSubcommand((sub) => sub.setName('list').setDescription("This server's feeds and how they are doing"))
  .addSubcommand((sub) => sub.setName('pause').setDescription('Stop posting a feed for now').addStringOption(feedOption('feed', 'pause')))
  .addSubcommand((sub) => sub.setName('resume').setDescription('Post a paused feed again').addStringOption(feedOption('feed', 'resume')))
  .addSubcommand((sub) =>
    sub
      .setName('preview')
      .setDescription('See how a feed would look, without following it')
      .addStringOption((o) => o.setName('url').setDescription('The feed address (http or https)').setRequired(true).setMaxLength(2000)),
  )
  .addSubcommand((sub) =>
    sub.setName('status').setDescription("A feed's last fetch, last error and next fetch").addStringOption(feedOption('feed', 'inspect')),
  );

export default {
  data: data.toJSON(),

  async execute(interaction, { newsDesk }) {
    requireManageGuild(interaction);
    const guildId = interaction.guildId!;
    // Fetching a feed can take longer than Discord's 3-second deadline.
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const subcommand = interaction.options.getSubcommand();

    switch (subcommand) {
      case 'add': {
        const channel = interaction.options.getChannel('channel', true);
        const role = interaction.options.getRole('role');
        if (role && role.id === guildId) throw new UserError('Pick a fan role to ping, not @everyone.');
        if (role && 'managed' in role && role.managed) throw new UserError(`<@&${role.id}> belongs to an integration; pick a fan role.`);
        assertBotCanPost(interaction.guild, channel.id);
        const { preview } = await newsDesk.subscribe({
          guildId,
          channelId: channel.id,
          url: interaction.options.getString('url', true),
          roleId: role?.id,
          userId: interaction.user.id,
        });
        const pingNote = role ? ` Each post pings <@&${role.id}>.` : '';
        await interaction.editReply({
          content:
            `Following ${previewSummary(preview)} New stories will appear in <#${channel.id}>; ` +
            `the ones there now count as already posted.${pingNote}` +
            (preview.latest ? '\nThe latest story will look like this:' : ''),
          embeds: preview.latest?.embeds ?? [],
          allowedMentions: { parse: [] },
        });
        return;
      }
      case 'preview': {
        const preview = await newsDesk.preview(interaction.options.getString('url', true));
        await interaction.editReply({
          content: `${previewSummary(preview)}${preview.latest ? ' Its latest story would look like this:' : ''}`,
          embeds: preview.latest?.embeds ?? [],
          allowedMentions: { parse: [] },
        });
        return;
      }
      case 'list': {
        await interaction.editReply({ embeds: listEmbeds(await newsDesk.list(guildId)), allowedMentions: { parse: [] } });
        return;
      }
      case 'status': {
        const view = await newsDesk.status(guildId, interaction.options.getString('feed', true));
        await interaction.editReply({ embeds: [statusEmbed(view)], allowedMentions: { parse: [] } });
        return;
      }
      case 'remove': {
        const { feed, subscription } = await newsDesk.remove(guildId, interaction.options.getString('feed', true));
        await interaction.editReply({ content: `Stopped following **${feedName(feed)}** in <#${subscription.channelId}>.`, allowedMentions: { parse: [] } });
        return;
      }
      case 'pause': {
        const { feed, subscription } = await newsDesk.pause(guildId, interaction.options.getString('feed', true), interaction.user.id);
        await interaction.editReply({
          content: `Paused **${feedName(feed)}** in <#${subscription.channelId}>. Stories published meanwhile will not be posted; /feed resume restarts it.`,
          allowedMentions: { parse: [] },
        });
        return;
      }
      case 'resume': {
        const { feed, subscription } = await newsDesk.resume(guildId, interaction.options.getString('feed', true));
        await interaction.editReply({ content: `Resumed **${feedName(feed)}** in <#${subscription.channelId}>.`, allowedMentions: { parse: [] } });
        return;
      }
      default:
        throw new Error(`unknown /feed subcommand ${subcommand}`);
    }
  },

  async autocomplete(interaction, { newsDesk }) {
    if (!interaction.inGuild() || !interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
      await interaction.respond([]);
      return;
    }
    const query = interaction.options.getFocused().toLowerCase().trim();
    const views = await newsDesk.list(interaction.guildId);
    const choices = views
      .map((view) => {
        const channelName = interaction.guild?.channels.cache.get(view.subscription.channelId)?.name;
        return { name: choiceLabel(view, channelName), value: view.subscription.id, haystack: `${view.feed.title ?? ''} ${view.feed.url} ${channelName ?? ''}`.toLowerCase() };
      })
      .filter((choice) => query === '' || choice.haystack.includes(query))
      .slice(0, 25)
      .map(({ name, value }) => ({ name, value }));
    await interaction.respond(choices);
  },
} satisfies Command;
