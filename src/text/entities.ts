import { decodeHTMLStrict } from 'entities';

/**
 * Decodes HTML character references in text exactly once: `R&amp;B` → `R&B`, and
 * `&amp;lt;` → `&lt;` (not `<`). Strict mode needs the closing `;`, so text such as
 * "Rock&not Roll" or "AT&T" is left alone where a browser's lenient rules would not.
 */
export function decodeEntitiesOnce(text: string): string {
  return text.includes('&') ? decodeHTMLStrict(text) : text;
}

/** White space other than a single plain space between words. */
const NEEDS_COLLAPSING = /[^\S ]| {2}|^ | $/;

/** Every kind of white space (tabs, newlines, NBSP, ideographic space…) becomes one plain space. */
export function collapseWhitespace(text: string): string {
  // Most texts (ids, names, titles) have nothing to collapse.
  if (!NEEDS_COLLAPSING.test(text)) return text;
  return text.replace(/[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g, ' ').trim();
}

/**
 * C0/C1 control characters other than tab and newline: feeds leak them (a stray form
 * feed, a Windows-1252 byte decoded as Latin-1) and Discord shows them as boxes.
 */
export function stripControlCharacters(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '');
}
