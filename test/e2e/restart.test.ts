import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { APIEmbed } from 'discord.js';
import { feedPublisher, numberedStory, type SampleStory } from '../support/sample-stories.ts';
import { automaticPosts, feedAdd, sleep, startWorld, waitFor, type World } from './harness.ts';


/** The bot as users run it: `npm start`'s entry point in its own process. */
function startBotProcess(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

describe('the bot process', () => {
  let world: World;
  let child: ChildProcess | undefined;
  let feed: ReturnType<typeof feedPublisher>;
  const publish = (...stories: SampleStory[]) => feed.publish(...stories);

  beforeEach(async () => {
    world = await startWorld();
    feed = feedPublisher(world.feeds, '/kpop.xml');
    publish(numberedStory(1), numberedStory(2));
  });

  afterEach(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    await world.close();
  });

  it('killed with SIGKILL and restarted on the same store, reposts nothing and loses nothing', async () => {
    child = startBotProcess(world.env);
    await world.discord.waitForReady(20_000);
    await feedAdd(world, world.feeds.url('/kpop.xml'));
    publish(numberedStory(3));
    await waitFor(() => automaticPosts(world).length === 1, 'the first post', 15_000);

    child.kill('SIGKILL');
    await once(child, 'exit');
    await waitFor(() => world.discord.connectedClients === 0, 'the gateway to notice');
    publish(numberedStory(4), numberedStory(5));

    child = startBotProcess(world.env);
    await world.discord.waitForReady(20_000);
    await waitFor(() => automaticPosts(world).length >= 3, 'the stories published while down', 15_000);
    await sleep(2500);
    const titles = automaticPosts(world).map((post) => (post.embeds[0] as APIEmbed).title);
    expect(titles).toEqual(['Story number 3', 'Story number 4', 'Story number 5']);
  });

  it('stops on SIGTERM and exits 0, never printing the token even at trace level', async () => {
    child = startBotProcess({ ...world.env, LOG_LEVEL: 'trace' });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await world.discord.waitForReady(20_000);
    await feedAdd(world, world.feeds.url('/kpop.xml'));
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(output).toContain('shutting down');
    expect(output).not.toContain(world.discord.token);
  });

  it('with a wrong token, exits 1 without printing it', async () => {
    const wrong = `${world.discord.token.slice(0, -6)}XXXXXX`;
    child = startBotProcess({ ...world.env, DISCORD_TOKEN: wrong, LOG_LEVEL: 'trace' });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(output).toContain('could not start');
    expect(output).not.toContain(wrong);
  });

  it('without a token, exits 1 saying how to get one', async () => {
    child = startBotProcess({ ...world.env, DISCORD_TOKEN: '' });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(stderr).toContain('DISCORD_TOKEN');
    expect(stderr).toContain('discord.com/developers/applications');
  });
});
