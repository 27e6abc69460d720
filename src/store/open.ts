import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Keyv, { type KeyvStoreAdapter } from 'keyv';
import KeyvSqlite from '@keyv/sqlite';
import KeyvRedis from '@keyv/redis';
import KeyvPostgres from '@keyv/postgres';
import type { Logger } from '../logger.ts';

/** The one key-value store every repository module writes through. */
export interface Store {
  readonly kv: Keyv;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Keeps separate bots (or test runs) sharing one Redis/Postgres apart. */
  namespace?: string;
  logger?: Logger;
}

function adapterFor(url: string): KeyvStoreAdapter {
  const scheme = url.slice(0, url.indexOf(':'));
  switch (scheme) {
    case 'sqlite': {
      const file = url.slice('sqlite://'.length);
      if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
      // busyTimeout rides out a second process writing the same file.
      return new KeyvSqlite({ uri: url, busyTimeout: 10_000 }) as unknown as KeyvStoreAdapter;
    }
    case 'redis':
    case 'rediss':
      return new KeyvRedis(url) as unknown as KeyvStoreAdapter;
    case 'postgres':
    case 'postgresql':
      return new KeyvPostgres({ uri: url }) as unknown as KeyvStoreAdapter;
    default:
      throw new Error(`Unsupported STORE_URL scheme "${scheme}"`);
  }
}

export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const adapter = adapterFor(url);
  // Throwing, not keyv's default of reading errors as "no value": a store outage must
  // never look like a removed feed or an empty seen-set (that would repost a backlog).
  const kv = new Keyv({ store: adapter, namespace: options.namespace ?? 'lightstick', throwOnErrors: true });
  kv.on('error', (error: unknown) => options.logger?.error({ err: error }, 'store error'));
  if (adapter instanceof KeyvSqlite) await useWriteAheadLog(adapter);
  // Touch the store once so a wrong URL fails at start, not at the first command.
  await kv.get('__ping__');
  return {
    kv,
    async close() {
      await kv.disconnect();
    },
  };
}

/**
 * A write-ahead log with synchronous=NORMAL: a poll cycle's many small commits no longer
 * each rewrite a rollback journal and wait for its syncs. A crash of the process loses
 * no committed write. A power cut or OS crash may lose the last commits (the file stays
 * sound): the store then stands as it did a moment earlier, which the poll's write order
 * already copes with as with a crash mid-poll; at worst a story is posted twice. The log
 * needs a local disk (not a network file system); an in-memory database ignores it.
 */
async function useWriteAheadLog(sqlite: KeyvSqlite): Promise<void> {
  await sqlite.query('PRAGMA journal_mode=WAL');
  await sqlite.query('PRAGMA synchronous=NORMAL');
}
