import { describe, expect, it } from 'vitest';
import { itemKey, itemKeys, keyItems, normaliseLink } from '../../src/feeds/identify.ts';
import { diffItems } from '../../src/feeds/diff.ts';
import type { Item } from '../../src/feeds/item.ts';
import { parseFeed } from '../../src/feeds/parse.ts';

function item(fields: Partial<Item>): Item {
  return {
    id: undefined,
    link: undefined,
    title: undefined,
    summary: undefined,
    html: undefined,
    image: undefined,
    author: undefined,
    date: undefined,
    video: undefined,
    ...fields,
  };
}

describe('normaliseLink', () => {
  it('lower-cases scheme and host, drops default port, fragment and trailing slash', () => {
    expect(normaliseLink('HTTPS://WWW.Soompi.COM:443/Article/123/#comments')).toBe('https://www.soompi.com/Article/123');
    expect(normaliseLink('https://example.com/')).toBe('https://example.com/');
    expect(normaliseLink('https://example.com')).toBe('https://example.com/');
  });

  it('treats http and https as the same address', () => {
    expect(normaliseLink('http://example.com/a')).toBe(normaliseLink('https://example.com/a'));
    expect(normaliseLink('http://example.com:8080/a')).toBe('https://example.com:8080/a');
  });

  it('drops tracking parameters and sorts the rest', () => {
    expect(
      normaliseLink('https://x.test/a?utm_source=rss&b=2&utm_medium=feed&a=1&fbclid=abc&gclid=x&at_medium=RSS&at_campaign=KARANGA'),
    ).toBe('https://x.test/a?a=1&b=2');
    expect(normaliseLink('https://x.test/a?utm_source=rss')).toBe('https://x.test/a');
    expect(normaliseLink('https://www.youtube.com/watch?v=abc&t=1')).toBe('https://www.youtube.com/watch?t=1&v=abc');
  });

  it('keeps the order of repeated parameters', () => {
    expect(normaliseLink('https://x.test/?tag=b&p=1&tag=a')).toBe('https://x.test/?p=1&tag=b&tag=a');
  });

  it('spells every part of an address as the URL parser would', () => {
    expect(normaliseLink('http://example.com:443/a')).toBe('https://example.com/a');
    expect(normaliseLink('http://User:Pa%20ss@example.com/a//')).toBe('https://User:Pa%20ss@example.com/a');
    expect(normaliseLink('http://[::1]:8443/a')).toBe('https://[::1]:8443/a');
    expect(normaliseLink('https://bücher.example/ä?q=ü&utm_x=1')).toBe('https://xn--bcher-kva.example/%C3%A4?q=%C3%BC');
    expect(normaliseLink('https://x.test/a?')).toBe('https://x.test/a');
    expect(normaliseLink('urn:uuid:0b4f/?utm_source=x#top')).toBe('urn:uuid:0b4f/');
  });

  it('returns text that is not a URL trimmed', () => {
    expect(normaliseLink('  not a url ')).toBe('not a url');
  });
});

describe('itemKeys', () => {
  it('uses the id and the normalised link', () => {
    expect(itemKeys(item({ id: ' guid-1 ', link: 'https://x.test/story/?utm_source=rss' }))).toEqual([
      'id:guid-1',
      'link:https://x.test/story',
    ]);
  });

  it('falls back to a content hash when there is neither', () => {
    const keys = itemKeys(item({ title: 'Title', summary: 'Body', date: new Date('2026-02-14T00:00:00Z') }));
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^hash:[0-9a-f]{32}$/);
    expect(itemKeys(item({ title: 'Title', summary: 'Body', date: new Date('2026-02-14T00:00:00Z') }))).toEqual(keys);
    expect(itemKeys(item({ title: 'Title', summary: 'Other' }))).not.toEqual(keys);
  });

  it('recognises a story whose guid changed but whose link did not, and the other way round', () => {
    const before = itemKeys(item({ id: 'a', link: 'https://x.test/s?utm_source=rss' }));
    const after = itemKeys(item({ id: 'b', link: 'http://x.test/s/' }));
    expect(after.some((key) => before.includes(key))).toBe(true);
    expect(itemKeys(item({ id: 'a', link: 'https://x.test/moved' })).some((key) => before.includes(key))).toBe(true);
  });

  it('leaves out links many stories share: a home page, a #fragment of one page', () => {
    expect(itemKeys(item({ id: 'ep-62', link: 'http://taverncast.com/' }))).toEqual(['id:ep-62']);
    expect(itemKeys(item({ id: 'c1', link: 'https://trac.test/ticket/1#comment:1' }))).toEqual(['id:c1']);
    expect(itemKeys(item({ id: 'p', link: 'https://blog.test/?p=123' }))).toEqual(['id:p', 'link:https://blog.test/?p=123']);
    // Without an id the fragment is all that tells such stories apart.
    expect(itemKeys(item({ link: 'https://trac.test/ticket/1#comment:2' }))).toEqual(['link:https://trac.test/ticket/1#comment:2']);
  });

  it('itemKey is the most trusted key', () => {
    expect(itemKey(item({ id: 'g', link: 'https://x.test/a' }))).toBe('id:g');
    expect(itemKey(item({ link: 'https://x.test/a' }))).toBe('link:https://x.test/a');
    expect(itemKey(item({ title: 't' }))).toMatch(/^hash:/);
  });

  it('gives a podcast that links every episode to its home page one key per episode', async () => {
    const episodes = [1, 2, 3].map((n) => `<item><title>Ep ${n}</title><link>http://taverncast.com/</link><guid>http://taverncast.com/shows/${n}.mp3</guid></item>`);
    const feed = await parseFeed(`<rss version="2.0"><channel><title>T</title>${episodes.join('')}</channel></rss>`, 'https://taverncast.com/rss');
    const keys = feed.items.map(itemKeys);
    expect(new Set(keys.flat()).size).toBe(3);
  });
});

describe('keyItems', () => {
  const episode = (id: string) => ({
    id,
    link: 'https://ex.com/podcast',
    title: `Episode ${id}`,
    summary: undefined,
    html: undefined,
    image: undefined,
    author: undefined,
    date: undefined,
    video: undefined,
  });

  it('drops a link that stories with different ids share, so it never hides the next one', () => {
    const first = keyItems([episode('ep1'), episode('ep2')]);
    expect(first.map((k) => k.keys)).toEqual([['id:ep1'], ['id:ep2']]);
    const seen = new Set(first.flatMap((k) => k.keys));
    const next = diffItems([episode('ep3'), episode('ep2'), episode('ep1')], seen, { now: 0, maxAgeMs: Infinity, maxPerPoll: 10 });
    expect(next.fresh.map(({ item }) => item.id)).toEqual(['ep3']);
  });

  it('keeps a link that only one story uses', () => {
    const [only] = keyItems([{ ...episode('a'), link: 'https://ex.com/story-a' }]);
    expect(only?.keys).toEqual(['id:a', 'link:https://ex.com/story-a']);
  });
});
