import { describe, expect, it } from 'vitest';
import Keyv from 'keyv';
import { upcomingReleases, upcomingUntil } from '../../src/catalog/lookup.ts';
import { starterPack } from '../../src/catalog/starter-pack.ts';
import { Catalog } from '../../src/catalog/catalog-service.ts';
import { CatalogRepository } from '../../src/store/catalog.ts';
import type { CatalogFile, Release } from '../../src/catalog/schema.ts';

const release = (id: string, over: Partial<Release>): Release => ({
  id,
  artistIds: ['bts'],
  title: id,
  type: 'single',
  date: '2030-01-01',
  timeZone: 'Asia/Seoul',
  links: [],
  ...over,
});

const catalogWith = (releases: Release[]): CatalogFile => ({ ...starterPack(), releases });
const at = (iso: string) => Date.parse(iso);

describe('upcoming releases', () => {
  const releases = [
    release('later', { date: '2030-03-01', time: '18:00' }),
    release('soon', { date: '2030-01-10', time: '18:00' }),
    release('past', { date: '2029-12-01', time: '18:00' }),
    release('paris', { date: '2030-01-10', time: '10:00', timeZone: 'Europe/Paris' }), // 18:00 KST, same instant as "soon"
    release('solo', { date: '2030-01-05', time: '18:00', artistIds: ['ha-sung-woon'] }),
  ];

  it('lists releases not out yet, soonest first', () => {
    const now = at('2030-01-01T00:00:00Z');
    expect(upcomingReleases(catalogWith(releases), { now }).map((r) => r.id)).toEqual(['solo', 'paris', 'soon', 'later']);
  });

  it('keeps a release until its moment, in its own time zone', () => {
    const ids = (now: string) => upcomingReleases(catalogWith(releases), { now: at(now) }).map((r) => r.id);
    // 18:00 KST is 09:00 UTC.
    expect(ids('2030-01-10T08:59:00Z')).toContain('soon');
    expect(ids('2030-01-10T09:00:00Z')).not.toContain('soon');
  });

  it('filters to a number of days ahead', () => {
    const now = at('2030-01-01T00:00:00Z');
    expect(upcomingReleases(catalogWith(releases), { now, withinDays: 7 }).map((r) => r.id)).toEqual(['solo']);
    expect(upcomingReleases(catalogWith(releases), { now, withinDays: 10 }).map((r) => r.id)).toEqual(['solo', 'paris', 'soon']);
  });

  it("counts a release with no announced time as upcoming for all of its day, in its zone", () => {
    const untimed = release('untimed', { date: '2030-01-10' });
    const ids = (now: string) => upcomingReleases(catalogWith([untimed]), { now: at(now) }).map((r) => r.id);
    expect(ids('2030-01-10T14:00:00Z')).toEqual(['untimed']); // 23:00 KST on the day
    expect(ids('2030-01-10T15:00:00Z')).toEqual([]); // midnight KST, the day after
    expect(new Date(upcomingUntil(untimed)).toISOString()).toBe('2030-01-10T15:00:00.000Z');
    // Sorted by the start of its day: before a timed release the same evening.
    const both = upcomingReleases(catalogWith([release('evening', { date: '2030-01-10', time: '18:00' }), untimed]), { now: at('2030-01-10T01:00:00Z') });
    expect(both.map((r) => r.id)).toEqual(['untimed', 'evening']);
  });

  it("for an artist, includes its current groups' releases but not its former groups'", () => {
    const now = at('2030-01-01T00:00:00Z');
    const file = catalogWith([...releases, release('wanna', { date: '2030-02-01', artistIds: ['wanna-one'] })]);
    expect(upcomingReleases(file, { now, artistId: 'jimin' }).map((r) => r.id)).toEqual(['paris', 'soon', 'later']);
    expect(upcomingReleases(file, { now, artistId: 'ha-sung-woon' }).map((r) => r.id)).toEqual(['solo']);
  });

  it('gives the next release for an artist through the catalog service', async () => {
    const catalog = new Catalog(new CatalogRepository(new Keyv()));
    const guild = '1';
    expect(await catalog.nextReleaseFor(guild, 'jimin', at('2022-04-24T13:59:00Z'))).toMatchObject({ id: 'with-you' });
    expect(await catalog.nextReleaseFor(guild, 'jimin', at('2022-04-24T14:00:00Z'))).toBeUndefined();
    expect((await catalog.upcomingReleases(guild, { now: at('2022-04-20T00:00:00Z'), withinDays: 3 })).map((r) => r.id)).toEqual([]);
    expect((await catalog.upcomingReleases(guild, { now: at('2022-04-20T00:00:00Z'), withinDays: 5 })).map((r) => r.id)).toEqual(['with-you']);
  });
});
