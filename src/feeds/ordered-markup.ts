import { DomUtils, parseDocument } from 'htmlparser2';
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

/** Atom xhtml content and unescaped HTML inside RSS come back from xml2js as element trees. */
export function needsMarkupPass(items: RawItem[]): boolean {
  return items.some((item) => BODY_FIELDS.some((field) => hasChildElements(first(item[field]))));
}

/**
 * xml2js groups an element's children by name, so `Hello <b>world</b> again` would come back
 * as "Hello  again" + ["world"]. For the few feeds that carry markup as XML elements, the
 * document is read a second time with htmlparser2, which keeps order, and the inner markup
 * of each item's title, description, summary and content is taken verbatim.
 */
export function extractMarkup(xml: string, kind: FeedKind): ItemMarkup[] {
  const document = parseDocument(xml, { xmlMode: true, decodeEntities: false });
  const elements = (parent: { children: Parameters<typeof DomUtils.getElementsByTagName>[1] } | undefined, name?: string) =>
    parent ? DomUtils.getElementsByTagName(name ?? (() => true), parent.children, false) : [];
  const root = elements(document)[0];
  const container = kind === 'rss' ? elements(root, 'channel')[0] : root;
  return elements(container, kind === 'atom' ? 'entry' : 'item').map((item) => {
    const fields: ItemMarkup = new Map();
    for (const child of elements(item)) {
      if (!fields.has(child.name)) fields.set(child.name, DomUtils.getInnerHTML(child, { xmlMode: true, decodeEntities: false }));
    }
    return fields;
  });
}

/** The verbatim markup of one body field of an item, when the second pass read it. */
export function markupOf(markup: ItemMarkup | undefined, field: BodyField): string | undefined {
  return markup?.get(FIELD_ELEMENT[field]);
}
