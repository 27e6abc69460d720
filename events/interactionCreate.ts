import { Events } from 'discord.js';
import type { EventHandler } from '../src/discord/command.ts';
import { handleInteraction } from '../src/discord/interactions.ts';

export default {
  name: Events.InteractionCreate,
  async execute(ctx, interaction) {
    await handleInteraction(interaction, ctx.commands, ctx);
  },
} satisfies EventHandler<Events.InteractionCreate>;
