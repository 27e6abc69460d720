import {
  ChannelType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
  type InteractionEditReplyOptions,
  type SlashCommandSubcommandBuilder,
} from 'discord.js';
import { exportCatalog } from '../src/catalog/catalog-json.ts';
import { changesNothing, describePlan } from '../src/catalog/import-plan.ts';
import { releaseKey } from '../src/catalog/announcement-due.ts';
import { releaseMoment } from '../src/catalog/moment.ts';
import { artistKinds, releaseTypes } from '../src/catalog/schema.ts';
import { UNKNOWN_ZONE, readTimeZone } from '../src/catalog/time-zone.ts';
import type { Context } from '../src/context.ts';
import { assertBotCanPost } from '../src/discord/channel-access.ts';
import type { Command } from '../src/discord/command.ts';
import { IMPORT_CANCEL, IMPORT_CONFIRM, confirmImport, planFromAttachment } from '../src/discord/catalog-admin-import.ts';
import {
  CLEAR,
  artistAddInput,
  artistPatch,
  inOptionWords,
  quoteAddInput,
  quotePatch,
  releaseAddInput,
  releasePatch,
  splitList,
  touchedOptions,
  type OptionReader,
} from '../src/discord/catalog-admin-options.ts';
import {
  artistListChoices,
  artistSaved,
  exportFileName,
  exportSummary,
  importApplied,
  importPreview,
  previewedFile,
  quoteChoices,
  quoteSaved,
  releaseChoices,
  releaseSaved,
  settingsView,
  timeZoneChoices,
} from '../src/discord/catalog-admin-views.ts';
import { requireManageGuild } from '../src/discord/interactions.ts';
import { UserError } from '../src/errors.ts';

// ---- definition ------------------------------------------------------------------

type Sub = SlashCommandSubcommandBuilder;
const CLEARS = ' ("-" clears)';

const artistFields = (sub: Sub, edit: boolean): Sub => {
  const clears = edit ? CLEARS : '';
  return sub
    .addStringOption((o) => o.setName('hangul').setDescription(`Names in Hangul or other scripts, comma-separated${clears}`))
    .addStringOption((o) => o.setName('birth-name').setDescription(`Birth name${clears}`))
    .addStringOption((o) => o.setName('aliases').setDescription(`Other names and spellings, comma-separated${clears}`))
    .addStringOption((o) =>
      o.setName('group').setDescription(edit ? 'A group to add them to or update ("-" removes every group)' : 'The group or unit they belong to').setAutocomplete(true),
    )
    .addStringOption((o) => o.setName('position').setDescription(`Their position in that group, like "Main vocalist"${clears}`))
    .addStringOption((o) => o.setName('group-stage-name').setDescription(`Their name in that group, when it differs${clears}`))
    .addBooleanOption((o) => o.setName('former').setDescription('They have left that group'))
    .addStringOption((o) => o.setName('birthday').setDescription(`Birthday, YYYY-MM-DD${clears}`))
    .addStringOption((o) => o.setName('debut').setDescription(`Debut date, YYYY-MM-DD${clears}`))
    .addStringOption((o) => o.setName('agency').setDescription(`Agency or label${clears}`))
    .addStringOption((o) => o.setName('fandom').setDescription(`Fandom name${clears}`))
    .addStringOption((o) => o.setName('image').setDescription(`Picture address (https://…)${clears}`))
    .addStringOption((o) => o.setName('description').setDescription(`A line or two about them${clears}`))
    .addStringOption((o) => o.setName('links').setDescription(`Links: "Label https://…, Label https://…"${clears}`));
};

const kindChoices = artistKinds.map((kind) => ({ name: kind, value: kind }));
const typeChoices = releaseTypes.map((type) => ({ name: type, value: type }));

const releaseFields = (sub: Sub, edit: boolean): Sub => {
  const clears = edit ? CLEARS : '';
  return sub
    .addStringOption((o) => o.setName('time').setDescription(`Release time, HH:MM (24-hour) in its time zone${clears}`))
    .addStringOption((o) => o.setName('timezone').setDescription('The time zone of date and time (default Asia/Seoul)').setAutocomplete(true))
    .addStringOption((o) => o.setName('related-work').setDescription(`The drama, film or game of an OST${clears}`))
    .addStringOption((o) => o.setName('links').setDescription(`Links: "Label https://…, Label https://…"${clears}`));
};

