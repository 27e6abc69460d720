import { collapseWhitespace } from '../text/entities.ts';

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
