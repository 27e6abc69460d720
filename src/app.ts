import type { Client } from 'discord.js';
import { Announcer } from './catalog/announcer.ts';
import { Catalog } from './catalog/catalog-service.ts';
import type { Config } from './config.ts';
import type { Context } from './context.ts';
import { createClient } from './discord/client.ts';
import { loadCommands } from './discord/loader.ts';
import { createPoster } from './discord/poster.ts';
import { createRest } from './discord/rest.ts';
import { MAX_POSTS_PER_POLL } from './feeds/diff.ts';
import { FeedEngine } from './feeds/engine.ts';
import type { FetchOptions } from './feeds/fetch.ts';
import { NewsDesk } from './feeds/news-desk.ts';
import type { Logger } from './logger.ts';
import { createRepositories, openStore, type Store } from './store/index.ts';

export const USER_AGENT = 'Lightstick/0.1 (Discord news bot; +https://github.com/lightstick-bot/lightstick)';

export interface App {
  client: Client;
  engine: FeedEngine;
  announcer: Announcer;
  store: Store;
  ctx: Context;
  /** Stops polling, leaves the gateway and closes the store; safe to call twice. */
  stop(): Promise<void>;
}

export interface AppOverrides {
  /** Keeps concurrent test runs apart in a shared Redis/Postgres. */
  storeNamespace?: string;
  now?: () => number;
  noticeAfterMs?: number;
  announcerTickMs?: number;
}

export function fetchOptionsFor(config: Config): FetchOptions {
  return {
    userAgent: USER_AGENT,
    timeoutMs: 15_000,
    maxBodyBytes: 5 * 1024 * 1024,
    maxRedirects: 5,
    allowPrivate: config.allowPrivateFeedHosts,
  };
}

/** The composition root: config → logger → store → REST → engine → client. */
export async function startApp(config: Config, logger: Logger, overrides: AppOverrides = {}): Promise<App> {
  const store = await openStore(config.storeUrl, { namespace: overrides.storeNamespace, logger });
  const repos = createRepositories(store);
  const rest = createRest(config);
  const fetch = fetchOptionsFor(config);
  const poster = createPoster(rest);
  const engine = new FeedEngine({
    repos,
    poster,
    logger: logger.child({ module: 'feeds' }),
    now: overrides.now,
    settings: {
      intervalMs: config.feedIntervalMs,
      maxItemAgeMs: config.feedMaxAgeMs,
      maxPostsPerPoll: MAX_POSTS_PER_POLL,
      noticeAfterFailures: 5,
      noticeAfterMs: overrides.noticeAfterMs ?? 12 * 3_600_000,
      fetch,
    },
  });
  const newsDesk = new NewsDesk({ repos, engine, logger, fetch, intervalMs: config.feedIntervalMs, now: overrides.now });
  const catalog = new Catalog(repos.catalog);
  const announcer = new Announcer({
    source: repos.catalog,
    poster,
    repo: repos.announcements,
    logger: logger.child({ module: 'announcer' }),
    now: overrides.now ?? Date.now,
    tickMs: overrides.announcerTickMs,
  });
  const commands = await loadCommands();
  const ctx: Context = { config, logger, repos, newsDesk, catalog, commands, now: overrides.now ?? Date.now };
  const client = await createClient(config, ctx);

  await engine.start();
  announcer.start();
  try {
    await client.login(config.discordToken);
  } catch (error) {
    await engine.stop();
    await announcer.stop();
    await store.close();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    client,
    engine,
    announcer,
    store,
    ctx,
    stop() {
      stopping ??= (async () => {
        await Promise.all([engine.stop(), announcer.stop()]);
        await client.destroy();
        await store.close();
      })();
      return stopping;
    },
  };
}
