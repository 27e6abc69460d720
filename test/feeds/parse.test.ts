import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanSummary } from '../../src/feeds/clean-summary.ts';
import { parseDate } from '../../src/feeds/dates.ts';
import { FeedParseError, parseFeed } from '../../src/feeds/parse.ts';
import { repairMarkup } from '../../src/feeds/repair-markup.ts';
import { formatItem } from '../../src/feeds/format.ts';
import { SUMMARY_REACH } from '../../src/feeds/item.ts';
import { htmlToText } from '../../src/text/html-to-text.ts';

const URL = 'https://news.example.com/feed.xml';

const rss = (items: string, channel = '<title>Feed</title><link>https://news.example.com/</link>', attributes = 'version="2.0"') =>
  `<?xml version="1.0" encoding="UTF-8"?>
<rss ${attributes} xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>${channel}${items}</channel></rss>`;

const atom = (entries: string, head = '<title>Atom feed</title><link rel="alternate" href="/"/>') =>
  `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/">${head}${entries}</feed>`;

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(FeedParseError);
    return (error as Error).message;
  }
  throw new Error('expected a FeedParseError');
}

describe('parseFeed: what is and is not a feed', () => {
  it('reads an <rss> without a version, after comments and white space', async () => {
    const feed = await parseFeed(`\ufeff  \n<!-- generated --><rss><channel><title>T</title><item><title>A</title></item></channel></rss>`, URL);
    expect(feed.title).toBe('T');
    expect(feed.items.map((item) => item.title)).toEqual(['A']);
  });

  it('reads RSS 1.0 (RDF) with rdf:about as the id', async () => {
    const feed = await parseFeed(
      `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
        <channel rdf:about="https://x.test/"><title>R</title><link>https://x.test/</link></channel>
        <item rdf:about="https://x.test/1"><title>One</title><link>https://x.test/1</link><dc:date>2024-05-01T10:00:00+09:00</dc:date></item>
      </rdf:RDF>`,
      URL,
    );
    expect(feed.items[0]).toMatchObject({ id: 'https://x.test/1', link: 'https://x.test/1', title: 'One' });
    expect(feed.items[0]?.date?.toISOString()).toBe('2024-05-01T01:00:00.000Z');
  });

  it('cuts an Atom feed out of the XHTML page it was wrapped in', async () => {
    const page = `<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "x.dtd">
      <html xmlns="http://www.w3.org/1999/xhtml"><body>${atom('<entry><title>Inside</title><id>urn:1</id></entry>')}</body></html>`;
    const feed = await parseFeed(page, URL);
    expect(feed.items.map((item) => item.title)).toEqual(['Inside']);
  });

  it('refuses an HTML page, JSON, plain text and an empty body in plain words', async () => {
    expect(await reason(parseFeed('<!DOCTYPE html><html><head><title>Hi</title></head><body>x</body></html>', URL))).toBe(
      'This is an HTML page, not a feed.',
    );
    expect(await reason(parseFeed('<head><title>Document Moved</title></head><body>x</body>', URL))).toBe('This is an HTML page, not a feed.');
    expect(await reason(parseFeed('{"version":"https://jsonfeed.org/version/1"}', URL))).toBe('This is JSON, not an RSS or Atom feed.');
    expect(await reason(parseFeed('Service Unavailable', URL))).toBe('This is not a feed: it is not XML.');
    expect(await reason(parseFeed('  \n', URL))).toBe('The feed is empty.');
    expect(await reason(parseFeed('<opml version="2.0"><body/></opml>', URL))).toBe(
      'This XML document is not an RSS, Atom or RDF feed: its root element is <opml>.',
    );
  });

  it('says where truncated XML breaks, without a stack', async () => {
    const message = await reason(parseFeed('<rss version="2.0">\n<channel>\n<title>T</title>\n<item><title>A', URL));
    expect(message).toMatch(/^The feed's XML is broken: it ends before the document is complete.*, at line 4\.$/);
    expect(message).not.toMatch(/\n|at .*\.js/);
  });

  it('tolerates a bare & and < that publishers forgot to escape', async () => {
    const feed = await parseFeed(rss('<item><title>Q&A: 1 < 2 &nbsp;&Tab;&bogus;</title><link>https://x.test/?a=1&b=2</link></item>'), URL);
    expect(feed.items[0]?.title).toBe('Q&A: 1 < 2 &bogus;');
    expect(feed.items[0]?.link).toBe('https://x.test/?a=1&b=2');
  });

  it('leaves CDATA alone when repairing', () => {
    expect(repairMarkup('<a>x & y<![CDATA[ a & b ]]><!-- c & d --> &#0; &#x27; &eacute;</a>')).toBe(
      '<a>x &amp; y<![CDATA[ a & b ]]><!-- c & d --> &#xfffd; &#x27; &#xe9;</a>',
    );
  });

  it('never expands DTD entities (billion laughs)', async () => {
    const laughs = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
    const bomb = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">${laughs}]>${rss('<item><title>a &lol9; b</title></item>').replace(/^<\?xml[^>]*>/, '')}`;
    const started = Date.now();
    const feed = await parseFeed(bomb, URL);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(feed.items[0]?.title).toBe('a &lol9; b');
    expect(JSON.stringify(feed).length).toBeLessThan(2000);
  });

  it('refuses absurdly deep nesting instead of crashing, and the parser still works afterwards', async () => {
    const deep = atom(`<entry><title>x</title><content type="xhtml">${'<div>'.repeat(60_000)}${'</div>'.repeat(60_000)}</content></entry>`);
    expect(await reason(parseFeed(deep, URL))).toBe('The feed is nested too deeply to read.');
    const feed = await parseFeed(rss('<item><title>after</title></item>'), URL);
    expect(feed.items[0]?.title).toBe('after');
  });

  it('reads a description whose escaped HTML nests absurdly deep, summarising what comes before', async () => {
    const html = `<p>Before the trap.</p>${'<div>'.repeat(20_000)}x${'</div>'.repeat(20_000)}`;
    const feed = await parseFeed(rss(`<item><title>t</title><description><![CDATA[${html}]]></description></item>`), URL);
    expect(feed.items[0]?.summary).toBe('Before the trap.');
  });

  it('reads an entry nested deep but not absurdly so, and gives no summary rather than an empty one', async () => {
    const deepEntry = (n: number) => `<entry><id>${n}</id><title>t${n}</title><content type="xhtml">${'<span>'.repeat(n)}deep${'</span>'.repeat(n)}</content></entry>`;
    const nested = await parseFeed(atom(`${deepEntry(990)}${deepEntry(1_500)}<entry><id>x</id><title>x</title><content type="xhtml"><p>fine</p></content></entry>`), URL);
    expect(nested.items.map((entry) => [entry.title, entry.summary])).toEqual([['t990', 'deep'], ['t1500', undefined], ['x', 'fine']]);
    const open = rss(`<item><title>t</title><description><![CDATA[${'<span/>'.repeat(1_001)}after]]></description></item>`);
    const item = (await parseFeed(open, URL)).items[0];
    expect(item?.title).toBe('t');
    expect(item?.summary).toBeUndefined();
  });

  it('still parses good feeds after a broken one (one parser instance is shared)', async () => {
    await reason(parseFeed('<rss version="2.0"><channel><item><title>a', URL));
    await reason(parseFeed('<rss version="2.0"></rss>', URL));
    const feeds = await Promise.all([1, 2, 3].map((n) => parseFeed(rss(`<item><title>n${n}</title></item>`), URL)));
    expect(feeds.map((feed) => feed.items[0]?.title)).toEqual(['n1', 'n2', 'n3']);
  });

  it('keeps an Atom feed whose one entry has an unreadable date or a bare <link>', async () => {
    const feed = await parseFeed(
      atom(`<entry><title>bad date</title><id>urn:a</id><published>soon</published><link>https://x.test/a</link></entry>
            <entry><title>good</title><id>urn:b</id><updated>2024-01-02T03:04:05Z</updated></entry>`),
      URL,
    );
    expect(feed.items.map((item) => [item.title, item.date?.toISOString(), item.link])).toEqual([
      ['bad date', undefined, 'https://x.test/a'],
      ['good', '2024-01-02T03:04:05.000Z', undefined],
    ]);
  });
});

describe('parseFeed: normalising items', () => {
  it('reads the guid whether plain, with attributes or duplicated', async () => {
    const feed = await parseFeed(
      rss(`<item><guid>https://x.test/1</guid></item>
           <item><guid isPermaLink="false"> abc-2 </guid></item>
           <item><guid>dup-3</guid><guid>dup-3</guid></item>`),
      URL,
    );
    expect(feed.items.map((item) => item.id)).toEqual(['https://x.test/1', 'abc-2', 'dup-3']);
    // A permalink guid is the link when there is no <link>; an isPermaLink="false" one never is.
    expect(feed.items.map((item) => item.link)).toEqual(['https://x.test/1', undefined, undefined]);
  });

  it('resolves relative links against the feed URL and xml:base, preferring Atom rel=alternate', async () => {
    const feed = await parseFeed(
      atom(
        `<entry><id>1</id><link rel="replies" href="/1/comments"/><link rel="alternate" type="text/html" href="/posts/1"/></entry>
         <entry xml:base="https://cdn.example.org/blog/"><id>2</id><link href="two.html"/></entry>
         <entry><id>3</id><link rel="edit" href="/edit/3"/></entry>
         <entry><id>4</id><link href="javascript:alert(1)"/></entry>`,
      ),
      'https://site.example.com/feeds/all.atom',
    );
    expect(feed.link).toBe('https://site.example.com/');
    expect(feed.items.map((item) => item.link)).toEqual([
      'https://site.example.com/posts/1',
      'https://cdn.example.org/blog/two.html',
      undefined,
      undefined,
    ]);
  });

  it('prefers feedburner:origLink over the FeedBurner redirector', async () => {
    const feed = await parseFeed(
      rss('<item><link>http://feedproxy.google.com/~r/x/~3/abc/</link><feedburner:origLink>https://x.test/story</feedburner:origLink></item>', undefined, 'version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"'),
      URL,
    );
    expect(feed.items[0]?.link).toBe('https://x.test/story');
  });

  it('decodes title entities exactly once and strips inline markup from titles', async () => {
    const feed = await parseFeed(
      rss(`<item><title>NYT &gt; Top Stories</title></item>
           <item><title>R&amp;amp;B &amp;#8217; &amp;lt;b&amp;gt;</title></item>
           <item><title>&amp;amp;lt; stays</title></item>
           <item><title><![CDATA[1930ft<sup>2</sup> &#x0024;4300 <To 10CM: Chapter 1>]]></title></item>
           <item><title>
             spaced   out
           </title></item>`),
      URL,
    );
    expect(feed.items.map((item) => item.title)).toEqual([
      'NYT > Top Stories',
      'R&B ’ <b>',
      '&lt; stays',
      '1930ft2 $4300 <To 10CM: Chapter 1>',
      'spaced out',
    ]);
  });

  it('reads Atom title types: html is HTML, text is text', async () => {
    const feed = await parseFeed(
      atom(`<entry><id>1</id><title type="html">Report on &lt;b&gt;Slack&lt;/b&gt; &amp;amp; more</title></entry>
            <entry><id>2</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Hello <b>bold</b> world</div></title></entry>`),
      URL,
    );
    expect(feed.items.map((item) => item.title)).toEqual(['Report on Slack & more', 'Hello bold world']);
  });

  it('keeps the order of xhtml content that xml2js would scramble', async () => {
    const feed = await parseFeed(
      atom(`<entry><id>1</id><title>t</title><content type="xhtml" xml:base="https://img.example.com/"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hello <b>bold</b> world &amp; more</p><p><img src="pic.jpg"/>Next</p></div></content></entry>`),
      URL,
    );
    expect(feed.items[0]?.summary).toBe('Hello bold world & more\n\nNext');
    expect(feed.items[0]?.html).toContain('<p>Hello <b>bold</b> world &amp; more</p>');
    expect(feed.items[0]?.image).toBe('https://img.example.com/pic.jpg');
  });

  it('matches unescaped RSS markup to its own item, and reads only the first channel as xml2js does', async () => {
    const feed = await parseFeed(
      `<rss version="2.0"><stray><item><description>Stray <b>x</b></description></item></stray><channel><title>F</title>
         <item><title>plain</title><description>Just text</description></item>
         <item><title>marked</title><description>Hello <b>bold</b> <i>world</i> again<br/>end</description></item>
       </channel><channel><item><title>other</title><description>Other <b>x</b></description></item></channel></rss>`,
      URL,
    );
    expect(feed.items.map((item) => [item.title, item.summary])).toEqual([
      ['plain', 'Just text'],
      ['marked', 'Hello bold world again\nend'],
    ]);
  });

  it('makes the summary from the description, and html from content:encoded', async () => {
    const feed = await parseFeed(
      rss(`<item><title>T</title><description>&lt;p&gt;Short &amp;amp; sweet&lt;/p&gt;</description>
           <content:encoded><![CDATA[<p>Full <em>story</em></p><ul><li>one</li><li>two</li></ul>]]></content:encoded></item>
           <item><title>U</title><content:encoded><![CDATA[<p>Only content</p><script>x()</script>]]></content:encoded></item>`),
      URL,
    );
    expect(feed.items[0]).toMatchObject({ summary: 'Short & sweet', html: '<p>Full <em>story</em></p><ul><li>one</li><li>two</li></ul>' });
    expect(feed.items[1]?.summary).toBe('Only content');
  });

  it('picks the image: media:content image (widest), media:group, media:thumbnail, enclosure, then <img>', async () => {
    const feed = await parseFeed(
      rss(`<item><title>1</title><media:content url="/small.jpg" medium="image" width="140"/><media:content url="/big.jpg" medium="image" width="460"/><media:content url="/clip.mp4" medium="video"/></item>
           <item><title>2</title><media:group><media:thumbnail url="https://i.ytimg.com/vi/x/hq.jpg"/></media:group></item>
           <item><title>3</title><media:thumbnail url="https://x.test/thumb.png"/><enclosure url="https://x.test/e.jpg" type="image/jpeg" length="1"/></item>
           <item><title>4</title><enclosure url="https://x.test/ep.mp3" type="audio/mpeg" length="1"/><enclosure url="/e.png" type="image/png" length="1"/></item>
           <item><title>5</title><description><![CDATA[<img src="http://feeds.feedburner.com/~ff/x?d=1"><img src="/inline.gif" width="300">]]></description></item>
           <item><title>6</title><description><![CDATA[<img src="data:image/png;base64,xx">]]></description></item>`),
      'https://news.example.com/rss',
    );
    expect(feed.items.map((item) => item.image)).toEqual([
      'https://news.example.com/big.jpg',
      'https://i.ytimg.com/vi/x/hq.jpg',
      'https://x.test/thumb.png',
      'https://news.example.com/e.png',
      'https://news.example.com/inline.gif',
      undefined,
    ]);
  });

  it('passes over emoji, avatars, share buttons and icons in the body for the first real picture', async () => {
    const body = (imgs: string) => `<item><title>t</title><description><![CDATA[<p>Text</p>${imgs}]]></description></item>`;
    const feed = await parseFeed(
      rss(
        [
          body('<img src="https://s.w.org/images/core/emoji/13.1.0/72x72/1f1e8.png" class="wp-smiley"><img src="/story.jpg">'),
          body('<img width="40" height="40" src="https://lh3.example.com/me.jpg"><img height="96" src="/small.jpg"><img src="/story.jpg" width="640">'),
          body('<a href="http://twitter.com/home?status=x"><img src="https://a.fsdn.com/sd/x.png"></a><img src="https://cdn.test/shareButton.png"><img src="/story.jpg">'),
          body('<img src="https://cdn.test/custom_emojis/1.gif"><img src="https://secure.gravatar.com/avatar/ab?s=96"><img src="https://cdn.test/favicon.ico"><img src="/img/pixel.gif"><img src="/story.jpg">'),
          // Words that only contain a furniture word, and a declared-large picture named after its subject.
          body('<img src="/silicon-shareholders.jpg">'),
          body('<img src="/musk-twitter-deal.jpg" width="800" height="450">'),
          body('<img rel="emoji" width="16" height="16" src="https://files.mastodon.social/custom_emojis/images/x.gif">'),
        ].join(''),
      ),
      'https://news.example.com/rss',
    );
    expect(feed.items.map((item) => item.image)).toEqual([
      'https://news.example.com/story.jpg',
      'https://news.example.com/story.jpg',
      'https://news.example.com/story.jpg',
      'https://news.example.com/story.jpg',
      'https://news.example.com/silicon-shareholders.jpg',
      'https://news.example.com/musk-twitter-deal.jpg',
      undefined,
    ]);
  });

  it('reads authors: dc:creator, RSS "email (Name)", Atom names, inherited feed author', async () => {
    const rssFeed = await parseFeed(
      rss(`<item><title>1</title><dc:creator><![CDATA[Kim Ji-won]]></dc:creator></item>
           <item><title>2</title><author>editor@x.test (Lee Min-ho)</author></item>
           <item><title>3</title><author>noreply@x.test</author></item>`),
      URL,
    );
    expect(rssFeed.items.map((item) => item.author)).toEqual(['Kim Ji-won', 'Lee Min-ho', undefined]);
    const atomFeed = await parseFeed(
      atom(`<entry><id>1</id><author><name>A</name></author><author><name>B</name></author></entry><entry><id>2</id></entry>`, '<title>F</title><author><name>Feed Owner</name></author>'),
      URL,
    );
    expect(atomFeed.items.map((item) => item.author)).toEqual(['A, B', 'Feed Owner']);
  });

  it('reads dates from pubDate, published, dc:date or updated; unreadable ones are undefined', async () => {
    const feed = await parseFeed(
      rss(`<item><title>1</title><pubDate>Sat, 14 Feb 2026 06:23:49 +0000</pubDate></item>
           <item><title>2</title><dc:date>2026-02-14T15:00:00+09:00</dc:date></item>
           <item><title>3</title><pubDate>sometime soon</pubDate></item>
           <item><title>4</title><pubDate>Sat, 14 Feb 2026 15:23:49 KST</pubDate></item>`),
      URL,
    );
    expect(feed.items.map((item) => item.date?.toISOString())).toEqual([
      '2026-02-14T06:23:49.000Z',
      '2026-02-14T06:00:00.000Z',
      undefined,
      '2026-02-14T06:23:49.000Z',
    ]);
  });

  it('gives YouTube entries their watch URL', async () => {
    const feed = await parseFeed(atom('<entry><id>yt:video:lR-w1h5ONOY</id><yt:videoId>lR-w1h5ONOY</yt:videoId><title>v</title></entry>'), URL);
    expect(feed.items[0]?.video).toBe('https://www.youtube.com/watch?v=lR-w1h5ONOY');
  });

  it('turns the Our Blues article, as an item\'s HTML, into paragraphs with readable "— Name" lines', async () => {
    const article = readFileSync(path.resolve(process.cwd(), '../shared/fixtures/article-our-blues-ost.txt'), 'utf8');
    const [headline = '', ...paragraphs] = article.split(/\n{2,}/).map((block) => block.trim()).filter(Boolean);
    const html = paragraphs.map((block) => `<p>${block.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`).join('\n');
    const feed = await parseFeed(rss(`<item><title>${headline}</title><content:encoded><![CDATA[${html}]]></content:encoded></item>`), URL);
    const story = feed.items[0];
    expect(story?.title).toBe(headline);
    expect(story?.html).toBe(html);
    const summary = story?.summary ?? '';
    // The article is scraped WordPress text, full of no-break spaces: they read as plain spaces.
    expect(summary.split('\n\n')).toEqual(paragraphs.map((block) => block.replace(/\s+/g, ' ')));
    expect(summary).toContain('perfectly suited the drama.\n\n— Producer Song Dong Woon\n\n');
    expect(summary.match(/^— Ha Sung Woon$/gm)).toHaveLength(3);
  });

  it('reads a long article only as far as a post can show, and posts it exactly as from the whole text', async () => {
    const article = readFileSync(path.resolve(process.cwd(), '../shared/fixtures/article-our-blues-ost.txt'), 'utf8');
    const paragraphs = article.split(/\n{2,}/).map((block) => `<p>${block.trim().replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`);
    // Ten copies of the article, a WordPress footer at the very end: ~35,000 characters of text.
    const html = [...Array.from({ length: 10 }, () => paragraphs.join('\n')), '<p>The post Our Blues appeared first on Koreaboo.</p>'].join('\n');
    const feed = await parseFeed(rss(`<item><title>Our Blues</title><link>https://news.example.com/ob</link><description><![CDATA[${html}]]></description></item>`), URL);
    const story = feed.items[0];
    if (!story) throw new Error('no story');
    const whole = cleanSummary(htmlToText(html), 'Our Blues') ?? '';
    expect(whole.length).toBeGreaterThan(30_000);
    expect(story.summary?.length).toBeGreaterThanOrEqual(SUMMARY_REACH);
    expect(story.summary?.length).toBeLessThan(SUMMARY_REACH + 2_000);
    expect(whole.startsWith(story.summary ?? '')).toBe(true);
    const feedInfo = { title: 'Feed', url: URL };
    expect(formatItem(story, feedInfo)).toEqual(formatItem({ ...story, summary: whole }, feedInfo));
  });

  it('still drops the footer of an article short enough to read whole', async () => {
    const html = `<p>${'Short story. '.repeat(200)}</p><p>The post Our Blues appeared first on Koreaboo.</p>`;
    const feed = await parseFeed(rss(`<item><title>Our Blues</title><description><![CDATA[${html}]]></description></item>`), URL);
    expect(feed.items[0]?.summary?.endsWith('Short story.')).toBe(true);
  });

  it('drops items that carry nothing at all', async () => {
    const feed = await parseFeed(rss('<item></item><item><title>kept</title></item>'), URL);
    expect(feed.items.map((item) => item.title)).toEqual(['kept']);
  });
});

describe('cleanSummary', () => {
  const title = 'Park Shin Hye Shocks Everyone';

  it('drops WordPress "Continue reading" and "The post … appeared first on …" footers', () => {
    expect(cleanSummary(`Body text… Continue reading ${title} The post ${title} appeared first on Soompi.`, title)).toBe('Body text…');
  });

  it('drops a footer that the excerpt cut short', () => {
    expect(cleanSummary(`Body text. The post ${title.slice(0, 20)}`, title)).toBe('Body text.');
  });

  it('drops "continues at <site>" last lines, and only whole last lines', () => {
    expect(cleanSummary('Speeds range between 5 and 20 Mbps.\n\nRead more of this story at Slashdot.', 'x')).toBe(
      'Speeds range between 5 and 20 Mbps.',
    );
    expect(
      cleanSummary('Log in…\n\nThis story continues at The Next Web\n\nOr just read more coverage about: Windows', 'x'),
    ).toBe('Log in…');
    const prose = 'The agent said: this story continues at The Next Web offices.\n\nNothing more.';
    expect(cleanSummary(prose, 'x')).toBe(prose);
    expect(cleanSummary('This story continues at The Next Web', 'x')).toBe('This story continues at The Next Web');
  });

  it('turns the […] more-marker into an ellipsis and keeps real prose', () => {
    expect(cleanSummary('at The Theatre at […]', 'x')).toBe('at The Theatre at…');
    expect(cleanSummary('The post office opened. Read more books.', 'x')).toBe('The post office opened. Read more books.');
  });
});

describe('parseDate', () => {
  it('reads RFC 822, ISO 8601, other languages and zone names, and refuses non-dates', () => {
    expect(parseDate('Seg, 24 Set 2018 19:42:40 -0300')?.toISOString()).toBe('2018-09-24T22:42:40.000Z');
    expect(parseDate('03 Apr 02 1500 GMT')?.toISOString()).toBe('2002-04-03T15:00:00.000Z');
    expect(parseDate('Tue, 5 Apr 2022 12:00:00 CEST')?.toISOString()).toBe('2022-04-05T10:00:00.000Z');
    expect(parseDate('Version 2')).toBeUndefined();
    expect(parseDate('')).toBeUndefined();
  });

  it('reads the common shapes exactly as V8 does, and leaves impossible ones to the careful path', () => {
    const common = [
      'Tue, 24 Sep 2019 14:49:00 PST',
      'Sun, 24 Apr 2022 23:00:00 +0900',
      ' Mon, 1 Jan 2024 00:00 GMT\r\n  ',
      '5 Apr 2022 12:00:00 EDT',
      'Wed, 29 Feb 2024 23:59:59 -0330',
      '2022-04-24T23:00:00+09:00',
      '2022-04-24T14:00:00.123456Z',
    ];
    for (const text of common) expect(parseDate(text)?.getTime(), text).toBe(new Date(text.trim()).getTime());
    expect(parseDate('Mon, 32 Jan 2024 10:00:00 GMT')).toBeUndefined();
    expect(parseDate('2024-13-45T10:00:00Z')).toBeUndefined();
    expect(parseDate('Tue, 24 Sep 2019 24:10:00 GMT')).toBeUndefined();
  });
});
