import type { Store } from './open.ts';
import { AnnouncementRepository } from './announcements.ts';
import { CatalogRepository } from './catalog.ts';
import { FeedRepository } from './feeds.ts';
import { OutboxRepository } from './outbox.ts';
import { SeenRepository } from './seen.ts';
import { SubscriptionRepository } from './subscriptions.ts';

export { openStore, type Store } from './open.ts';
export type { FeedRecord } from './feeds.ts';
export type { Subscription } from './subscriptions.ts';
export type { Delivery } from './outbox.ts';

/** Every repository over one store; handed around instead of the raw keyv. */
export interface Repositories {
  feeds: FeedRepository;
  subscriptions: SubscriptionRepository;
  seen: SeenRepository;
  outbox: OutboxRepository;
  catalog: CatalogRepository;
  announcements: AnnouncementRepository;
}

export function createRepositories(store: Store): Repositories {
  return {
    feeds: new FeedRepository(store.kv),
    subscriptions: new SubscriptionRepository(store.kv),
    seen: new SeenRepository(store.kv),
    outbox: new OutboxRepository(store.kv),
    catalog: new CatalogRepository(store.kv),
    announcements: new AnnouncementRepository(store.kv),
  };
}
