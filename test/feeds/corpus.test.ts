import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFeedBody } from '../../src/feeds/decode.ts';
import { itemKeys } from '../../src/feeds/identify.ts';
import type { Item, ParsedFeed } from '../../src/feeds/item.ts';
import { FeedParseError, parseFeed } from '../../src/feeds/parse.ts';
import { imageTags } from '../../src/text/html-to-text.ts';

const CORPUS = path.resolve(process.cwd(), '../shared/feeds');
const FILES = readdirSync(CORPUS)
  .filter((file) => file !== 'SOURCES.md')
  .sort();

/** Where the feeds with relative links were served from; the rest get a neutral address. */
const FEED_URLS: Record<string, string> = {
  'sample-feeds__ft-uk.rss': 'https://www.ft.com/rss/home/uk',
  'rss-parser__github-gulp-releases.atom': 'https://github.com/gulpjs/gulp/releases.atom',
  'node-feedparser__talkingpointsmemo.atom': 'https://talkingpointsmemo.com/feed/all',
  'node-feedparser__intertwingly.atom': 'http://intertwingly.net/blog/index.atom',
  'node-feedparser__neverwinter-relative-urls.rss': 'https://www.arcgames.com/en/games/neverwinter/news/rss',
  'feed-extractor__huggingface-blog-relative.rss': 'https://huggingface.co/blog/feed.xml',
  'rss-parser__reddit-home.atom': 'https://www.reddit.com/.rss',
  'feed-rs__kryogenix-relative-enclosure.rss': 'https://kryogenix.org/random/relurleg.xml',
};

/** Files that are not feeds, or are broken past repair, and the reason each must give. */
const EXPECTED_FAILURES: Record<string, RegExp> = {
  'rss-parser__marketwatch-object-moved.html': /^This is an HTML page, not a feed\.$/,
  'feed-rs__reuters-truncated.rss': /^The feed's XML is broken: it ends before the document is complete .*cut it short, at line 19\.$/,
  'feedparser-py__incomplete-cdata-truncated.rss': /^The feed's XML is broken: it ends before the document is complete .*, at line \d+\.$/,
  // Decodes fine (the decode test below checks), but is an <rss> with nothing in it.
  'feedparser-py__utf-16le-bom.xml': /^This RSS document has no <channel>, so it holds no stories\.$/,
};

type Outcome = { feed: ParsedFeed } | { error: unknown };

const outcomes = new Map<string, Promise<Outcome>>();

/** decode → parse, once per file however many tests ask. */
function load(file: string): Promise<Outcome> {
  let outcome = outcomes.get(file);
  if (!outcome) {
    const url = FEED_URLS[file] ?? `https://feeds.example.com/${file}`;
    outcome = (async () => {
      try {
        const body = readFileSync(path.join(CORPUS, file));
        return { feed: await parseFeed(decodeFeedBody(body, undefined), url) };
      } catch (error) {
        return { error };
      }
    })();
    outcomes.set(file, outcome);
  }
  return outcome;
}

async function feedOf(file: string): Promise<ParsedFeed> {
  const outcome = await load(file);
  if ('error' in outcome) throw outcome.error;
  return outcome.feed;
}

async function firstItem(file: string): Promise<Item> {
  const item = (await feedOf(file)).items[0];
  if (!item) throw new Error(`${file} has no items`);
  return item;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.href === value;
  } catch {
    return false;
  }
}