const data = new SlashCommandBuilder()
  .setName('catalog')
  .setDescription("Edit this server's artists, quotes and releases, and where their posts go")
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(0)
  .addSubcommandGroup((group) =>
    group
      .setName('artist')
      .setDescription('Artists: groups, members, soloists and units')
      .addSubcommand((sub) =>
        artistFields(
          sub
            .setName('add')
            .setDescription('Add an artist')
            .addStringOption((o) => o.setName('id').setDescription('A short lowercase id, like "ha-sung-woon"; cannot change later').setRequired(true))
            .addStringOption((o) => o.setName('name').setDescription('Stage name, like "Jimin"').setRequired(true))
            .addStringOption((o) => o.setName('kind').setDescription('What kind of artist').setRequired(true).addChoices(...kindChoices)),
          false,
        ),
      )
      .addSubcommand((sub) =>
        artistFields(
          sub
            .setName('edit')
            .setDescription('Change some of an artist\'s fields; "-" clears one')
            .addStringOption((o) => o.setName('artist').setDescription('The artist to edit').setRequired(true).setAutocomplete(true))
            .addStringOption((o) => o.setName('name').setDescription('Stage name'))
            .addStringOption((o) => o.setName('kind').setDescription('What kind of artist').addChoices(...kindChoices)),
          true,
        ),
      )
      .addSubcommand((sub) =>
        sub
          .setName('remove')
          .setDescription('Remove an artist nothing else points at')
          .addStringOption((o) => o.setName('artist').setDescription('The artist to remove').setRequired(true).setAutocomplete(true)),
      ),
  )
  .addSubcommandGroup((group) =>
    group
      .setName('quote')
      .setDescription('Quotes of artists, with their source')
      .addSubcommand((sub) =>
        sub
          .setName('add')
          .setDescription('Add a quote')
          .addStringOption((o) => o.setName('id').setDescription('A short lowercase id, like "jimin-thank-you-army"').setRequired(true))
          .addStringOption((o) => o.setName('artist').setDescription('Who said it').setRequired(true).setAutocomplete(true))
          .addStringOption((o) => o.setName('text').setDescription('What they said').setRequired(true))
          .addStringOption((o) => o.setName('source-title').setDescription('Where it was said: the article or video title').setRequired(true))
          .addStringOption((o) => o.setName('source-url').setDescription('The source\'s address (https://…)').setRequired(true))
          .addStringOption((o) => o.setName('date').setDescription('When it was said, YYYY-MM-DD')),
      )
      .addSubcommand((sub) =>
        sub
          .setName('edit')
          .setDescription('Change some of a quote\'s fields')
          .addStringOption((o) => o.setName('quote').setDescription('The quote to edit').setRequired(true).setAutocomplete(true))
          .addStringOption((o) => o.setName('artist').setDescription('Who said it').setAutocomplete(true))
          .addStringOption((o) => o.setName('text').setDescription('What they said'))
          .addStringOption((o) => o.setName('source-title').setDescription('The article or video title'))
          .addStringOption((o) => o.setName('source-url').setDescription('The source\'s address (https://…)'))
          .addStringOption((o) => o.setName('date').setDescription(`When it was said, YYYY-MM-DD${CLEARS}`)),
      )
      .addSubcommand((sub) =>
        sub
          .setName('remove')
          .setDescription('Remove a quote')
          .addStringOption((o) => o.setName('quote').setDescription('The quote to remove').setRequired(true).setAutocomplete(true)),
      ),
  )
  .addSubcommandGroup((group) =>
    group
      .setName('release')
      .setDescription('Releases and their release-day posts')
      .addSubcommand((sub) =>
        releaseFields(
          sub
            .setName('add')
            .setDescription('Add a release; its post goes out at its moment')
            .addStringOption((o) => o.setName('id').setDescription('A short lowercase id, like "with-you"').setRequired(true))
            .addStringOption((o) => o.setName('title').setDescription('Title, like "With You"').setRequired(true))
            .addStringOption((o) => o.setName('type').setDescription('What kind of release').setRequired(true).addChoices(...typeChoices))
            .addStringOption((o) => o.setName('date').setDescription('Release date, YYYY-MM-DD').setRequired(true))
            .addStringOption((o) =>
              o.setName('artists').setDescription('Its artists, comma-separated: "jimin, ha-sung-woon"').setRequired(true).setAutocomplete(true),
            ),
          false,
        ),
      )
      .addSubcommand((sub) =>
        releaseFields(
          sub
            .setName('edit')
            .setDescription('Change a release; a new date or time moves its post')
            .addStringOption((o) => o.setName('release').setDescription('The release to edit').setRequired(true).setAutocomplete(true))
            .addStringOption((o) => o.setName('title').setDescription('Title'))
            .addStringOption((o) => o.setName('type').setDescription('What kind of release').addChoices(...typeChoices))
            .addStringOption((o) => o.setName('date').setDescription('Release date, YYYY-MM-DD'))
            .addStringOption((o) => o.setName('artists').setDescription('Its artists, comma-separated (replaces the list)').setAutocomplete(true)),
          true,
        ),
      )
      .addSubcommand((sub) =>
        sub
          .setName('remove')
          .setDescription('Remove a release (and its coming posts)')
          .addStringOption((o) => o.setName('release').setDescription('The release to remove').setRequired(true).setAutocomplete(true)),
      ),
  )
  .addSubcommand((sub) => sub.setName('export').setDescription("Download this server's catalog as a JSON file"))
  .addSubcommand((sub) =>
    sub
      .setName('import')
      .setDescription('Replace the catalog with a JSON file; shows the changes before applying them')
      .addAttachmentOption((o) => o.setName('file').setDescription('A catalog file, like the one /catalog export gives').setRequired(true))
      .addBooleanOption((o) => o.setName('apply').setDescription('Apply at once, without the preview and its Import button')),
  )
  .addSubcommand((sub) =>
    sub
      .setName('announce')
      .setDescription('Where release-day and birthday posts go')
      .addChannelOption((o) =>
        o.setName('channel').setDescription('The channel to post in').setRequired(true).addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
      )
      .addBooleanOption((o) => o.setName('remind-day-before').setDescription('Also post a reminder a day before each release'))
      .addStringOption((o) => o.setName('timezone').setDescription('Whose calendar birthdays follow (default Asia/Seoul)').setAutocomplete(true)),
  )
  .addSubcommand((sub) => sub.setName('announce-off').setDescription('Stop release-day and birthday posts'))
  .addSubcommand((sub) => sub.setName('settings').setDescription('Show where posts go, the reminder and the time zone'));

