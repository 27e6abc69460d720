import { collapseWhitespace } from '../text/entities.ts';

const FOOTER = 'The post ';

// Whole last lines that only point at the publisher's site: Slashdot's "Read more of this
// story at Slashdot.", TNW's "This story continues at The Next Web" and its topic links.
// Anchored to the full line, so prose that merely contains these words stays.
const TRAILING_BOILERPLATE = [
  /^Read more of this story at [^\n]{1,60}$/i,
  /^This story continues at [^\n]{1,60}$/i,
  /^Or just read more coverage about: [^\n]{1,200}$/i,
];

/**
 * Drops the boilerplate WordPress appends to excerpts: "Continue reading <title>", "The post
 * <title> appeared first on <site>." (even when the excerpt was cut inside it), and turns
 * the "[…]" more-marker into a plain ellipsis. Also drops "continues at <site>" last lines.
 */
export function cleanSummary(text: string, title: string | undefined): string | undefined {
  let summary = dropTrailingBoilerplate(text.trim());
  const footer = summary.lastIndexOf(FOOTER);
  if (footer >= 0) {
    const rest = collapseWhitespace(summary.slice(footer + FOOTER.length));
    const cutShort = title !== undefined && rest.length >= 8 && `${title} appeared first on `.startsWith(rest);
    if ((rest.includes(' appeared first on ') && rest.length < 500) || cutShort) summary = summary.slice(0, footer).trimEnd();
  }
  // Only a "Continue reading" on the last line can be the excerpt's own link.
  const lastLineStart = summary.lastIndexOf('\n') + 1;
  const more = [...summary.slice(lastLineStart).matchAll(/(?:Continue reading|Read more)\b/gi)].at(-1);
  if (more) {
    const at = lastLineStart + more.index;
    const rest = collapseWhitespace(summary.slice(at + more[0].length));
    const isBoilerplate = /^[\s→»…>.:]*$/.test(rest) || (title !== undefined && (title.startsWith(rest) || rest.startsWith(title)));
    if (isBoilerplate) summary = summary.slice(0, at).trimEnd();
  }
  // The more-marker sits at the very end: only the end is searched, not a whole article.
  if (/\[(?:…|\.\.\.)\]\s*$|……$/.test(summary.slice(-16))) summary = summary.replace(/\s*\[(?:…|\.\.\.)\]\s*$/, '…').replace(/…+$/, '…');
  return summary || undefined;
}

function dropTrailingBoilerplate(text: string): string {
  // Line by line from the end, without splitting what may be a whole article.
  let end = text.length;
  for (;;) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    if (start === 0) break;
    const last = text.slice(start, end).trim();
    if (last !== '' && !TRAILING_BOILERPLATE.some((line) => line.test(last))) break;
    end = start - 1;
  }
  return text.slice(0, end).trimEnd();
}
