import { Events } from 'discord.js';
import type { EventHandler } from '../src/discord/command.ts';

export default {
  name: Events.ClientReady,
  once: true,
  execute(ctx, client) {
    ctx.logger.info({ user: client.user.tag, guilds: client.guilds.cache.size }, 'connected to Discord');
  },
} satisfies EventHandler<Events.ClientReady>;
