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

/** Item elements as RawItem fields: [element name, field]. Each keeps every occurrence. */
const ITEM_FIELDS: [string, keyof RawItem][] = [
  ['title', 'titles'],
  ['link', 'links'],
  ['guid', 'guids'],
  ['id', 'ids'],
  ['$', 'attributes'],
  ['description', 'descriptions'],
  ['summary', 'summaries'],
  ['content', 'contents'],
  ['content:encoded', 'contentEncoded'],
  ['media:content', 'mediaContent'],
  ['media:thumbnail', 'mediaThumbnail'],
  ['media:group', 'mediaGroup'],
  ['enclosure', 'enclosures'],
  ['itunes:image', 'itunesImage'],
  ['itunes:author', 'itunesAuthor'],
  ['itunes:summary', 'itunesSummary'],
  ['dc:creator', 'dcCreator'],
  ['author', 'authors'],
  ['pubDate', 'pubDates'],
  ['dc:date', 'dcDates'],
  ['published', 'published'],
  ['updated', 'updated'],
  ['yt:videoId', 'ytVideoId'],
  ['feedburner:origLink', 'origLinks'],
];

type AtomBuilder = { buildAtomFeed(this: unknown, xml: { feed: unknown }): unknown };
const atomBuilder = Parser.prototype as unknown as AtomBuilder;

/**
 * rss-parser reads the document and the feed's own fields; its items are read here instead.
 * Its item builders make what normaliseItem never uses (HTML-stripped snippets, markup
 * re-serialised with xmlbuilder, ISO dates), at a fifth of the parse, and they reject a
 * whole Atom feed over one entry's unreadable date (toISOString throws). The feed-level
 * Atom builder reads `link.$.rel`, so a `<link>` without attributes is given an href first.
 */
class TolerantParser extends Parser<FeedCustomFields, RawItem> {
  buildAtomFeed(xml: { feed: unknown }): unknown {
    const feed = asObject(xml.feed);
    if (!feed) return atomBuilder.buildAtomFeed.call(this, xml);
    return atomBuilder.buildAtomFeed.call(this, { feed: { ...feed, link: atomLinks(feed['link']) } });
  }

  parseItemAtom(entry: unknown): RawItem {
    return rawItem(entry);
  }

  parseItemRss(item: unknown): RawItem {
    return rawItem(item);
  }
}

function rawItem(element: unknown): RawItem {
  const fields = asObject(element);
  const item: Record<string, unknown> = {};
  if (!fields) return item;
  for (const [name, field] of ITEM_FIELDS) {
    const value = fields[name];
    if (value !== undefined) item[field] = value;
  }
  return item;
}

const parser = new TolerantParser({
  // A versionless <rss> (UOL, the KOI8-R sample) is read as RSS 2.0, which also covers 0.9x.
  defaultRSS: 2,
  customFields: {
    feed: [['author', 'feedAuthors', { keepArray: true }]] as unknown as (keyof FeedCustomFields)[],
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
