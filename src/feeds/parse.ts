import { DomUtils, parseDocument } from 'htmlparser2';
import { decodeHTMLStrict, decodeXML } from 'entities';
import Parser from 'rss-parser';
import { collapseWhitespace, decodeEntitiesOnce, stripControlCharacters } from '../text/entities.ts';
import { htmlToText, imageSources, plainTextToText } from '../text/html-to-text.ts';
import type { Item, ParsedFeed } from './item.ts';

/** A body that is not a readable feed; the message says why in plain words, for moderators. */
export class FeedParseError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FeedParseError';
  }
}

/**
 * Parses a decoded feed body (RSS 0.9x/1.0/2.0, RDF, Atom) into normalised items, with
 * links and images made absolute against `feedUrl` (and any xml:base). Anything that is not
 * a feed, or is broken beyond a bare `&` or `<`, throws FeedParseError.
 */
export async function parseFeed(xml: string, feedUrl: string): Promise<ParsedFeed> {
  try {
    return await parseDocumentText(xml, feedUrl);
  } catch (error) {
    throw explain(error);
  }
}

async function parseDocumentText(xml: string, feedUrl: string): Promise<ParsedFeed> {
  const document = prepare(xml);
  const { raw, text } = await parseXml(document.xml);
  const base = resolveBase(document.rootAttributes['xml:base'], validUrl(feedUrl));
  const markup = needsMarkupPass(raw.items) ? extractMarkup(text, document.kind) : [];
  // Atom entries inherit the feed's <author>; RSS has no such rule.
  const feedAuthor = document.kind === 'atom' ? authorNames(raw.feedAuthors) : undefined;

  const items: Item[] = [];
  raw.items.forEach((rawItem, index) => {
    const item = normaliseItem(rawItem, { base, markup: markup[index], feedAuthor });
    if (Object.values(item).some((value) => value !== undefined)) items.push(item);
  });
  return {
    title: plainTitle(textOf(raw.title)),
    link: httpUrl(textOf(raw.link), base),
    items,
  };
}

// ---------------------------------------------------------------------------------------
// The rss-parser layer

/** Raw elements as xml2js gives them (keepArray): strings, `{ _: text, $: attributes }`, or nested objects. */
interface RawItem {
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

interface RawFeed {
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
class TolerantParser extends Parser<RawFeed, RawItem> {
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
    feed: [['author', 'feedAuthors', keep]] as unknown as (keyof RawFeed)[],
  },
});

interface RawResult {
  title?: unknown;
  link?: unknown;
  feedAuthors?: unknown;
  items: RawItem[];
}

/** Parses, and once more after repairing bare `&` and `<` if that is what broke it. */
async function parseXml(xml: string): Promise<{ raw: RawResult; text: string }> {
  try {
    return { raw: (await parser.parseString(xml)) as RawResult, text: xml };
  } catch (error) {
    if (!isRepairable(error)) throw explain(error);
    const repaired = repairMarkup(xml);
    try {
      return { raw: (await parser.parseString(repaired)) as RawResult, text: repaired };
    } catch (second) {
      throw explain(second);
    }
  }
}

function isRepairable(error: unknown): boolean {
  return error instanceof Error && /^(Invalid character in entity name|Invalid character entity|Unencoded <)/.test(error.message);
}

/**
 * Escapes what publishers forget to (a bare `&` in a URL, "a < b"), turns HTML named
 * entities XML does not know into numeric references, and neutralises references to
 * undeclared entities (`&lol9;` stays visible text: DTD entities are never expanded).
 * CDATA sections and comments are left as they are.
 */
