import { Parser } from 'htmlparser2';
import { FeedParseError } from './parse-error.ts';
import { BODY_FIELDS } from './raw-feed.ts';
import type { BodyField, RawItem } from './raw-feed.ts';
import { first, hasChildElements } from './raw-values.ts';
import type { FeedKind } from './xml-document.ts';

/** One item's body elements, by element name, as the verbatim markup inside them. */
export type ItemMarkup = Map<string, string>;

const FIELD_ELEMENT: Record<BodyField, string> = {
  titles: 'title',
  descriptions: 'description',
  summaries: 'summary',
  contents: 'content',
  contentEncoded: 'content:encoded',
};

/**
 * Elements open at once past which a feed is refused. htmlparser2's element stack costs time
 * in proportion to its depth for every element (300,000 nested <div>s took minutes), while
 * a real feed stays under a hundred; an item's summary stops reading much sooner (MAX_NESTING).
 */
const MAX_DOCUMENT_NESTING = 10_000;

/** Atom xhtml content and unescaped HTML inside RSS come back from xml2js as element trees. */
export function needsMarkupPass(items: RawItem[]): boolean {
  return items.some((item) => BODY_FIELDS.some((field) => hasChildElements(first(item[field]))));
}

/**
 * xml2js groups an element's children by name, so `Hello <b>world</b> again` would come back
 * as "Hello  again" + ["world"]. For the few feeds that carry markup as XML elements, the
 * document is read a second time with htmlparser2, which keeps order, and the inner markup
 * of each item's title, description, summary and content is cut verbatim out of the text.
 */
export function extractMarkup(xml: string, kind: FeedKind): ItemMarkup[] {
  // Items are children of <channel> in RSS, of the root element in RDF and Atom.
  const itemDepth = kind === 'rss' ? 3 : 2;
  const itemName = kind === 'atom' ? 'entry' : 'item';
  const items: ItemMarkup[] = [];
  let depth = 0;
  // The items xml2js lists are those of the first <channel>, as are these.
  let channels = 0;
  let inFirstChannel = false;
  let item: ItemMarkup | undefined;
  let field: { name: string; start: number } | undefined;
  const parser = new Parser(
    {
      onopentag(name) {
        depth += 1;
        if (depth > MAX_DOCUMENT_NESTING) throw new FeedParseError('The feed is nested too deeply to read.');
        if (kind === 'rss' && depth === 2) inFirstChannel = name === 'channel' && ++channels === 1;
        const inContainer = kind !== 'rss' || inFirstChannel;
        if (depth === itemDepth && name === itemName && inContainer) item = new Map();
        else if (item && depth === itemDepth + 1 && !item.has(name)) field = { name, start: parser.endIndex + 1 };
      },
      onclosetag() {
        if (field && item && depth === itemDepth + 1) {
          item.set(field.name, xml.slice(field.start, Math.max(field.start, parser.startIndex)));
          field = undefined;
        } else if (item && depth === itemDepth) {
          items.push(item);
          item = undefined;
        } else if (depth === 2) {
          inFirstChannel = false;
        }
        depth -= 1;
      },
    },
    { xmlMode: true, decodeEntities: false },
  );
  parser.end(xml);
  return items;
}

/** The verbatim markup of one body field of an item, when the second pass read it. */
export function markupOf(markup: ItemMarkup | undefined, field: BodyField): string | undefined {
  return markup?.get(FIELD_ELEMENT[field]);
}
