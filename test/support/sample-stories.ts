/** Sample K-pop stories the demo's and tests' feed server publishes, and an RSS writer for them. */
export interface SampleStory {
  id: string;
  title: string;
  link: string;
  author: string;
  html: string;
  image?: string;
  date: Date;
}

const base = 'https://news.example.com/kpop';

export const sampleStories: SampleStory[] = [
  {
    id: 'our-blues-ost',
    title: 'Ha Sung Woon Spills On What To Expect From His OST With BTS’s Jimin For K-Drama “Our Blues”',
    link: `${base}/ha-sung-woon-jimin-our-blues-ost`,
    author: 'Lightstick Demo Desk',
    html:
      '<p>On April 19, it was revealed that the OST would be a duet with his in-real-life bestie, Ha Sung Woon.</p>' +
      '<blockquote><p>I would collab with BTS Jimin. We already decided to do it one day.</p><p>— Ha Sung Woon</p></blockquote>',
    image: 'https://news.example.com/img/our-blues.jpg',
    date: new Date('2022-04-20T09:00:00Z'),
  },
  {
    id: 'with-you-release',
    title: 'Jimin & Ha Sung Woon’s “With You” Is Out A Day Early',
    link: `${base}/with-you-out-now`,
    author: 'Lightstick Demo Desk',
    html: '<p>The duet OST for <em>Our Blues</em> arrived on April 24 at 11 p.m. KST, a day earlier than first announced.</p>',
    date: new Date('2022-04-24T14:00:00Z'),
  },
  {
    id: 'fan-meeting',
    title: 'Fans Gather For A Surprise Fan Meeting &amp; Live Stage',
    link: `${base}/surprise-fan-meeting`,
    author: 'Lightstick Demo Desk',
    html: '<p>Tickets sold out in minutes. @everyone was excited — but nobody got pinged by this feed.</p>',
    date: new Date('2022-05-01T10:00:00Z'),
  },
];

const escape = (text: string) => text.replace(/&(?!amp;)/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function rssOf(stories: SampleStory[], title = 'Lightstick Demo K-pop News'): string {
  const items = stories
    .map(
      (story) => `    <item>
      <title>${escape(story.title)}</title>
      <link>${story.link}</link>
      <guid isPermaLink="false">${story.id}</guid>
      <dc:creator>${escape(story.author)}</dc:creator>
      <pubDate>${story.date.toUTCString()}</pubDate>
      <description><![CDATA[${story.html}]]></description>${
        story.image ? `\n      <media:content url="${story.image}" medium="image" />` : ''
      }
    </item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
  <channel>
    <title>${escape(title)}</title>
    <link>https://news.example.com/</link>
    <description>Sample stories for Lightstick</description>
${items}
  </channel>
</rss>`;
}

/** Story n of a test feed: unique id and link, dated n minutes after a point 100 minutes ago. */
export function numberedStory(n: number, over: Partial<SampleStory> = {}): SampleStory {
  return {
    ...sampleStories[n % sampleStories.length]!,
    id: `story-${n}`,
    link: `https://news.example.com/kpop/story-${n}`,
    title: `Story number ${n}`,
    date: new Date(Date.now() - (100 - n) * 60_000),
    ...over,
  };
}

/** A feed on the test feed server that grows newest-first as stories are published. */
export function feedPublisher(server: { set(path: string, route: { body: string; contentType: string; conditional: boolean }): void }, path: string) {
  let published: SampleStory[] = [];
  return {
    /** Stories in publication order: the last one is the newest. */
    publish(...stories: SampleStory[]) {
      published = [...[...stories].reverse(), ...published];
      server.set(path, { body: rssOf(published), contentType: 'application/rss+xml', conditional: true });
    },
  };
}