export function repairMarkup(xml: string): string {
  return xml.replace(
    /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<(?=[\s\d=<])|&(?:#(\d+);|#[xX]([0-9a-fA-F]+);|([A-Za-z][A-Za-z0-9]*);)?/g,
    (match, decimal: string | undefined, hex: string | undefined, name: string | undefined) => {
      if (match.startsWith('<!')) return match;
      if (match === '<') return '&lt;';
      if (decimal !== undefined || hex !== undefined) {
        const code = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16);
        const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff));
        return allowed ? `&#x${code.toString(16)};` : '&#xfffd;';
      }
      if (name === undefined) return '&amp;';
      if (['amp', 'lt', 'gt', 'quot', 'apos'].includes(name)) return match;
      const decoded = decodeHTMLStrict(match);
      if (decoded === match) return `&amp;${name};`;
      return [...decoded].map((char) => `&#x${(char.codePointAt(0) ?? 0xfffd).toString(16)};`).join('');
    },
  );
}

const SAX_REASONS: [RegExp, string][] = [
  [/^Unclosed root tag/, 'it ends before the document is complete (unclosed root tag); the server may have cut it short'],
  [/^Unexpected end/, 'it ends in the middle of a tag; the server may have cut it short'],
  [/^Unmatched closing tag|^Unexpected close tag/, 'a closing tag does not match the tag it should close'],
  [/^Text data outside of root node/, 'there is text after the end of the document'],
  [/^Non-whitespace before first tag/, 'there is text before the first tag'],
  [/^Invalid character entity|^Invalid character in entity name/, 'an entity reference is invalid'],
];

