import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

/** Every store backend a test can run on: SQLite always, Redis and PostgreSQL when CI names them. */
export interface StoreTarget {
  name: string;
  url: string | undefined;
  /** A fresh namespace, so runs sharing a server never see each other's keys. */
  namespace: string;
}

export function sqliteUrl(): string {
  return `sqlite://${join(mkdtempSync(join(tmpdir(), 'lightstick-')), 'store.sqlite')}`;
}

export function storeTargets(): StoreTarget[] {
  const ns = () => `test-${randomUUID().slice(0, 8)}`;
  return [
    { name: 'sqlite', url: sqliteUrl(), namespace: ns() },
    { name: 'redis', url: process.env.REDIS_URL || undefined, namespace: ns() },
    { name: 'postgres', url: process.env.DATABASE_URL || undefined, namespace: ns() },
  ];
}
