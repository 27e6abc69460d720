import { decodeXML } from 'entities';
import { FeedParseError } from './parse-error.ts';

export type FeedKind = 'rss' | 'rdf' | 'atom';

/** A document that looks like a feed, before it is parsed. */
export interface FeedDocument {
  xml: string;
  kind: FeedKind;
  rootAttributes: Record<string, string>;
}

/**
 * Finds the root element past the prolog (declaration, comments, DOCTYPE, stray leading
 * junk such as a BOM) and refuses what is not a feed before rss-parser gives a vaguer
 * answer. An Atom feed wrapped in an XHTML page is cut out of it.
 */
export function prepareFeedDocument(input: string): FeedDocument {
  const xml = input.replace(/^[\ufeff\s]+/, '');
  if (xml === '') throw new FeedParseError('The feed is empty.');
  const root = findRoot(xml);
  if (!root) {
    if (/^[{[]/.test(xml)) throw new FeedParseError('This is JSON, not an RSS or Atom feed.');
    if (/<html[\s>]|<!doctype html/i.test(xml.slice(0, 2048))) throw new FeedParseError('This is an HTML page, not a feed.');
    throw new FeedParseError('This is not a feed: it is not XML.');
  }
  const local = root.name.slice(root.name.indexOf(':') + 1).toLowerCase();
  if (local === 'rss' && !/<(?:\w+:)?channel[\s>]/.test(xml)) {
    throw new FeedParseError('This RSS document has no <channel>, so it holds no stories.');
  }
  if (local === 'rss' || local === 'rdf' || local === 'feed') {
    return { xml, kind: local === 'feed' ? 'atom' : local, rootAttributes: root.attributes };
  }
  if (local === 'html' || local === 'head' || local === 'body' || root.htmlDoctype) {
    const embedded = /<feed[\s>][\s\S]*<\/feed\s*>/.exec(xml);
    if (embedded) return prepareFeedDocument(embedded[0]);
    throw new FeedParseError('This is an HTML page, not a feed.');
  }
  throw new FeedParseError(`This XML document is not an RSS, Atom or RDF feed: its root element is <${root.name}>.`);
}

function findRoot(xml: string): { name: string; attributes: Record<string, string>; htmlDoctype: boolean } | undefined {
  let position = 0;
  let htmlDoctype = false;
  for (;;) {
    while (position < xml.length && /\s/.test(xml[position] ?? '')) position += 1;
    if (xml.startsWith('<?', position)) {
      const end = xml.indexOf('?>', position);
      if (end < 0) return undefined;
      position = end + 2;
    } else if (xml.startsWith('<!--', position)) {
      const end = xml.indexOf('-->', position);
      if (end < 0) return undefined;
      position = end + 3;
    } else if (/^<!doctype/i.test(xml.slice(position, position + 9))) {
      const doctype = /^<!doctype[^[>]*(\[[\s\S]*?\]\s*)?>/i.exec(xml.slice(position));
      if (!doctype) return undefined;
      htmlDoctype = /^<!doctype\s+html/i.test(doctype[0]);
      position += doctype[0].length;
    } else {
      const tag = /^<([A-Za-z_][\w.:-]*)([^>]*)>/.exec(xml.slice(position, position + 8192));
      if (!tag?.[1]) return undefined;
      return { name: tag[1], attributes: parseAttributes(tag[2] ?? ''), htmlDoctype };
    }
  }
}

function parseAttributes(source: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of source.matchAll(/([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    if (match[1]) attributes[match[1]] = decodeXML(match[2] ?? match[3] ?? '');
  }
  return attributes;
}
