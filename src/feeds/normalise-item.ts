import { collapseWhitespace } from '../text/entities.ts';
import { authorOf } from './authors.ts';
import { cleanSummary } from './clean-summary.ts';
import { parseDate } from './dates.ts';
import { bodyOf, bodyText, plainBody, type Body } from './item-body.ts';
import { bodyImageOf, mediaImageOf, type MediaElements } from './item-image.ts';
import { SUMMARY_REACH, type Item } from './item.ts';
import { withLazyFields } from './lazy-fields.ts';
import { markupOf } from './ordered-markup.ts';
import type { ItemMarkup } from './ordered-markup.ts';
import type { BodyField, RawItem } from './raw-feed.ts';
import { asObject, attributesOf, first, list, stringRecord, textOf } from './raw-values.ts';
import { titleOf } from './titles.ts';
import { httpUrl, resolveBase } from './urls.ts';

/** What an item takes from its feed. */
export interface ItemContext {
  base: string | undefined;
  markup: ItemMarkup | undefined;
  feedAuthor: string | undefined;
}

/** One raw rss-parser item as an Item; every field undefined when the item offers nothing usable. */
export function normaliseItem(raw: RawItem, context: ItemContext): Item {
  const base = resolveBase(stringRecord(raw.attributes)['xml:base'], context.base);
  const title = titleOf(bodyField(raw, 'titles', context.markup, base));
  const description = bodyField(raw, 'descriptions', context.markup, base);
  const atomSummary = bodyField(raw, 'summaries', context.markup, base);
  const contentEncoded = bodyField(raw, 'contentEncoded', context.markup, base);
  const content = bodyField(raw, 'contents', context.markup, base);
  const htmlBody = [contentEncoded, content, description, atomSummary].find((candidate) => candidate !== undefined && candidate.kind !== 'text');
  const summarySource = [description, atomSummary, contentEncoded, content].find(hasText) ?? [
    plainBody(mediaDescription(raw.mediaGroup)),
    plainBody(textOf(raw.itunesSummary)),
  ].find(hasText);

  // Most polls find only stories seen before, which are never posted: turning their HTML
  // into text and looking for their picture wait until a story is formatted (or hashed,
  // when it has neither id nor link). Last in key order, so that parseFeed's look over
  // the fields reaches them only when every other field is empty.
  return withLazyFields(
    {
      id: idOf(raw),
      link: linkOf(raw, base),
      title,
      html: htmlBody?.value.trim() || undefined,
      author: authorOf(raw) ?? context.feedAuthor,
      date: dateOf(raw),
      video: videoOf(raw),
    },
    {
      summary: summaryOf(summarySource, title),
      image: imageOf(mediaOf(raw), htmlBody ?? summarySource, base),
    },
  );
}

function bodyField(raw: RawItem, field: BodyField, markup: ItemMarkup | undefined, base: string | undefined): Body | undefined {
  return bodyOf(raw[field], markupOf(markup, field), base);
}

function hasText(body: Body | undefined): body is Body {
  return body !== undefined && body.value.trim() !== '';
}

// The computations are made here, away from normaliseItem's scope: a closure made there
// would keep the whole raw item alive as long as the Item.

function summaryOf(source: Body | undefined, title: string | undefined): () => string | undefined {
  return () => {
    if (!source) return undefined;
    const { text, complete } = bodyText(source, SUMMARY_REACH);
    // Boilerplate sits at the very end, which a partial read never reaches.
    return complete ? cleanSummary(text, title) : text || undefined;
  };
}

function imageOf(media: MediaElements, body: Body | undefined, base: string | undefined): () => string | undefined {
  return () => mediaImageOf(media, base) ?? bodyImageOf(body, base);
}

/** Only the media elements, for the image computation to keep. */
function mediaOf({ mediaContent, mediaGroup, mediaThumbnail, enclosures, itunesImage }: RawItem): MediaElements {
  return { mediaContent, mediaGroup, mediaThumbnail, enclosures, itunesImage };
}

function idOf(raw: RawItem): string | undefined {
  const id = textOf(raw.guids) ?? textOf(raw.ids) ?? stringRecord(raw.attributes)['rdf:about'];
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

function mediaDescription(groups: unknown): string | undefined {
  for (const group of list(groups)) {
    const text = textOf(asObject(group)?.['media:description']);
    if (text) return text;
  }
  return undefined;
}

function dateOf(raw: RawItem): Date | undefined {
  for (const field of [raw.pubDates, raw.published, raw.dcDates, raw.updated]) {
    const date = parseDate(textOf(field));
    if (date) return date;
  }
  return undefined;
}

function videoOf(raw: RawItem): string | undefined {
  const id = textOf(raw.ytVideoId)?.trim() ?? /^yt:video:(.+)$/.exec(textOf(raw.ids)?.trim() ?? '')?.[1];
  return id && /^[\w-]{6,20}$/.test(id) ? `https://www.youtube.com/watch?v=${id}` : undefined;
}
