import { existsSync } from 'node:fs';
import { Routes, type RESTGetAPIOAuth2CurrentApplicationResult } from 'discord.js';
import { ConfigError, loadConfig } from './config.ts';
import { loadCommands } from './discord/loader.ts';
import { createRest } from './discord/rest.ts';

/**
 * `npm run deploy`: registers every command in commands/ with one PUT — to DEV_GUILD_ID
 * when set (instant, for testing), globally otherwise. Never run on start-up: Discord
 * caps daily command creations.
 */
export async function deployCommands(config: ReturnType<typeof loadConfig>): Promise<{ count: number; scope: string }> {
  const rest = createRest(config);
  const commands = [...(await loadCommands()).values()].map((command) => command.data);
  const app = (await rest.get(Routes.currentApplication())) as RESTGetAPIOAuth2CurrentApplicationResult;
  const route = config.devGuildId
    ? Routes.applicationGuildCommands(app.id, config.devGuildId)
    : Routes.applicationCommands(app.id);
  await rest.put(route, { body: commands });
  return { count: commands.length, scope: config.devGuildId ? `guild ${config.devGuildId}` : 'every server (global)' };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    const { count, scope } = await deployCommands(loadConfig(process.env, { requireToken: true }));
    console.log(`Registered ${count} commands for ${scope}.`);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `Could not register the commands: ${(error as Error).message}`);
    process.exit(1);
  }
}