describe('the feed corpus', () => {
  it('has the files SOURCES.md describes', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(83);
  });

  it.each(FILES)('%s: parses to sane items or fails with a plain reason', async (file) => {
    const outcome = await load(file);
    const expectedFailure = EXPECTED_FAILURES[file];
    if ('error' in outcome) {
      expect(outcome.error).toBeInstanceOf(FeedParseError);
      const message = (outcome.error as Error).message;
      expect(message.trim()).not.toBe('');
      expect(message).not.toMatch(/\n|\bat .+:\d+:\d+/);
      expect(expectedFailure, `${file} failed unexpectedly: ${message}`).toBeDefined();
      expect(message).toMatch(expectedFailure ?? /^$/);
      return;
    }
    expect(expectedFailure, `${file} should have failed`).toBeUndefined();
    const { feed } = outcome;
    expect(feed.items.length).toBeGreaterThanOrEqual(1);
    if (feed.link !== undefined) expect(isHttpUrl(feed.link)).toBe(true);
    for (const item of feed.items) {
      expect(itemKeys(item).length).toBeGreaterThanOrEqual(1);
      if (item.link !== undefined) expect(isHttpUrl(item.link), item.link).toBe(true);
      if (item.image !== undefined) expect(isHttpUrl(item.image), item.image).toBe(true);
      if (item.video !== undefined) expect(item.video).toMatch(/^https:\/\/www\.youtube\.com\/watch\?v=[\w-]+$/);
      if (item.date !== undefined) expect(Number.isNaN(item.date.getTime())).toBe(false);
      for (const text of [item.title, item.author]) {
        if (text === undefined) continue;
        expect(text).toBe(text.trim());
        expect(text).not.toMatch(/\n|&(?:amp|lt|gt|quot|apos|nbsp|#\d+|#x[0-9a-f]+);/i);
        expect(text).not.toContain('\ufffd');
      }
      if (item.summary !== undefined) {
        expect(item.summary).toBe(item.summary.trim());
        expect(item.summary).not.toMatch(/\n{3,}|appeared first on/);
      }
    }
  });
});

describe('broken and odd files', () => {
  it('unpacks the gzip bytes served without Content-Encoding into the same feed as the plain copy', async () => {
    const unpacked = await feedOf('node-feedparser__nshipster-gzip-bytes.xml.gz');
    const plain = await feedOf('node-feedparser__nshipster.rss');
    expect(unpacked.items).toHaveLength(25);
    expect(unpacked.items.map(itemKeys)).toEqual(plain.items.map(itemKeys));
  });

  it('repairs the unescaped & and keeps all three items', async () => {
    const feed = await feedOf('node-feedparser__saxerror-unescaped-amp.rss');
    expect(feed.items.map((item) => [item.title, item.link])).toEqual([
      ['Good Item', 'http://example.com/good'],
      ['Bad Item', 'http://example.com/bad?foo=1&bar=2'],
      ['Item After Error', 'http://example.com/after'],
    ]);
  });

  it('reads the Atom feed wrapped in an XHTML page', async () => {
    const feed = await feedOf('feedjira__tablix-atom-in-xhtml.xml');
    expect(feed.title).toBe('Avian’s Blog');
    expect(feed.items[0]).toMatchObject({ title: 'Down time', author: 'Tomaž' });
  });

  it('reads the versionless, undeclared RSS files', async () => {
    expect((await feedOf('rss-parser__uol-noticias-nodecl-latin1.rss')).items.length).toBeGreaterThan(0);
    expect((await feedOf('feedparser-py__koi8r-undeclared.rss')).items).toHaveLength(1);
  });

  it('decodes the UTF-16LE file (an empty <rss>) correctly before refusing it', () => {
    const text = decodeFeedBody(readFileSync(path.join(CORPUS, 'feedparser-py__utf-16le-bom.xml')), undefined);
    expect(text.startsWith('<?xml version="1.0" encoding="utf-16"?>')).toBe(true);
    expect(text).toContain('Wellformed UTF-16 with Byte Order Mark (Little Endian)');
    expect(text).toMatch(/<rss>\s*<\/rss>\s*$/);
  });
});

describe('character encodings', () => {
  it('windows-1251 (declared): readable Cyrillic', async () => {
    const feed = await feedOf('node-feedparser__oren-ru-windows-1251.rss');
    expect(feed.title).toBe('Новости Оренбурга и области / Раздел Новости');
    expect(feed.items[0]?.title).toBe('В Бузулуке главные стройплощадки – детсад и Ледовый дворец');
  });

  it('KOI8-R (undeclared): detected', async () => {
    const item = await firstItem('feedparser-py__koi8r-undeclared.rss');
    expect(item.title).toBe('Как пережить новогоднюю ночь');
    expect(item.summary).toContain('"нового счастья"');
  });

  it('ISO-8859-1 (declared and undeclared): Portuguese, Spanish and German accents', async () => {
    expect((await firstItem('rss-parser__jn-pt-latin1.rss')).title).toBe('Mãe de utente é a nova presidente da Raríssimas');
    expect((await feedOf('rss-parser__jn-pt-latin1.rss')).title).toBe('Jornal de Notícias - Últimas Notícias');
    const uol = await firstItem('rss-parser__uol-noticias-nodecl-latin1.rss');
    expect(uol.title).toBe('Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações de 2º turno');
    expect(uol.date?.toISOString()).toBe('2018-09-24T22:42:40.000Z');
    expect((await firstItem('feed-rs__dival-rss091-no-link-guid-date.rss')).title).toBe(
      'Oferta de Empleo Público // 3 PROFESOR/A TÉCNICO/A (INGENIE. TÉC. FORESTAL) 17/17',
    );
    expect((await firstItem('feed-rs__golem-rss1-latin1.rdf')).title).toBe('Digitalministerium: Neue Glasfaserförderung mit Schnellkasse');
  });

  it('UTF-8 with a BOM', async () => {
    const feed = await feedOf('feedjira__dotnet-a10-utf8-bom.rss');
    expect(feed.title).toBe('Some Title');
    expect(feed.items).toHaveLength(5);
  });
});

describe('items, exactly', () => {
  it('YouTube: watch URL, thumbnail, channel as author', async () => {
    const item = await firstItem('rss-parser__youtube-channel-l2inc.atom');
    expect(item).toMatchObject({
      id: 'yt:video:lR-w1h5ONOY',
      title: 'Buy Now, Bitches*',
      link: 'https://www.youtube.com/watch?v=lR-w1h5ONOY',
      video: 'https://www.youtube.com/watch?v=lR-w1h5ONOY',
      image: 'https://i1.ytimg.com/vi/lR-w1h5ONOY/hqdefault.jpg',
      author: 'L2inc',
    });
    expect(item.summary?.startsWith('Scott\'s Book "The Four" http://amzn.to/2x4ScEM\n\n*We screwed up')).toBe(true);
  });

  it('relative links resolved against the feed URL: GitHub releases, FT, TPM, Hugging Face', async () => {
    expect((await firstItem('rss-parser__github-gulp-releases.atom')).link).toBe('https://github.com/gulpjs/gulp/releases/tag/v3.9.0');
    const ft = await firstItem('sample-feeds__ft-uk.rss');
    expect(ft).toMatchObject({
      id: 'c57f1115-2f03-4022-8eaf-8a7145f0e694',
      link: 'https://www.ft.com/content/c57f1115-2f03-4022-8eaf-8a7145f0e694',
    });
    expect((await firstItem('node-feedparser__talkingpointsmemo.atom')).link).toBe(
      'https://talkingpointsmemo.com/livewire/hannity-announces-fox-hired-sebastian-gorka-national-security-strategist',
    );
    expect((await firstItem('feed-extractor__huggingface-blog-relative.rss')).link).toBe('https://huggingface.co/blog/intro-graphml');
    expect((await firstItem('feed-rs__kryogenix-relative-enclosure.rss')).image).toBe(
      'https://kryogenix.org/images/me/hackergotchi-simpler.png',
    );
  });

  it('Hacker News items have no guid, so the link is their key', async () => {
    const feed = await feedOf('feedjira__hackernews.rss');
    expect(feed.items).toHaveLength(30);
    for (const item of feed.items) {
      expect(item.id).toBeUndefined();
      expect(itemKeys(item)[0]).toMatch(/^link:https:\/\//);
    }
  });

  it('a guid-only item gets its link from the permalink guid (Braingle, Hugging Face)', async () => {
    expect(await firstItem('node-feedparser__braingle-guid-dupes.rss')).toMatchObject({
      id: 'http://www.braingle.com/50366.html',
      link: 'http://www.braingle.com/50366.html',
    });
    expect((await firstItem('feed-extractor__huggingface-blog-no-item-links.rss')).link).toBe('https://huggingface.co/blog/intro-graphml');
  });

  it('Mastodon posts without a title keep their text and image', async () => {
    const item = await firstItem('sample-feeds__mastodon-bot.rss');
    expect(item.title).toBeUndefined();
    expect(item.summary).toMatch(/^Sol 721: Left Navigation Camera/);
    expect(item.image).toMatch(/^https:\/\/files\.botsin\.space\/.+\.jpeg$/);
  });

  it.each([
    'feed-extractor__slashdot-latin1.rdf',
    'rss-parser__blogger-feedburner.atom',
    'sample-feeds__wordpress-news.rss',
    'sample-feeds__mastodon-user.rss',
  ])('%s: no share icon, avatar or emoji becomes the picture', async (file) => {
    const FURNITURE = /twitter|facebook|\/emoji\/|s\.w\.org\/images\/core\/emoji|custom_emojis|avatar|gravatar|feedburner/i;
    const isSmall = (size: string | undefined) => Number(size) < 100;
    let furnitureSeen = 0;
    for (const item of (await feedOf(file)).items) {
      const furniture = [...imageTags(item.html ?? '')]
        .filter((tag) => FURNITURE.test(tag.src) || isSmall(tag.attributes.get('width')) || isSmall(tag.attributes.get('height')))
        .map((tag) => tag.src);
      furnitureSeen += furniture.length;
      if (item.image === undefined) continue;
      expect(item.image).not.toMatch(FURNITURE);
      expect(furniture).not.toContain(item.image);
    }
    // The bodies do carry such images: the test would catch picking them.
    expect(furnitureSeen).toBeGreaterThan(0);
  });

  it('Slashdot and The Next Web summaries end with the story, not a "continues at" line', async () => {
    const items = [
      ...(await feedOf('feed-extractor__slashdot-latin1.rdf')).items,
      ...(await feedOf('sample-feeds__thenextweb-wordpress.rss')).items,
    ];
    expect(items).toHaveLength(13);
    for (const item of items) {
      expect(item.summary).toBeDefined();
      expect(item.summary).not.toMatch(/Read more of this story|This story continues|read more coverage about/i);
    }
    expect((await firstItem('feed-extractor__slashdot-latin1.rdf')).summary).toMatch(/Upload speeds range between 5 and 20 Mbps\.$/);
    expect((await firstItem('sample-feeds__thenextweb-wordpress.rss')).summary).toMatch(/as soon as you log in…$/);
  });

  it('NYT: the feed title entity is decoded once', async () => {
    expect((await feedOf('sample-feeds__nyt-homepage.rss')).title).toBe('NYT > Top Stories');
  });

  it('craigslist: a title with inline HTML and a character reference', async () => {
    expect((await firstItem('rss-parser__craigslist-sfbay-apts.rdf')).title).toBe(
      'Bright, Spacious Beautiful Victorian (oakland north / temescal) $4300 3bd 1930ft2',
    );
  });
});

describe('K-pop feeds', () => {
  it('hellokpop: double-escaped entities come out decoded once, footers gone', async () => {
    const feed = await feedOf('kpop__hellokpop-double-escaped.rss');
    expect(feed.items.map((item) => item.title)).toEqual([
      '10CM Kicks Off a New Era: To 10CM: Chapter 1 Lands in Singapore This March',
      '2025 In Review: Day 2 – The Awards',
      '2025 In Review: Day 3 – The Honorable Mentions',
    ]);
    const [first, , third] = feed.items;
    expect(first?.summary).toContain('the 2026 10CM Asia Tour <To 10CM: Chapter 1> in Singapore will take place on 14 March 2026');
    expect(first?.summary?.endsWith('at The Theatre at…')).toBe(true);
    expect(third?.summary).toContain('sorted by alphabetical order. R&B and Soul Albums Ahn Shinae');
    expect(third?.html).toContain('R&amp;B and Soul Albums');
    for (const item of feed.items) expect(item.summary).not.toMatch(/The post |appeared first on|&amp;|&lt;/);
  });

  it('soompi: curly quotes and possessives intact, "Continue reading" and footers dropped, even when cut short', async () => {
    const feed = await feedOf('kpop__soompi-2026-02.rss');
    const [first, second] = feed.items;
    expect(first?.title).toBe('Park Shin Hye Shocks Everyone With Her Real Personality In “Undercover Miss Hong”');
    expect(first?.summary).toBe(
      'Park Shin Hye’s real personality will rear its head at work on the next episode of “Undercover Miss Hong”! Set in the late 1990s, tvN’s “Undercover Miss Hong” is a comedy starring Park Shin Hye as Hong Geum Bo, an elite financial supervisory officer in her 30s who goes undercover as a 20-year-old entry-level employee…',
    );
    expect(second?.summary?.endsWith('Oh Yeon Seo stars as Jang Hui…')).toBe(true);
    expect(first?.date?.toISOString()).toBe('2026-02-14T06:23:49.000Z');
    expect((await firstItem('kpop__soompi-b.rss')).title).toBe(
      'IVE’s Jang Won Young Makes Generous Donation To Help Pediatric And Adolescent Patients',
    );
  });

  it('soompi captures: the same story yields the same keys in every capture', async () => {
    const a = await feedOf('kpop__soompi-2026-02.rss');
    const b = await feedOf('kpop__soompi-b.rss');
    // The two saved captures share no story (SOURCES.md says they overlap; they do not),
    // so the overlap is made the way a later poll would see it: stories of both, re-served.
    const source = (file: string) => readFileSync(path.join(CORPUS, file), 'utf8');
    const itemsOf = (xml: string) => xml.match(/<item>[\s\S]*?<\/item>/g) ?? [];
    const later = source('kpop__soompi-2026-02.rss').replace(
      /<item>[\s\S]*<\/item>/,
      [...itemsOf(source('kpop__soompi-2026-02.rss')).slice(0, 3), ...itemsOf(source('kpop__soompi-b.rss')).slice(0, 4)].join('\n'),
    );
    const merged = await parseFeed(later, 'https://swelbyboy.github.io/prospect-rss-feeds/soompi.xml');
    expect(merged.items).toHaveLength(7);
    const keysOf = (feed: ParsedFeed) => new Set(feed.items.flatMap(itemKeys));
    const known = new Set([...keysOf(a), ...keysOf(b)]);
    for (const item of merged.items) expect(itemKeys(item).every((key) => known.has(key))).toBe(true);
    expect([...keysOf(a)].some((key) => keysOf(b).has(key))).toBe(false);
  });

  it('koreaboo: headlines and excerpts as published', async () => {
    const item = await firstItem('kpop__koreaboo-2026-02.rss');
    expect(item.title).toBe('HYBE Girl Group Member’s Intimate Photo With Rumored Boyfriend Gets Leaked');
    expect(item.link).toBe('https://www.koreaboo.com/news/hybe-member-intimate-photo-rumored-boyfriend-posted-removed-manon-david-katseye/');
  });
});
