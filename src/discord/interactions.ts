import { randomUUID } from 'node:crypto';
import {
  MessageFlags,
  PermissionFlagsBits,
  type BaseInteraction,
  type ChatInputCommandInteraction,
  type ButtonInteraction,
  type RepliableInteraction,
} from 'discord.js';
import { UserError } from '../errors.ts';
import type { Context } from '../context.ts';
import type { Command } from './command.ts';

/**
 * The one error boundary for interactions: routes each to its command, shows a
 * UserError's message as is (ephemeral), and answers anything else with a short apology
 * and an id that is also in the log.
 */
export async function handleInteraction(
  interaction: BaseInteraction,
  commands: ReadonlyMap<string, Command>,
  ctx: Context,
): Promise<void> {
  if (interaction.isAutocomplete()) {
    const command = commands.get(interaction.commandName);
    try {
      await command?.autocomplete?.(interaction, ctx);
    } catch (error) {
      ctx.logger.error({ err: error, command: interaction.commandName, guildId: interaction.guildId }, 'autocomplete failed');
      if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
    }
    return;
  }
  if (interaction.isChatInputCommand()) {
    const command = commands.get(interaction.commandName);
    if (!command) return;
    await guarded(interaction, ctx, () => command.execute(interaction, ctx));
    return;
  }
  if (interaction.isButton()) {
    const command = commands.get(interaction.customId.split(':')[0] ?? '');
    if (!command?.button) return;
    await guarded(interaction, ctx, () => command.button!(interaction, ctx));
  }
}

async function guarded(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  ctx: Context,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    let message: string;
    if (error instanceof UserError) {
      message = error.message;
    } else {
      const errorId = randomUUID().slice(0, 8);
      ctx.logger.error(
        {
          err: error,
          errorId,
          interactionId: interaction.id,
          command: interaction.isChatInputCommand() ? interaction.commandName : interaction.customId,
          guildId: interaction.guildId,
          userId: interaction.user.id,
        },
        'interaction failed',
      );
      message = `Something went wrong on my side. If it keeps happening, give the bot's owner this code: \`${errorId}\`.`;
    }
    await replyWithError(interaction, message).catch((replyError: unknown) =>
      ctx.logger.warn({ err: replyError, interactionId: interaction.id }, 'could not show the error to the member'),
    );
  }
}

async function replyWithError(interaction: RepliableInteraction, content: string): Promise<void> {
  if (interaction.deferred && !interaction.replied) {
    await interaction.editReply({ content, embeds: [], components: [], files: [] });
  } else if (interaction.replied) {
    await interaction.followUp({ content, flags: MessageFlags.Ephemeral });
  } else {
    await interaction.reply({ content, flags: MessageFlags.Ephemeral });
  }
}

/** Configuration commands are hidden from members by default_member_permissions; this re-checks at run time. */
export function requireManageGuild(interaction: RepliableInteraction): void {
  if (!interaction.inGuild()) throw new UserError('This command only works inside a server.');
  if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
    throw new UserError('Only members with the **Manage Server** permission can do that.');
  }
}