// ---- handlers ----------------------------------------------------------------------

type Reply = string | InteractionEditReplyOptions;
type Handler = (interaction: ChatInputCommandInteraction, ctx: Context, guildId: string) => Promise<Reply>;

/** An option naming one artist, looked up by id or exact name; CLEAR passes through. */
async function artistRef(ctx: Context, guildId: string, options: OptionReader, name: string): Promise<string | undefined> {
  const raw = options.getString(name)?.trim();
  if (!raw) return undefined;
  if (raw === CLEAR) return CLEAR;
  const artist = await ctx.catalog.findArtist(guildId, raw);
  if (!artist) {
    throw new UserError(`${name}: no artist called "${raw}" in this server's catalog. Pick one from the suggestions, or add it first with /catalog artist add.`);
  }
  return artist.id;
}

async function artistRefs(ctx: Context, guildId: string, options: OptionReader): Promise<string[] | undefined> {
  const raw = options.getString('artists');
  if (raw === null || raw.trim() === '') return undefined;
  const ids: string[] = [];
  for (const item of splitList(raw)) {
    const artist = await ctx.catalog.findArtist(guildId, item);
    if (!artist) {
      throw new UserError(`artists: no artist called "${item}" in this server's catalog. Pick one from the suggestions, or add it first with /catalog artist add.`);
    }
    ids.push(artist.id);
  }
  return ids;
}

function nothingToChange(patch: object): void {
  if (Object.keys(patch).length === 0) throw new UserError('Nothing to change: give at least one field to edit (a value of "-" clears a field).');
}

async function findQuote(ctx: Context, guildId: string, id: string) {
  const quote = (await ctx.catalog.load(guildId)).quotes.find((q) => q.id === id.trim());
  if (!quote) throw new UserError(`quote: there is no quote with the id "${id.trim()}". Pick one from the suggestions.`);
  return quote;
}

async function findRelease(ctx: Context, guildId: string, id: string) {
  const release = (await ctx.catalog.load(guildId)).releases.find((r) => r.id === id.trim());
  if (!release) throw new UserError(`release: there is no release with the id "${id.trim()}". Pick one from the suggestions.`);
  return release;
}

