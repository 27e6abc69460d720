import { Events } from 'discord.js';
import type { EventHandler } from '../src/discord/command.ts';

export default {
  name: Events.Error,
  execute(ctx, error) {
    ctx.logger.error({ err: error }, 'gateway client error');
  },
} satisfies EventHandler<Events.Error>;
