/** Bare web addresses: Discord links them itself, and a backslash inside one would break the link. */
const URL_PATTERN = /\bhttps?:\/\/[^\s<>]+/g;

/**
 * Spans a truncation must not cut through once text has been escaped: an escape pair
 * (`\*`) and a bare URL. Cutting either leaves a dangling backslash or a link to a
 * wrong address.
 */
export const MARKDOWN_ATOMS = /\\[^\s]|\bhttps?:\/\/[^\s<>]+/g;

/**
 * Makes feed text render literally in Discord Markdown (embed title and description).
 * Emphasis, code, spoiler and strike markers, brackets (so feed text cannot form masked
 * links), `<` (so `<@id>`, `<#id>` and `<t:…>` render as typed), and quote / heading /
 * subtext markers at the start of a line are escaped; Discord hides the backslashes.
 * URLs are left untouched so they still link.
 */
export function escapeMarkdown(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    out += escapePlain(text.slice(last, match.index));
    out += match[0];
    last = match.index + match[0].length;
  }
  return out + escapePlain(text.slice(last));
}

function escapePlain(text: string): string {
  return text
    .replace(/[\\*_~`|[\]<]/g, '\\$&')
    .replace(/^([^\S\n]*)(>|#{1,3}[^\S\n]|-#[^\S\n])/gm, '$1\\$2');
}