const handlers: Record<string, Handler> = {
  async 'artist add'(interaction, ctx, guildId) {
    const o = interaction.options;
    const input = artistAddInput(o, { group: await artistRef(ctx, guildId, o, 'group') });
    return artistSaved('Added', await inOptionWords(() => ctx.catalog.addArtist(guildId, input)));
  },

  async 'artist edit'(interaction, ctx, guildId) {
    const o = interaction.options;
    const current = await ctx.catalog.requireArtist(guildId, o.getString('artist', true));
    const patch = artistPatch(o, current, { group: await artistRef(ctx, guildId, o, 'group') });
    nothingToChange(patch);
    const artist = await inOptionWords(() => ctx.catalog.editArtist(guildId, current.id, patch));
    return artistSaved('Updated', artist, touchedOptions(patch));
  },

  async 'artist remove'(interaction, ctx, guildId) {
    const current = await ctx.catalog.requireArtist(guildId, interaction.options.getString('artist', true));
    return artistSaved('Removed', await ctx.catalog.removeArtist(guildId, current.id));
  },

  async 'quote add'(interaction, ctx, guildId) {
    const o = interaction.options;
    const input = quoteAddInput(o, { artist: await artistRef(ctx, guildId, o, 'artist') });
    return quoteSaved('Added', await inOptionWords(() => ctx.catalog.addQuote(guildId, input)));
  },

  async 'quote edit'(interaction, ctx, guildId) {
    const o = interaction.options;
    const current = await findQuote(ctx, guildId, o.getString('quote', true));
    const artist = await artistRef(ctx, guildId, o, 'artist');
    if (artist === CLEAR) throw new UserError('artist: a quote always has an artist; pick another one instead of clearing it.');
    const patch = quotePatch(o, current, { artist });
    nothingToChange(patch);
    const quote = await inOptionWords(() => ctx.catalog.editQuote(guildId, current.id, patch));
    return quoteSaved('Updated', quote, touchedOptions(patch));
  },

  async 'quote remove'(interaction, ctx, guildId) {
    const current = await findQuote(ctx, guildId, interaction.options.getString('quote', true));
    return quoteSaved('Removed', await ctx.catalog.removeQuote(guildId, current.id));
  },

  async 'release add'(interaction, ctx, guildId) {
    const o = interaction.options;
    const input = releaseAddInput(o, { artists: await artistRefs(ctx, guildId, o) });
    const release = await inOptionWords(() => ctx.catalog.addRelease(guildId, input));
    return releaseSaved('Added', release, { settings: await ctx.repos.catalog.settings(guildId) });
  },

  async 'release edit'(interaction, ctx, guildId) {
    const o = interaction.options;
    const current = await findRelease(ctx, guildId, o.getString('release', true));
    const patch = releasePatch(o, { artists: await artistRefs(ctx, guildId, o) });
    nothingToChange(patch);
    const release = await inOptionWords(() => ctx.catalog.editRelease(guildId, current.id, patch));
    let moved = releaseMoment(release) !== releaseMoment(current);
    // A new time on the same date keeps the day's post: if that one is done, nothing more goes out.
    const dayDone = moved && release.date === current.date && (await ctx.repos.announcements.isDone(guildId, releaseKey('release', release), releaseMoment(release)));
    if (dayDone) moved = false;
    const settings = await ctx.repos.catalog.settings(guildId);
    return releaseSaved('Updated', release, { touched: touchedOptions(patch), settings, moved, dayDone });
  },

  async 'release remove'(interaction, ctx, guildId) {
    const current = await findRelease(ctx, guildId, interaction.options.getString('release', true));
    const release = await ctx.catalog.removeRelease(guildId, current.id);
    return releaseSaved('Removed', release, { settings: await ctx.repos.catalog.settings(guildId) });
  },

  async export(_interaction, ctx, guildId) {
    const catalog = await ctx.catalog.load(guildId);
    return {
      content: exportSummary(catalog),
      files: [{ attachment: Buffer.from(exportCatalog(catalog), 'utf8'), name: exportFileName(guildId) }],
    };
  },

  async import(interaction, ctx, guildId) {
    const attachment = interaction.options.getAttachment('file', true);
    const file = { url: attachment.url, name: attachment.name, size: attachment.size };
    const { plan, digest } = await planFromAttachment(ctx.catalog, guildId, file);
    if (changesNothing(plan)) return describePlan(plan);
    if (interaction.options.getBoolean('apply')) {
      await ctx.catalog.applyImport(guildId, plan);
      return importApplied(plan, file.name);
    }
    return importPreview(plan, file, digest);
  },

  async announce(interaction, ctx, guildId) {
    const channel = interaction.options.getChannel('channel', true);
    assertBotCanPost(interaction.guild, channel.id);
    const remind = interaction.options.getBoolean('remind-day-before');
    const typedZone = interaction.options.getString('timezone')?.trim();
    const zone = typedZone ? readTimeZone(typedZone) : undefined;
    if (zone && 'problem' in zone) {
      throw new UserError(
        zone.problem === UNKNOWN_ZONE
          ? `timezone: "${typedZone}" is not a time zone I know; use a name like Asia/Seoul or Europe/Paris (pick from the suggestions).`
          : `timezone: ${zone.problem}.`,
      );
    }
    const settings = await ctx.repos.catalog.updateSettings(guildId, (current) => ({
      ...current,
      announceChannelId: channel.id,
      ...(remind === null ? {} : { remindDayBefore: remind }),
      // Stored as Intl spells it, so "asia/seoul" and KST both read Asia/Seoul.
      ...(zone ? { timeZone: zone.zone } : {}),
    }));
    return `Release-day and birthday posts will go to <#${channel.id}>.\n${settingsView(settings)}`;
  },

  async 'announce-off'(_interaction, ctx, guildId) {
    const settings = await ctx.repos.catalog.updateSettings(guildId, ({ announceChannelId: _off, ...rest }) => rest);
    return `Release-day and birthday posts are off. /catalog announce turns them on again.\n${settingsView(settings)}`;
  },

  async settings(_interaction, ctx, guildId) {
    return settingsView(await ctx.repos.catalog.settings(guildId));
  },
};

