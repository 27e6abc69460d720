import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { deployCommands } from '../src/deploy.ts';
import { loadCommands } from '../src/discord/loader.ts';
import { startDiscordStandIn, type DiscordStandIn } from './support/discord/index.ts';

describe('the commands/ folder', () => {
  let discord: DiscordStandIn;
  beforeAll(async () => {
    discord = await startDiscordStandIn();
  });
  afterAll(async () => {
    await discord.close();
  });

  it('loads every file as a command with a unique name', async () => {
    const commands = await loadCommands();
    expect(commands.size).toBeGreaterThan(0);
    for (const [name, command] of commands) {
      expect(name).toMatch(/^[a-z0-9_-]{1,32}$/);
      expect(command.data.description.length).toBeGreaterThan(0);
      expect(command.data.description.length).toBeLessThanOrEqual(100);
    }
  });

  it('registers with one PUT that the stand-in accepts under Discord\'s limits', async () => {
    const guild = discord.addGuild();
    const config = loadConfig({ DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl, DEV_GUILD_ID: guild.id });
    const { count, scope } = await deployCommands(config);
    expect(scope).toContain(guild.id);
    expect(discord.commands(guild.id)).toHaveLength(count);
    const puts = discord.requests.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(1);

    const global = await deployCommands(loadConfig({ DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl }));
    expect(global.scope).toContain('global');
    expect(discord.commands()).toHaveLength(count);
  });

  it('hides moderator commands behind Manage Server', async () => {
    const commands = await loadCommands();
    expect(commands.get('feed')?.data.default_member_permissions).toBe('32');
  });
});
