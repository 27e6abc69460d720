import { PermissionFlagsBits } from 'discord.js';
import { pino } from 'pino';
import { startApp, type App, type AppOverrides } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { deployCommands } from '../../src/deploy.ts';
import { startDiscordStandIn, type DiscordStandIn } from '../support/discord/index.ts';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { sqliteUrl } from '../helpers/stores.ts';

/** A Discord stand-in with one server, a news channel and a fan role, plus a feed server. */
export interface World {
  discord: DiscordStandIn;
  feeds: FeedServer;
  guildId: string;
  channelId: string;
  roleId: string;
  storeUrl: string;
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const discord = await startDiscordStandIn();
  const feeds = await startFeedServer();
  const guild = discord.addGuild({ name: 'Fan Club' });
  const channel = discord.addChannel(guild.id, { name: 'kpop-news' });
  const role = discord.addRole(guild.id, { name: 'ARMY', mentionable: true });
  const storeUrl = sqliteUrl();
  const env = {
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.apiUrl,
    STORE_URL: storeUrl,
    FEED_INTERVAL_SECONDS: '1',
    ALLOW_PRIVATE_FEED_HOSTS: 'true',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  };
  await deployCommands(loadConfig(env));
  return {
    discord,
    feeds,
    guildId: guild.id,
    channelId: channel.id,
    roleId: role.id,
    storeUrl,
    env,
    async close() {
      await discord.close();
      await feeds.close();
    },
  };
}

export async function startBot(world: World, overrides: AppOverrides = {}): Promise<{ app: App; config: Config }> {
  const config = loadConfig(world.env);
  const app = await startApp(config, pino({ level: config.logLevel }), overrides);
  await world.discord.waitForReady();
  return { app, config };
}

export function feedAdd(world: World, url: string, options: { role?: string; permissions?: bigint; channel?: string } = {}) {
  return world.discord
    .dispatchSlashCommand({
      channelId: world.channelId,
      name: 'feed',
      subcommand: 'add',
      permissions: options.permissions ?? PermissionFlagsBits.ManageGuild,
      options: {
        url,
        channel: options.channel ?? world.channelId,
        ...(options.role ? { role: options.role } : {}),
      },
    })
    .reply(10_000);
}

export function feedCommand(world: World, subcommand: string, options: Record<string, string> = {}) {
  return world.discord
    .dispatchSlashCommand({
      channelId: world.channelId,
      name: 'feed',
      subcommand,
      permissions: PermissionFlagsBits.ManageGuild,
      options,
    })
    .reply(10_000);
}

/** Posts the bot made on its own (not interaction replies) in a channel. */
export function automaticPosts(world: World, channelId = world.channelId) {
  return world.discord.messages(channelId).filter((message) => !message.interaction_id && !message.webhook_id);
}

export async function waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
