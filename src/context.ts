import type { Catalog } from './catalog/catalog-service.ts';
import type { Config } from './config.ts';
import type { Command } from './discord/command.ts';
import type { Logger } from './logger.ts';
import type { NewsDesk } from './feeds/news-desk.ts';
import type { Repositories } from './store/index.ts';

/** What every command and event handler receives; built once in main.ts, never global. */
export interface Context {
  config: Config;
  logger: Logger;
  repos: Repositories;
  newsDesk: NewsDesk;
  catalog: Catalog;
  commands: ReadonlyMap<string, Command>;
  /** The clock every handler reads, so tests can move time. */
  now: () => number;
}
