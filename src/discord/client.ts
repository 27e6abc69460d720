import { Client, GatewayIntentBits } from 'discord.js';
import type { Config } from '../config.ts';
import type { Context } from '../context.ts';
import { loadEvents } from './loader.ts';

/** The gateway client: only the Guilds intent (commands and channel permissions need nothing more). */
export async function createClient(config: Config, ctx: Context): Promise<Client> {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    ...(config.discordApiUrl ? { rest: { api: config.discordApiUrl } } : {}),
  });
  for (const handler of await loadEvents()) {
    const listener = (...args: unknown[]) => {
      Promise.resolve((handler.execute as (ctx: Context, ...rest: unknown[]) => unknown)(ctx, ...args)).catch((error: unknown) =>
        ctx.logger.error({ err: error, event: handler.name }, 'event handler failed'),
      );
    };
    if (handler.once) client.once(handler.name, listener);
    else client.on(handler.name, listener);
  }
  return client;
}
