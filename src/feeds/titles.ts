import { collapseWhitespace, decodeEntitiesOnce, stripControlCharacters } from '../text/entities.ts';
import { htmlToText } from '../text/html-to-text.ts';
import type { Body } from './item-body.ts';

// Titles are text, but publishers put inline HTML in them (craigslist's ft<sup>2</sup>,
// Google Alerts' <b>): only these element names are taken as markup, so a headline such as
// "<To 10CM: Chapter 1>" stays as it is.
const INLINE_TAGS = /<\/?(?:a|abbr|b|big|br|cite|code|del|em|font|i|ins|mark|q|s|small|span|strong|sub|sup|u|wbr)(?:\s[^<>]*)?\/?>/gi;

export function titleOf(body: Body | undefined): string | undefined {
  if (!body) return undefined;
  if (body.kind === 'xhtml' || (body.kind === 'html' && body.declared)) return collapseWhitespace(htmlToText(body.value)) || undefined;
  return plainTitle(body.value);
}

/**
 * A one-line plain title. The XML layer has decoded one level of entities; the text is then
 * read as HTML once more (publishers escape titles as HTML: `R&amp;amp;B` → `R&amp;B` →
 * `R&B`), and never a third time.
 */
export function plainTitle(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const untagged = text.includes('<') ? text.replace(INLINE_TAGS, (tag) => (/^<br/i.test(tag) ? ' ' : '')) : text;
  const plain = decodeEntitiesOnce(untagged);
  return collapseWhitespace(stripControlCharacters(plain)) || undefined;
}