/** Turns whatever the parser threw into a FeedParseError a moderator can act on. */
function explain(error: unknown): FeedParseError {
  if (error instanceof FeedParseError) return error;
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return new FeedParseError('The feed is nested too deeply to read.', { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  const [reason = ''] = message.split('\n');
  const line = /\nLine: (\d+)/.exec(message);
  if (line?.[1] !== undefined) {
    const plain = SAX_REASONS.find(([pattern]) => pattern.test(reason))?.[1] ?? reason.replace(/\.$/, '').toLowerCase();
    return new FeedParseError(`The feed's XML is broken: ${plain}, at line ${Number(line[1]) + 1}.`, { cause: error });
  }
  if (/not recognized as RSS/.test(message)) {
    return new FeedParseError('This XML document is not an RSS, Atom or RDF feed.', { cause: error });
  }
  if (/Unable to parse XML/.test(message)) return new FeedParseError('The feed is empty.', { cause: error });
  return new FeedParseError('The feed is not laid out as RSS or Atom requires (an element it needs is missing).', {
    cause: error,
  });
}

// ---------------------------------------------------------------------------------------
// Before parsing: what is this document?

type FeedKind = 'rss' | 'rdf' | 'atom';

interface Prepared {
  xml: string;
  kind: FeedKind;
  rootAttributes: Record<string, string>;
}

/**
 * Finds the root element past the prolog (declaration, comments, DOCTYPE, stray leading
 * junk such as a BOM) and refuses what is not a feed before rss-parser gives a vaguer
 * answer. An Atom feed wrapped in an XHTML page is cut out of it.
 */
function prepare(input: string): Prepared {
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
    if (embedded) return prepare(embedded[0]);
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

// ---------------------------------------------------------------------------------------
// Markup that xml2js cannot keep in order

const BODY_FIELDS = ['titles', 'descriptions', 'summaries', 'contents', 'contentEncoded'] as const;

/** Atom xhtml content and unescaped HTML inside RSS come back from xml2js as element trees. */
function needsMarkupPass(items: RawItem[]): boolean {
  return items.some((item) => BODY_FIELDS.some((field) => hasChildElements(first(item[field]))));
}

/**
 * xml2js groups an element's children by name, so `Hello <b>world</b> again` would come back
 * as "Hello  again" + ["world"]. For the few feeds that carry markup as XML elements, the
 * document is read a second time with htmlparser2, which keeps order, and the inner markup
 * of each item's title, description, summary and content is taken verbatim.
 */
function extractMarkup(xml: string, kind: FeedKind): Map<string, string>[] {
  const document = parseDocument(xml, { xmlMode: true, decodeEntities: false });
  const elements = (parent: { children: Parameters<typeof DomUtils.getElementsByTagName>[1] } | undefined, name?: string) =>
    parent ? DomUtils.getElementsByTagName(name ?? (() => true), parent.children, false) : [];
  const root = elements(document)[0];
  const container = kind === 'rss' ? elements(root, 'channel')[0] : root;
  return elements(container, kind === 'atom' ? 'entry' : 'item').map((item) => {
    const fields = new Map<string, string>();
    for (const child of elements(item)) {
      if (!fields.has(child.name)) fields.set(child.name, DomUtils.getInnerHTML(child, { xmlMode: true, decodeEntities: false }));
    }
    return fields;
  });
}

// ---------------------------------------------------------------------------------------
// One item

interface ItemContext {
  base: string | undefined;
  markup: Map<string, string> | undefined;
  feedAuthor: string | undefined;
}

const FIELD_ELEMENT: Record<(typeof BODY_FIELDS)[number], string> = {
  titles: 'title',
  descriptions: 'description',
  summaries: 'summary',
  contents: 'content',
  contentEncoded: 'content:encoded',
};

function normaliseItem(raw: RawItem, context: ItemContext): Item {
  const base = resolveBase(stringRecord(raw.attributes)['xml:base'], context.base);
  const body = (field: (typeof BODY_FIELDS)[number]) => bodyOf(raw[field], context.markup?.get(FIELD_ELEMENT[field]), base);

  const title = titleOf(body('titles'));
  const htmlBody = [body('contentEncoded'), body('contents'), body('descriptions'), body('summaries')].find(
    (candidate) => candidate !== undefined && candidate.kind !== 'text',
  );
  const summarySource = [
    body('descriptions'),
    body('summaries'),
    body('contentEncoded'),
    body('contents'),
    plainBody(mediaDescription(raw.mediaGroup)),
    plainBody(textOf(raw.itunesSummary)),
  ].find((candidate) => candidate !== undefined && candidate.value.trim() !== '');
  const summary = summarySource ? cleanSummary(toText(summarySource), title) : undefined;

  return {
    id: idOf(raw),
    link: linkOf(raw, base),
    title,
    summary,
    html: htmlBody?.value.trim() || undefined,
    image: imageOf(raw, htmlBody ?? summarySource, base),
    author: authorOf(raw) ?? context.feedAuthor,
    date: dateOf(raw),
    video: videoOf(raw),
  };
}

interface Body {
  kind: 'html' | 'text' | 'xhtml';
  /** The element said what it holds (Atom `type`), rather than RSS custom implying HTML. */
  declared: boolean;
  value: string;
  base: string | undefined;
}

/**
 * An element that carries HTML or text. Atom says which with `type`; RSS elements are HTML
 * (escaped or CDATA) by custom. Element trees (xhtml) use the verbatim markup of the
 * second pass.
 */
function bodyOf(element: unknown, markup: string | undefined, base: string | undefined): Body | undefined {
  const node = first(element);
  if (node === undefined) return undefined;
  const attributes = attributesOf(node);
  const elementBase = resolveBase(attributes['xml:base'], base);
  const type = (attributes['type'] ?? '').toLowerCase();
  if (hasChildElements(node)) {
    if (markup === undefined) return undefined;
    return { kind: type === 'xhtml' ? 'xhtml' : 'html', declared: type !== '', value: markup, base: elementBase };
  }
  const text = textOf(node);
  if (text === undefined) return undefined;
  const kind = type === 'text' || type === 'text/plain' ? 'text' : 'html';
  return { kind, declared: type !== '', value: text, base: elementBase };
}

function plainBody(text: string | undefined): Body | undefined {
  return text === undefined ? undefined : { kind: 'text', declared: true, value: text, base: undefined };
}

function toText(body: Body): string {
  return body.kind === 'text' ? plainTextToText(body.value) : htmlToText(body.value);
}

// Titles are text, but publishers put inline HTML in them (craigslist's ft<sup>2</sup>,
// Google Alerts' <b>): only these element names are taken as markup, so a headline such as
// "<To 10CM: Chapter 1>" stays as it is.
const INLINE_TAGS = /<\/?(?:a|abbr|b|big|br|cite|code|del|em|font|i|ins|mark|q|s|small|span|strong|sub|sup|u|wbr)(?:\s[^<>]*)?\/?>/gi;

function titleOf(body: Body | undefined): string | undefined {
  if (!body) return undefined;
  if (body.kind === 'xhtml' || (body.kind === 'html' && body.declared)) return collapseWhitespace(htmlToText(body.value)) || undefined;
  return plainTitle(body.value);
}

/**
 * A one-line plain title. The XML layer has decoded one level of entities; the text is then
 * read as HTML once more (publishers escape titles as HTML: `R&amp;amp;B` → `R&amp;B` →
 * `R&B`), and never a third time.
 */
function plainTitle(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const plain = decodeEntitiesOnce(text.replace(INLINE_TAGS, (tag) => (/^<br/i.test(tag) ? ' ' : '')));
  return collapseWhitespace(stripControlCharacters(plain)) || undefined;
}

const FOOTER = 'The post ';

/**
 * Drops the boilerplate WordPress appends to excerpts: "Continue reading <title>", "The post
 * <title> appeared first on <site>." (even when the excerpt was cut inside it), and turns
 * the "[…]" more-marker into a plain ellipsis.
 */
export function cleanSummary(text: string, title: string | undefined): string | undefined {
  let summary = text.trim();
  const footer = summary.lastIndexOf(FOOTER);
  if (footer >= 0) {
    const rest = collapseWhitespace(summary.slice(footer + FOOTER.length));
    const cutShort = title !== undefined && rest.length >= 8 && `${title} appeared first on `.startsWith(rest);
    if ((rest.includes(' appeared first on ') && rest.length < 500) || cutShort) summary = summary.slice(0, footer).trimEnd();
  }
  const more = [...summary.matchAll(/(?:Continue reading|Read more)\b/gi)].at(-1);
  if (more && !summary.slice(more.index).includes('\n')) {
    const rest = collapseWhitespace(summary.slice(more.index + more[0].length));
    const isBoilerplate = /^[\s→»…>.:]*$/.test(rest) || (title !== undefined && (title.startsWith(rest) || rest.startsWith(title)));
    if (isBoilerplate) summary = summary.slice(0, more.index).trimEnd();
  }
  summary = summary.replace(/\s*\[(?:…|\.\.\.)\]\s*$/, '…').replace(/…+$/, '…');
  return summary || undefined;
}

function idOf(raw: RawItem): string | undefined {
  const id = textOf(raw.guids) ?? textOf(raw.ids) ?? textOf(raw['rdf:about']) ?? stringRecord(raw.attributes)['rdf:about'];
  return id === undefined ? undefined : collapseWhitespace(id) || undefined;
}

function linkOf(raw: RawItem, base: string | undefined): string | undefined {
  // FeedBurner rewrote links to its own redirector (now gone); the original is kept aside.
  const original = httpUrl(textOf(raw.origLinks), base);
  if (original) return original;
  const links = list(raw.links);
  const atom = links
    .map((link) => attributesOf(link))
    .filter((attributes) => attributes['href'] !== undefined && (attributes['rel'] ?? 'alternate') === 'alternate');
  const alternate = atom.find((attributes) => /^(text\/html|application\/xhtml\+xml)?$/.test(attributes['type'] ?? '')) ?? atom[0];
  // Only alternates: an entry whose links are all rel="replies" or "edit" has no page link.
  for (const candidate of [alternate?.['href'], ...links.map((link) => textOf(link))]) {
    const url = httpUrl(candidate, base);
    if (url) return url;
  }
  // An RSS guid is the permalink unless it says isPermaLink="false"; Atom ids are often URLs too.
  // Only an explicit isPermaLink="true" makes a relative guid a link: bare ids like FT's
  // UUIDs would otherwise resolve to nonsense paths.
  const guid = first(raw.guids);
  const permalink = attributesOf(guid)['isPermaLink']?.trim().toLowerCase();
  const id = textOf(guid) ?? textOf(raw.ids);
  if (id && permalink !== 'false' && (permalink === 'true' || /^\s*https?:\/\//i.test(id))) return httpUrl(id, base);
  return undefined;
}

const IMAGE_EXTENSION = /\.(?:jpe?g|png|gif|webp|avif|bmp)(?:[?#]|$)/i;

function imageOf(raw: RawItem, body: Body | undefined, base: string | undefined): string | undefined {
  const group = list(raw.mediaGroup).map(asObject);
  const candidates = [
    largestMediaImage(list(raw.mediaContent), false),
    ...group.map((g) => largestMediaImage(list(g?.['media:content']), false)),
    ...group.map((g) => largestMediaImage(list(g?.['media:thumbnail']), true)),
    largestMediaImage(list(raw.mediaThumbnail), true),
    ...list(raw.enclosures)
      .map(attributesOf)
      .filter((e) => (e['type'] ?? '').toLowerCase().startsWith('image/') || (!e['type'] && IMAGE_EXTENSION.test(e['url'] ?? '')))
      .map((e) => e['url']),
    attributesOf(raw.itunesImage)['href'],
  ];
  for (const candidate of candidates) {
    const url = httpUrl(candidate, base);
    if (url) return url;
  }
  if (body && body.kind !== 'text') {
    for (const src of imageSources(body.value)) {
      const url = httpUrl(src, body.base ?? base);
      if (url) return url;
    }
  }
  return undefined;
}

/** The widest image among media:content / media:thumbnail elements (publishers list several sizes). */
function largestMediaImage(elements: unknown[], thumbnails: boolean): string | undefined {
  let best: { url: string; width: number } | undefined;
  for (const element of elements) {
    const attributes = attributesOf(element);
    const url = attributes['url'];
    if (!url) continue;
    const medium = (attributes['medium'] ?? '').toLowerCase();
    const type = (attributes['type'] ?? '').toLowerCase();
    const isImage = thumbnails || medium === 'image' || type.startsWith('image/') || (!medium && !type && IMAGE_EXTENSION.test(url));
    if (!isImage) continue;
    const width = Number.parseInt(attributes['width'] ?? '', 10) || 0;
    if (!best || width > best.width) best = { url, width };
  }
  return best?.url;
}

function mediaDescription(groups: unknown): string | undefined {
  for (const group of list(groups)) {
    const text = textOf(asObject(group)?.['media:description']);
    if (text) return text;
  }
  return undefined;
}

function authorOf(raw: RawItem): string | undefined {
  return authorNames(raw.dcCreator) ?? authorNames(raw.authors) ?? authorNames(raw.itunesAuthor);
}

/** dc:creator / RSS author ("jo@example.com (Jo Kim)") / Atom <author><name>, several joined. */
function authorNames(elements: unknown): string | undefined {
  const names = list(elements)
    .map((element) => {
      const name = textOf(asObject(element)?.['name']) ?? textOf(element);
      if (name === undefined) return undefined;
      const emailWithName = /^\s*[^\s@()]+@[^\s@()]+\s*\((.+)\)\s*$/.exec(name);
      if (emailWithName?.[1]) return emailWithName[1];
      // A bare address says nothing to readers, and puts it in front of every server.
      if (/^\s*[^\s@]+@[^\s@]+\s*$/.test(name)) return undefined;
      return name;
    })
    .map((name) => plainTitle(name))
    .filter((name): name is string => name !== undefined);
  return names.length > 0 ? [...new Set(names)].join(', ') : undefined;
}

function dateOf(raw: RawItem): Date | undefined {
  for (const field of [raw.pubDates, raw.published, raw.dcDates, raw.updated]) {
    const date = parseDate(textOf(field));
    if (date) return date;
  }
  return undefined;
}

/** US zone names V8 reads itself; these others appear in feeds too (KST on Korean sites). */
const ZONES: Record<string, string> = {
  BST: '+0100', CET: '+0100', CEST: '+0200', EET: '+0200', EEST: '+0300', MSK: '+0300',
  IST: '+0530', SGT: '+0800', HKT: '+0800', AWST: '+0800', JST: '+0900', KST: '+0900',
  AEST: '+1000', AEDT: '+1100', NZST: '+1200', NZDT: '+1300',
};

/** Month abbreviations of Portuguese, Spanish, Italian, German and French feeds ("Seg, 24 Set 2018"). */
const MONTHS: Record<string, string> = {
  jan: 'Jan', janv: 'Jan', ene: 'Jan', gen: 'Jan',
  fev: 'Feb', feb: 'Feb', févr: 'Feb', fevr: 'Feb',
  mar: 'Mar', mär: 'Mar', mrz: 'Mar', mars: 'Mar',
  abr: 'Apr', apr: 'Apr', avr: 'Apr',
  mai: 'May', may: 'May', mag: 'May',
  jun: 'Jun', giu: 'Jun', juin: 'Jun',
  jul: 'Jul', lug: 'Jul', juil: 'Jul',
  ago: 'Aug', aug: 'Aug', août: 'Aug', aout: 'Aug',
  set: 'Sep', sep: 'Sep', sept: 'Sep',
  out: 'Oct', oct: 'Oct', okt: 'Oct', ott: 'Oct',
  nov: 'Nov',
  dez: 'Dec', dic: 'Dec', déc: 'Dec', dec: 'Dec',
};

/** RFC 822 / ISO 8601 as V8 reads them, then with zone and month names it does not know. */
export function parseDate(text: string | undefined): Date | undefined {
  // "03 Apr 02 1500 GMT" (RSS 0.92 era): V8 reads the colon-less time as midnight.
  const trimmed = text?.trim().replace(/(\d{1,2}\s+\p{L}{3,}\.?\s+\d{2,4}\s+)(\d{2})(\d{2})(?=\s|$)/u, '$1$2:$3');
  // V8 turns almost anything with a number into a date ("Version 2" → Feb 2001): insist on a year.
  if (!trimmed || !/\d{4}|\d{1,2}\s+\p{L}{3,}\.?\s+\d{2}\b/u.test(trimmed)) return undefined;
  const first = new Date(trimmed);
  if (!Number.isNaN(first.getTime())) return first;
  const rewritten = trimmed
    .replace(/^[^\d,]*,\s*/, '')
    .replace(/\p{L}+\.?/gu, (word) => MONTHS[word.replace('.', '').toLowerCase()] ?? ZONES[word] ?? word);
  const second = new Date(rewritten);
  return Number.isNaN(second.getTime()) ? undefined : second;
}

function videoOf(raw: RawItem): string | undefined {
  const id = textOf(raw.ytVideoId)?.trim() ?? /^yt:video:(.+)$/.exec(textOf(raw.ids)?.trim() ?? '')?.[1];
  return id && /^[\w-]{6,20}$/.test(id) ? `https://www.youtube.com/watch?v=${id}` : undefined;
}

// ---------------------------------------------------------------------------------------
// Reading xml2js values

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The text of an element: a string, or `_` of an element that also has attributes. */
function textOf(value: unknown): string | undefined {
  const node = first(value);
  if (typeof node === 'string') return node;
  const text = asObject(node)?.['_'];
  return typeof text === 'string' ? text : undefined;
}

/** The attributes of an element (`$`). */
function attributesOf(value: unknown): Record<string, string> {
  return stringRecord(asObject(first(value))?.['$']);
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(asObject(value) ?? {})) if (typeof entry === 'string') out[key] = entry;
  return out;
}

function hasChildElements(node: unknown): boolean {
  const object = asObject(node);
  return object !== undefined && Object.keys(object).some((key) => key !== '_' && key !== '$');
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

// ---------------------------------------------------------------------------------------
// URLs

function validUrl(url: string): string | undefined {
  try {
    return new URL(url).href;
  } catch {
    return undefined;
  }
}

function resolveBase(reference: string | undefined, base: string | undefined): string | undefined {
  if (!reference?.trim()) return base;
  try {
    return new URL(reference.trim(), base).href;
  } catch {
    return base;
  }
}

/** An absolute http(s) URL for a possibly relative reference, or undefined. */
function httpUrl(reference: string | undefined, base: string | undefined): string | undefined {
  const trimmed = reference?.trim();
  if (!trimmed) return undefined;
  try {
    const url = new URL(trimmed, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
