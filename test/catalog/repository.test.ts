import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.ts';
import { CatalogRepository, STARTER_REVISION } from '../../src/store/catalog.ts';
import { starterPack } from '../../src/catalog/starter-pack.ts';
import type { CatalogFile } from '../../src/catalog/schema.ts';
import { storeTargets } from '../helpers/stores.ts';

const GUILD = '111111111111111111';
const OTHER = '222222222222222222';

const withArtist = (catalog: CatalogFile, id: string): CatalogFile => ({
  ...catalog,
  artists: [...catalog.artists, { id, name: id, kind: 'soloist', nativeNames: [], aliases: [], memberships: [], links: [] }],
});

for (const target of storeTargets()) {
  describe.skipIf(!target.url)(`catalog repository on ${target.name}`, () => {
    let store: Store | undefined;
    let repo: CatalogRepository;

    const open = async () => {
      store = await openStore(target.url!, { namespace: target.namespace });
      repo = new CatalogRepository(store.kv);
    };

    afterEach(async () => {
      await store?.kv.clear();
      await store?.close();
      store = undefined;
    });

    it('reads a new guild as the starter pack without writing anything', async () => {
      await open();
      expect(await repo.load(GUILD)).toEqual(starterPack());
      expect(await repo.revision(GUILD)).toBe(STARTER_REVISION);
      expect((await repo.artists(GUILD)).map((a) => a.id)).toContain('jimin');
      expect((await repo.releases(GUILD)).map((r) => r.id)).toEqual(['with-you']);
      expect(await repo.quotes(GUILD)).toHaveLength(starterPack().quotes.length);
      expect(await repo.guildIds()).toEqual([]);
    });

    it('keeps one document per guild across a reopen, with a new revision per write', async () => {
      await open();
      const first = await repo.update(GUILD, (catalog) => withArtist(catalog, 'iu'));
      const revision = await repo.revision(GUILD);
      expect(revision).not.toBe(STARTER_REVISION);
      expect(first.artists.map((a) => a.id)).toContain('iu');
      await store!.close();
      await open();
      expect((await repo.artists(GUILD)).map((a) => a.id)).toContain('iu');
      expect(await repo.revision(GUILD)).toBe(revision);
      expect((await repo.document(GUILD)).revision).toBe(revision);
      expect(await repo.load(OTHER)).toEqual(starterPack());
      expect(await repo.guildIds()).toEqual([GUILD]);
    });

    it('serialises concurrent edits of one guild so none is lost', async () => {
      await open();
      await Promise.all(Array.from({ length: 15 }, (_, i) => repo.update(GUILD, (catalog) => withArtist(catalog, `solo-${i}`))));
      const ids = (await repo.artists(GUILD)).map((a) => a.id);
      for (let i = 0; i < 15; i += 1) expect(ids).toContain(`solo-${i}`);
    });

    it('writes nothing when a change throws', async () => {
      await open();
      await repo.update(GUILD, (catalog) => withArtist(catalog, 'iu'));
      const before = await repo.document(GUILD);
      await expect(
        repo.update(GUILD, () => {
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      expect(await repo.document(GUILD)).toEqual(before);
    });

    it('replaces the whole catalog only if it is still the revision that was checked', async () => {
      await open();
      const next = withArtist(starterPack(), 'iu');
      expect(await repo.replace(GUILD, next, { ifRevision: 'stale' })).toBeUndefined();
      expect(await repo.revision(GUILD)).toBe(STARTER_REVISION);
      const written = await repo.replace(GUILD, next, { ifRevision: STARTER_REVISION });
      expect(written).toBeTypeOf('string');
      expect(await repo.revision(GUILD)).toBe(written);
      expect(await repo.load(GUILD)).toEqual(next);
    });

    it('keeps settings per guild with defaults, and lists the guild', async () => {
      await open();
      expect(await repo.settings(GUILD)).toEqual({ remindDayBefore: false, timeZone: 'Asia/Seoul' });
      await repo.saveSettings(GUILD, { announceChannelId: '333333333333333333', remindDayBefore: true, timeZone: 'Europe/Paris' });
      await repo.updateSettings(OTHER, (s) => ({ ...s, remindDayBefore: true }));
      expect(await repo.settings(GUILD)).toEqual({ announceChannelId: '333333333333333333', remindDayBefore: true, timeZone: 'Europe/Paris' });
      expect((await repo.settings(OTHER)).remindDayBefore).toBe(true);
      expect((await repo.guildIds()).sort()).toEqual([GUILD, OTHER].sort());
      await expect(repo.saveSettings(GUILD, { remindDayBefore: true, timeZone: 'Mars/Olympus' })).rejects.toThrow();
    });

    it('canonicalises a zone on save, and keeps one stored before zones were checked strictly', async () => {
      await open();
      await repo.saveSettings(GUILD, { remindDayBefore: false, timeZone: 'asia/tokyo' });
      expect((await repo.settings(GUILD)).timeZone).toBe('Asia/Tokyo');
      await expect(repo.saveSettings(GUILD, { remindDayBefore: false, timeZone: 'EST' })).rejects.toThrow();

      // An older version let "EST" through; reading it must not stop the guild's posts.
      await store!.kv.set(`catalog:settings:${OTHER}`, { announceChannelId: '333333333333333333', remindDayBefore: true, timeZone: 'EST' });
      expect(await repo.settings(OTHER)).toEqual({ announceChannelId: '333333333333333333', remindDayBefore: true, timeZone: 'EST' });
      expect(await repo.updateSettings(OTHER, (s) => ({ ...s, remindDayBefore: false }))).toMatchObject({ timeZone: 'EST', remindDayBefore: false });
      await expect(repo.updateSettings(OTHER, (s) => ({ ...s, timeZone: 'CET' }))).rejects.toThrow();
      expect((await repo.updateSettings(OTHER, (s) => ({ ...s, timeZone: 'America/New_York' }))).timeZone).toBe('America/New_York');
    });

    it('remembers the last quote per channel and forgets a guild entirely', async () => {
      await open();
      await repo.setLastQuoteId(GUILD, 'c1', 'q1');
      expect(await repo.lastQuoteId(GUILD, 'c1')).toBe('q1');
      expect(await repo.lastQuoteId(GUILD, 'c2')).toBeUndefined();
      await repo.update(GUILD, (catalog) => withArtist(catalog, 'iu'));
      await repo.saveSettings(GUILD, { remindDayBefore: true, timeZone: 'Asia/Seoul' });
      await repo.forget(GUILD);
      expect(await repo.guildIds()).toEqual([]);
      expect(await repo.load(GUILD)).toEqual(starterPack());
      expect((await repo.settings(GUILD)).remindDayBefore).toBe(false);
    });

    it('stops at construction when the starter pack is broken', async () => {
      await open();
      expect(
        () =>
          new CatalogRepository(store!.kv, () => {
            throw new Error('starter pack is invalid');
          }),
      ).toThrow('starter pack is invalid');
    });
  });
}
