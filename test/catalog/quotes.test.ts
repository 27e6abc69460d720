import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.ts';
import { CatalogRepository } from '../../src/store/catalog.ts';
import { Catalog } from '../../src/catalog/catalog-service.ts';
import { pickQuote } from '../../src/catalog/quote-picker.ts';
import type { Quote } from '../../src/catalog/schema.ts';
import { sqliteUrl } from '../helpers/stores.ts';

const GUILD = '111111111111111111';
const source = { title: 'A post', url: 'https://example.com/post' };
const q = (id: string): Quote => ({ id, artistId: 'a', text: id, source });

describe('pickQuote', () => {
  it('never picks the last one when another exists, whatever the dice say', () => {
    const quotes = [q('a'), q('b'), q('c')];
    for (const roll of [0, 0.34, 0.5, 0.99, 0.999999]) expect(pickQuote(quotes, 'a', () => roll)?.id).not.toBe('a');
    expect(pickQuote([q('only')], 'only')?.id).toBe('only');
    expect(pickQuote([], undefined)).toBeUndefined();
  });
});

describe('random quotes', () => {
  let store: Store;
  let repo: CatalogRepository;

  beforeEach(async () => {
    store = await openStore(sqliteUrl());
    repo = new CatalogRepository(store.kv);
  });

  afterEach(async () => {
    await store.close();
  });

  it('never repeats a quote twice in a row in one channel', async () => {
    const catalog = new Catalog(repo);
    let previous: string | undefined;
    for (let i = 0; i < 60; i += 1) {
      const quote = await catalog.randomQuote(GUILD, { channelId: 'c1' });
      expect(quote).toBeDefined();
      expect(quote!.id).not.toBe(previous);
      previous = quote!.id;
    }
  });

  it('keeps each channel to itself, and remembers across a restart', async () => {
    // Always the first candidate: what changes the answer is only the memory.
    const first = new Catalog(repo, { random: () => 0 });
    const a = await first.randomQuote(GUILD, { channelId: 'c1' });
    const b = await first.randomQuote(GUILD, { channelId: 'c2' });
    expect(b!.id).toBe(a!.id);
    const restarted = new Catalog(new CatalogRepository(store.kv), { random: () => 0 });
    expect((await restarted.randomQuote(GUILD, { channelId: 'c1' }))!.id).not.toBe(a!.id);
  });

  it('does not repeat under concurrent asks in one channel', async () => {
    const catalog = new Catalog(repo, { random: () => 0 });
    const picks = await Promise.all(Array.from({ length: 6 }, () => catalog.randomQuote(GUILD, { channelId: 'c1' })));
    for (let i = 1; i < picks.length; i += 1) expect(picks[i]!.id).not.toBe(picks[i - 1]!.id);
  });

  it("picks among an artist's quotes, a group's including its current members', and repeats a lone one", async () => {
    const catalog = new Catalog(repo);
    await catalog.addQuote(GUILD, { id: 'jimin-ost', artistId: 'jimin', text: 'It’s my first time doing this.', source });
    for (let i = 0; i < 5; i += 1) expect((await catalog.randomQuote(GUILD, { artistId: 'jimin', channelId: 'c1' }))!.id).toBe('jimin-ost');
    expect((await catalog.randomQuote(GUILD, { artistId: 'bts', channelId: 'c1' }))!.id).toBe('jimin-ost');
    expect((await catalog.randomQuote(GUILD, { artistId: 'ha-sung-woon', channelId: 'c1' }))!.artistId).toBe('ha-sung-woon');
    // Wanna One's member Ha Sung Woon is a former one: his quotes are his, not the group's.
    expect(await catalog.randomQuote(GUILD, { artistId: 'wanna-one', channelId: 'c1' })).toBeUndefined();
  });
});
