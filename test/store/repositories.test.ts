import { afterEach, describe, expect, it } from 'vitest';
import { createRepositories, openStore, type Repositories, type Store, type Subscription } from '../../src/store/index.ts';
import { SEEN_HISTORY } from '../../src/store/seen.ts';
import { storeTargets } from '../helpers/stores.ts';

const sub = (id: string, over: Partial<Subscription> = {}): Subscription => ({
  id,
  guildId: '111111111111111111',
  channelId: '222222222222222222',
  feedId: 'feed1',
  paused: false,
  createdAt: 1,
  createdBy: '333333333333333333',
  ...over,
});

for (const target of storeTargets()) {
  describe.skipIf(!target.url)(`repositories on ${target.name}`, () => {
    let store: Store | undefined;
    let repos: Repositories;

    const open = async () => {
      store = await openStore(target.url!, { namespace: target.namespace });
      repos = createRepositories(store);
    };

    afterEach(async () => {
      await store?.kv.clear();
      await store?.close();
      store = undefined;
    });

    it('keeps feeds and their index across a reopen', async () => {
      await open();
      await repos.feeds.put({ id: 'a', url: 'https://a.example/feed', failures: 0, nextFetchAt: 5 });
      await repos.feeds.put({ id: 'b', url: 'https://b.example/feed', failures: 0, nextFetchAt: 6 });
      await repos.feeds.update('a', (f) => ({ ...f, etag: '"x"' }));
      await store!.close();
      await open();
      expect((await repos.feeds.all()).map((f) => f.id).sort()).toEqual(['a', 'b']);
      expect((await repos.feeds.get('a'))?.etag).toBe('"x"');
      await repos.feeds.delete('a');
      expect(await repos.feeds.ids()).toEqual(['b']);
    });

    it('indexes subscriptions by guild and by feed, under concurrent writes', async () => {
      await open();
      await Promise.all(Array.from({ length: 20 }, (_, i) => repos.subscriptions.create(sub(`s${i}`, { feedId: i % 2 ? 'odd' : 'even' }))));
      expect(await repos.subscriptions.forGuild('111111111111111111')).toHaveLength(20);
      expect(await repos.subscriptions.forFeed('odd')).toHaveLength(10);
      const first = (await repos.subscriptions.get('s1'))!;
      await repos.subscriptions.delete(first);
      expect(await repos.subscriptions.forFeed('odd')).toHaveLength(9);
      expect(await repos.subscriptions.get('s1')).toBeUndefined();
    });

    it('bounds a seen-set but never forgets a key of the current body', async () => {
      await open();
      const history = Array.from({ length: SEEN_HISTORY + 500 }, (_, i) => `id:${i}`);
      await repos.seen.record('f', history, undefined);
      const current = Array.from({ length: 300 }, (_, i) => `id:new-${i}`);
      await repos.seen.record('f', current, await repos.seen.get('f'));
      const seen = (await repos.seen.get('f'))!;
      expect(seen.size).toBe(current.length + SEEN_HISTORY);
      for (const key of current) expect(seen.has(key)).toBe(true);
      // The most recent of the older keys survive; the oldest are the ones dropped.
      expect(seen.has('id:0')).toBe(true);
      expect(seen.has(`id:${SEEN_HISTORY + 499}`)).toBe(false);
    });

    it('queues deliveries once per id and survives a reopen', async () => {
      await open();
      const delivery = { id: 'n1', subscriptionId: 's', channelId: 'c', itemKey: 'id:1', body: { content: 'x' }, queuedAt: 1, attempts: 0 };
      await repos.outbox.enqueue('f', [delivery]);
      await repos.outbox.enqueue('f', [delivery, { ...delivery, id: 'n2' }]);
      await store!.close();
      await open();
      expect((await repos.outbox.list('f')).map((d) => d.id)).toEqual(['n1', 'n2']);
      await repos.outbox.replace('f', []);
      expect(await repos.outbox.list('f')).toEqual([]);
    });
  });
}
