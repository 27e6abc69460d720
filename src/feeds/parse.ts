import { authorNames } from './authors.ts';
import type { Item, ParsedFeed } from './item.ts';
import { normaliseItem } from './normalise-item.ts';
import { extractMarkup, needsMarkupPass } from './ordered-markup.ts';
import { explainParseError } from './parse-error.ts';
import { readRawFeed } from './raw-feed.ts';
import { textOf } from './raw-values.ts';
import { plainTitle } from './titles.ts';
import { httpUrl, resolveBase, validUrl } from './urls.ts';
import { prepareFeedDocument } from './xml-document.ts';

export { FeedParseError } from './parse-error.ts';

/**
 * Parses a decoded feed body (RSS 0.9x/1.0/2.0, RDF, Atom) into normalised items, with
 * links and images made absolute against `feedUrl` (and any xml:base). Anything that is not
 * a feed, or is broken beyond a bare `&` or `<`, throws FeedParseError.
 */
export async function parseFeed(xml: string, feedUrl: string): Promise<ParsedFeed> {
  try {
    return await parseDocumentText(xml, feedUrl);
  } catch (error) {
    throw explainParseError(error);
  }
}

async function parseDocumentText(xml: string, feedUrl: string): Promise<ParsedFeed> {
  const document = prepareFeedDocument(xml);
  const { raw, text } = await readRawFeed(document.xml);
  const base = resolveBase(document.rootAttributes['xml:base'], validUrl(feedUrl));
  const markup = needsMarkupPass(raw.items) ? extractMarkup(text, document.kind) : [];
  // Atom entries inherit the feed's <author>; RSS has no such rule.
  const feedAuthor = document.kind === 'atom' ? authorNames(raw.feedAuthors) : undefined;

  const items: Item[] = [];
  raw.items.forEach((rawItem, index) => {
    const item = normaliseItem(rawItem, { base, markup: markup[index], feedAuthor });
    // In key order, which puts the fields computed on first read last: they are computed
    // here only for an item that offers nothing else.
    if (Object.keys(item).some((key) => item[key as keyof Item] !== undefined)) items.push(item);
  });
  return {
    title: plainTitle(textOf(raw.title)),
    link: httpUrl(textOf(raw.link), base),
    items,
  };
}