export default {
  data: data.toJSON(),

  async execute(interaction, ctx) {
    requireManageGuild(interaction);
    const guildId = interaction.guildId!;
    // An import downloads a file; the rest is quick, but the store may be remote.
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const name = [interaction.options.getSubcommandGroup(false), interaction.options.getSubcommand()].filter(Boolean).join(' ');
    const handler = handlers[name];
    if (!handler) throw new Error(`unknown /catalog subcommand ${name}`);
    const reply = await handler(interaction, ctx, guildId);
    await interaction.editReply({ allowedMentions: { parse: [] }, ...(typeof reply === 'string' ? { content: reply } : reply) });
  },

  async autocomplete(interaction, ctx) {
    if (!interaction.inGuild() || !interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
      await interaction.respond([]);
      return;
    }
    const guildId = interaction.guildId;
    const focused = interaction.options.getFocused(true);
    const typed = String(focused.value);
    switch (focused.name) {
      case 'artist':
      case 'group':
        await interaction.respond(await ctx.catalog.autocomplete(guildId, typed));
        return;
      case 'artists':
        await interaction.respond(await artistListChoices(typed, (query) => ctx.catalog.autocomplete(guildId, query)));
        return;
      case 'quote':
        await interaction.respond(quoteChoices(await ctx.catalog.load(guildId), typed));
        return;
      case 'release':
        await interaction.respond(releaseChoices(await ctx.catalog.load(guildId), typed, ctx.now()));
        return;
      case 'timezone':
        await interaction.respond(timeZoneChoices(typed));
        return;
      default:
        await interaction.respond([]);
    }
  },

  async button(interaction, ctx) {
    requireManageGuild(interaction);
    const guildId = interaction.guildId!;
    if (interaction.customId === IMPORT_CANCEL) {
      await interaction.update({ content: 'Import cancelled; the catalog is unchanged.', embeds: [], components: [] });
      return;
    }
    if (!interaction.customId.startsWith(`${IMPORT_CONFIRM}:`)) return;
    // Downloading the file again can take longer than the 3 seconds a click must be answered in.
    await interaction.deferUpdate();
    const file = previewedFile(interaction.message.embeds);
    const plan = await confirmImport(ctx.catalog, guildId, interaction.customId, file);
    await interaction.editReply({ content: importApplied(plan, file?.name ?? 'the file'), embeds: [], components: [], allowedMentions: { parse: [] } });
  },
} satisfies Command;
