import Parser from 'rss-parser';
import { explainParseError } from './parse-error.ts';
import { asObject, list, textOf } from './raw-values.ts';
import { isRepairable, repairMarkup } from './repair-markup.ts';

/** Raw elements as xml2js gives them (keepArray): strings, `{ _: text, $: attributes }`, or nested objects. */
export interface RawItem {
  titles?: unknown;
  links?: unknown;
  guids?: unknown;
  ids?: unknown;
  attributes?: unknown;
  'rdf:about'?: unknown;
  descriptions?: unknown;
  summaries?: unknown;
  contents?: unknown;
  contentEncoded?: unknown;
  mediaContent?: unknown;
  mediaThumbnail?: unknown;
  mediaGroup?: unknown;
  enclosures?: unknown;
  itunesImage?: unknown;
  itunesAuthor?: unknown;
  itunesSummary?: unknown;
  dcCreator?: unknown;
  authors?: unknown;
  pubDates?: unknown;
  dcDates?: unknown;
  published?: unknown;
  updated?: unknown;
  ytVideoId?: unknown;
  origLinks?: unknown;
  isoDate?: unknown;
  link?: unknown;
}

/** The feed as rss-parser gives it, before normalising. */
export interface RawFeed {
  title?: unknown;
  link?: unknown;
  feedAuthors?: unknown;
  items: RawItem[];
}

/** The item fields that carry text or markup (as opposed to links, dates, media). */
export const BODY_FIELDS = ['titles', 'descriptions', 'summaries', 'contents', 'contentEncoded'] as const;
export type BodyField = (typeof BODY_FIELDS)[number];

interface FeedCustomFields {
  feedAuthors?: unknown;
}

const keep = { keepArray: true };
const ITEM_FIELDS: [string, string, typeof keep][] = [
  ['title', 'titles', keep],
  ['link', 'links', keep],
  ['guid', 'guids', keep],
  ['id', 'ids', keep],
  ['$', 'attributes', keep],
  ['description', 'descriptions', keep],
  ['summary', 'summaries', keep],
  ['content', 'contents', keep],
  ['content:encoded', 'contentEncoded', keep],
  ['media:content', 'mediaContent', keep],
  ['media:thumbnail', 'mediaThumbnail', keep],
  ['media:group', 'mediaGroup', keep],
  ['enclosure', 'enclosures', keep],
  ['itunes:image', 'itunesImage', keep],
  ['itunes:author', 'itunesAuthor', keep],
  ['itunes:summary', 'itunesSummary', keep],
  ['dc:creator', 'dcCreator', keep],
  ['author', 'authors', keep],
  ['pubDate', 'pubDates', keep],
  ['dc:date', 'dcDates', keep],
  ['published', 'published', keep],
  ['updated', 'updated', keep],
  ['yt:videoId', 'ytVideoId', keep],
  ['feedburner:origLink', 'origLinks', keep],
];

type AtomBuilder = { buildAtomFeed(this: unknown, xml: { feed: unknown }): unknown };
const atomBuilder = Parser.prototype as unknown as AtomBuilder;

/**
 * rss-parser rejects a whole Atom feed when one entry has a date `new Date()` cannot read
 * (it calls toISOString on it) or a `<link>` without attributes (it reads `link.$.rel`).
 * This subclass cleans those before its builder runs, so one bad entry costs nothing.
 */
class TolerantParser extends Parser<FeedCustomFields, RawItem> {
  buildAtomFeed(xml: { feed: unknown }): unknown {
    const feed = asObject(xml.feed);
    if (!feed) return atomBuilder.buildAtomFeed.call(this, xml);
    const entries = list(feed['entry']).map((entry) => {
      const fields = asObject(entry);
      if (!fields) return {};
      return {
        ...fields,
        link: atomLinks(fields['link']),
        published: readableDates(fields['published']),
        updated: readableDates(fields['updated']),
      };
    });
    return atomBuilder.buildAtomFeed.call(this, { feed: { ...feed, link: atomLinks(feed['link']), entry: entries } });
  }
}

const parser = new TolerantParser({
  // A versionless <rss> (UOL, the KOI8-R sample) is read as RSS 2.0, which also covers 0.9x.
  defaultRSS: 2,
  customFields: {
    item: ITEM_FIELDS,
    feed: [['author', 'feedAuthors', keep]] as unknown as (keyof FeedCustomFields)[],
  },
});

/**
 * Parses, and once more after repairing bare `&` and `<` if that is what broke it. `text` is
 * the XML that was read in the end, for a second pass over the same document.
 */
export async function readRawFeed(xml: string): Promise<{ raw: RawFeed; text: string }> {
  try {
    return { raw: (await parser.parseString(xml)) as RawFeed, text: xml };
  } catch (error) {
    if (!isRepairable(error)) throw explainParseError(error);
    const repaired = repairMarkup(xml);
    try {
      return { raw: (await parser.parseString(repaired)) as RawFeed, text: repaired };
    } catch (second) {
      throw explainParseError(second);
    }
  }
}

/** Atom `<link>`s as rss-parser expects them: every one with attributes (`<link>url</link>` becomes an href). */
function atomLinks(value: unknown): unknown[] | undefined {
  if (value === undefined) return undefined;
  return list(value).map((link) => {
    const object = asObject(link);
    if (object && asObject(object['$'])) return object;
    const href = textOf(link)?.trim();
    return { ...object, $: href ? { href } : {} };
  });
}

/** Keeps Atom date elements rss-parser can turn into an ISO string; drops the rest. */
function readableDates(value: unknown): unknown[] | undefined {
  const dates = list(value).filter((date) => typeof date !== 'string' || !Number.isNaN(new Date(date).getTime()));
  return dates.length > 0 ? dates : undefined;
}
