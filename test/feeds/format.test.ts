import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EMBED_COLOR, formatItem } from '../../src/feeds/format.ts';
import { DISCORD_LIMITS } from '../../src/discord/limits.ts';
import type { Item } from '../../src/feeds/item.ts';
import { parseFeed } from '../../src/feeds/parse.ts';

const FEED = { title: 'Soompi', url: 'https://www.soompi.com/feed' };
const ROLE = '123456789012345678';

function item(fields: Partial<Item>): Item {
  return {
    id: 'id-1',
    link: 'https://www.soompi.com/article/1',
    title: 'IVE’s Jang Won Young Makes Generous Donation',
    summary: 'IVE’s Jang Won Young has donated to a meaningful cause!',
    html: undefined,
    image: 'https://0.soompi.io/wp-content/uploads/2026/02/ive.jpg',
    author: 'J. Lee',
    date: new Date('2026-02-11T07:20:27Z'),
    video: undefined,
    ...fields,
  };
}

function embedOf(message: ReturnType<typeof formatItem>): APIEmbed {
  const embed = message.embeds?.[0];
  if (!embed) throw new Error('no embed');
  return embed;
}

function embedTextLength(embed: APIEmbed): number {
  return (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
}

/** JSON escapes lone surrogates as \udXXX; paired ones come out as characters. */
function hasLoneSurrogate(value: unknown): boolean {
  return /\\ud[89a-f][0-9a-f]{2}/i.test(JSON.stringify(value));
}

describe('formatItem', () => {
  it('makes one embed with a linked title, description, image, author, time, footer and colour', () => {
    const message = formatItem(item({}), FEED);
    expect(message.embeds).toHaveLength(1);
    expect(embedOf(message)).toEqual({
      title: 'IVE’s Jang Won Young Makes Generous Donation',
      url: 'https://www.soompi.com/article/1',
      description: 'IVE’s Jang Won Young has donated to a meaningful cause!',
      image: { url: 'https://0.soompi.io/wp-content/uploads/2026/02/ive.jpg' },
      author: { name: 'J. Lee' },
      timestamp: '2026-02-11T07:20:27.000Z',
      footer: { text: 'Soompi' },
      color: DEFAULT_EMBED_COLOR,
    });
    expect(message.content).toBeUndefined();
    expect(message).not.toHaveProperty('nonce');
  });

  it('always sends allowed_mentions, listing only the chosen role', () => {
    expect(formatItem(item({}), FEED).allowed_mentions).toEqual({ parse: [], roles: [] });
    const pinged = formatItem(item({}), FEED, { roleId: ROLE, color: 0x123456 });
    expect(pinged.content).toBe(`<@&${ROLE}>`);
    expect(pinged.allowed_mentions).toEqual({ parse: [], roles: [ROLE] });
    expect(embedOf(pinged).color).toBe(0x123456);
  });

  it('ignores a role id that is not a snowflake and a colour out of range', () => {
    const message = formatItem(item({}), FEED, { roleId: 'everyone', color: 0x1000000 });
    expect(message.content).toBeUndefined();
    expect(message.allowed_mentions).toEqual({ parse: [], roles: [] });
    expect(embedOf(message).color).toBe(DEFAULT_EMBED_COLOR);
  });

  it('keeps @everyone and mention syntax in feed text inert', () => {
    const message = formatItem(item({ title: '@everyone look', summary: '@here <@&999999999999999999> [free](https://evil.test)' }), FEED);
    expect(message.allowed_mentions?.parse).toEqual([]);
    expect(message.content).toBeUndefined();
    expect(embedOf(message).description).toBe('@here \\<@&999999999999999999> \\[free\\](https://evil.test)');
  });

  it('puts a YouTube video URL in the content so Discord shows the player, and leaves the thumbnail to it', () => {
    const video = 'https://www.youtube.com/watch?v=lR-w1h5ONOY';
    const message = formatItem(item({ link: video, video, image: 'https://i1.ytimg.com/vi/lR-w1h5ONOY/hqdefault.jpg' }), FEED, { roleId: ROLE });
    expect(message.content).toBe(`<@&${ROLE}> ${video}`);
    expect(embedOf(message).image).toBeUndefined();
    expect(embedOf(message).url).toBe(video);
  });

  it('cuts a 10,000-character summary to fit, ending with "…"', () => {
    const summary = 'Lorem ipsum dolor sit amet. '.repeat(400).trim();
    const embed = embedOf(formatItem(item({ summary }), FEED));
    expect(embed.description?.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(embed.description?.endsWith('…')).toBe(true);
    expect(embed.description?.length).toBeGreaterThan(4000);
    expect(embedTextLength(embed)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
  });

  it('cuts a title of 300 emoji without leaving a lone surrogate', () => {
    const message = formatItem(item({ title: '💜'.repeat(300), author: '🎤'.repeat(300) }), { title: '🌸'.repeat(1500), url: FEED.url });
    const embed = embedOf(message);
    expect(embed.title?.length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect(embed.title?.endsWith('💜…')).toBe(true);
    expect(embed.author?.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.authorName);
    expect(embed.footer?.text.length).toBeLessThanOrEqual(DISCORD_LIMITS.footerText);
    expect(embedTextLength(embed)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    expect(hasLoneSurrogate(message)).toBe(false);
  });

  it('keeps the whole embed within 6000 characters when every field is long', () => {
    const message = formatItem(
      item({ title: 'T'.repeat(500), summary: 'S'.repeat(10_000), author: 'A'.repeat(500) }),
      { title: 'F'.repeat(5000), url: FEED.url },
    );
    const embed = embedOf(message);
    expect(embed.title).toHaveLength(DISCORD_LIMITS.title);
    expect(embed.footer?.text).toHaveLength(DISCORD_LIMITS.footerText);
    expect(embedTextLength(embed)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
  });

  it('never cuts through an escape pair or a URL', () => {
    const summary = `${'a'.repeat(4090)} **bold** https://example.com/very/long/link`;
    const description = embedOf(formatItem(item({ summary }), FEED)).description ?? '';
    expect(description.endsWith('\\…')).toBe(false);
    expect(description).not.toContain('https://example.com/very');
  });

  it('escapes Markdown in the title and description, but not in author and footer', () => {
    const message = formatItem(item({ title: '*NEW* SEVENTEEN_BSS', summary: '# not a heading\n> not a quote', author: 'K_pop *fan*' }), {
      title: 'Feed_name',
      url: FEED.url,
    });
    const embed = embedOf(message);
    expect(embed.title).toBe('\\*NEW\\* SEVENTEEN\\_BSS');
    expect(embed.description).toBe('\\# not a heading\n\\> not a quote');
    expect(embed.author?.name).toBe('K_pop *fan*');
    expect(embed.footer?.text).toBe('Feed_name');
  });

  it('omits URLs Discord would refuse', () => {
    const embed = embedOf(formatItem(item({ link: 'javascript:alert(1)', image: `https://x.test/${'a'.repeat(2100)}.jpg` }), FEED));
    expect(embed.url).toBeUndefined();
    expect(embed.image).toBeUndefined();
  });

  it('captions an untitled post with the feed name, and names the feed by host when untitled too', () => {
    expect(embedOf(formatItem(item({ title: undefined }), { title: 'Eugen Rochko', url: FEED.url })).title).toBe('Eugen Rochko');
    const embed = embedOf(formatItem(item({ title: undefined, date: undefined, author: undefined, summary: undefined }), { title: undefined, url: 'https://mastodon.social/@Gargron.rss' }));
    expect(embed).toMatchObject({ title: 'mastodon.social', footer: { text: 'mastodon.social' } });
    expect(embed.timestamp).toBeUndefined();
    expect(embed.description).toBeUndefined();
  });

  it('formats the hellokpop items with entities decoded once', async () => {
    const xml = readFileSync(path.resolve(process.cwd(), '../shared/feeds/kpop__hellokpop-double-escaped.rss'), 'utf8');
    const feed = await parseFeed(xml, 'https://swelbyboy.github.io/prospect-rss-feeds/hellokpop.xml');
    const [first, , third] = feed.items.map((story) => embedOf(formatItem(story, { title: feed.title, url: 'https://swelbyboy.github.io/prospect-rss-feeds/hellokpop.xml' })));
    expect(first?.description).toContain('2026 10CM Asia Tour \\<To 10CM: Chapter 1> in Singapore');
    expect(third?.title).toBe('2025 In Review: Day 3 – The Honorable Mentions');
    expect(third?.description).toContain('R&B and Soul Albums');
    expect(third?.description).not.toMatch(/&amp;|&lt;|appeared first on/);
    expect(first?.footer?.text).toBe('Hellokpop - Article Feed');
  });
});
