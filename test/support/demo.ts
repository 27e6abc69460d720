/**
 * `npm run demo`: the news desk end to end without a Discord account. Starts the Discord
 * stand-in, a feed server that publishes a sample K-pop story every few seconds, and the
 * real bot against both; subscribes a channel with a real /feed add interaction and
 * prints every post as it lands. Ctrl-C stops everything it started.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { startApp } from '../../src/app.ts';
import { deployCommands } from '../../src/deploy.ts';
import { startDiscordStandIn } from './discord/index.ts';
import { startFeedServer } from './feed-server.ts';
import { sampleStories, rssOf, type SampleStory } from './sample-stories.ts';

const PUBLISH_EVERY_MS = 6_000;

const dataDir = mkdtempSync(join(tmpdir(), 'lightstick-demo-'));
const discord = await startDiscordStandIn({ botUsername: 'Lightstick (demo)' });
const feeds = await startFeedServer();
const guild = discord.addGuild({ name: 'K-pop Fan Club' });
const news = discord.addChannel(guild.id, { name: 'kpop-news' });
const fans = discord.addRole(guild.id, { name: 'ARMY', mentionable: true });

/** Shows mentions the way Discord would render them. */
const render = (text: string) => text.replaceAll(`<#${news.id}>`, '#kpop-news').replaceAll(`<@&${fans.id}>`, '@ARMY');

const published: SampleStory[] = [];
const publish = () => {
  const story = sampleStories[published.length % sampleStories.length]!;
  const n = published.length;
  published.unshift({ ...story, id: `${story.id}-${n}`, link: `${story.link}-${n}`, date: new Date() });
  feeds.set('/kpop.xml', { body: rssOf(published.slice(0, 20)), contentType: 'application/rss+xml; charset=utf-8', conditional: true });
};
publish();

const config = loadConfig({
  DISCORD_TOKEN: discord.token,
  DISCORD_API_URL: discord.apiUrl,
  STORE_URL: `sqlite://${join(dataDir, 'demo.sqlite')}`,
  FEED_INTERVAL_SECONDS: '2',
  ALLOW_PRIVATE_FEED_HOSTS: 'true',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
});
const app = await startApp(config, createLogger(config.logLevel));
await deployCommands(config);
await discord.waitForReady();

console.log(`\nLightstick demo — Discord stand-in at ${discord.apiUrl}, feed at ${feeds.url('/kpop.xml')}`);
console.log(`A moderator runs: /feed add url:${feeds.url('/kpop.xml')} channel:#kpop-news role:@ARMY\n`);
const reply = await discord
  .dispatchSlashCommand({
    channelId: news.id,
    name: 'feed',
    subcommand: 'add',
    permissions: PermissionFlagsBits.ManageGuild,
    options: { url: feeds.url('/kpop.xml'), channel: news.id, role: fans.id },
  })
  .reply();
console.log(`Bot (only the moderator sees this): ${render(reply.content)}`);
const preview = reply.embeds[0] as { title?: string } | undefined;
if (preview?.title) console.log(`   [preview embed] ${preview.title}`);
console.log('');
console.log(`A new story is published every ${PUBLISH_EVERY_MS / 1000} s; each post prints below. Ctrl-C to stop.\n`);

const publisher = setInterval(publish, PUBLISH_EVERY_MS);
let shown = 0;
const printer = setInterval(() => {
  const posts = discord.messages(news.id).filter((m) => !m.interaction_id);
  for (const post of posts.slice(shown)) {
    const embed = (post.embeds[0] ?? {}) as { title?: string; url?: string; description?: string; author?: { name?: string }; footer?: { text?: string } };
    console.log(`#kpop-news ← ${post.content ? `${render(post.content)} ` : ''}${embed.title ?? '(no title)'}`);
    console.log(`   link:   ${embed.url ?? '-'}`);
    if (embed.author?.name) console.log(`   author: ${embed.author.name}`);
    console.log(`   feed:   ${embed.footer?.text ?? '-'}`);
    const firstLine = (embed.description ?? '').split('\n')[0] ?? '';
    console.log(`   ${firstLine.length > 110 ? `${firstLine.slice(0, 110)}…` : firstLine}\n`);
  }
  shown = posts.length;
}, 500);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  clearInterval(publisher);
  clearInterval(printer);
  console.log('\nStopping…');
  await app.stop();
  await discord.close();
  await feeds.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
