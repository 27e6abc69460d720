import { REST } from '@discordjs/rest';
import type { Config } from '../config.ts';

/** A REST client aimed at Discord, or at the stand-in named by DISCORD_API_URL. */
export function createRest(config: Pick<Config, 'discordApiUrl' | 'discordToken'>): REST {
  const rest = new REST(config.discordApiUrl ? { api: config.discordApiUrl } : {});
  if (config.discordToken) rest.setToken(config.discordToken);
  return rest;
}
