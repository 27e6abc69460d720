import { decodeHTMLAttribute } from 'entities';
import { Parser } from 'htmlparser2';
import { decodeEntitiesOnce, stripControlCharacters } from './entities.ts';

/** Elements whose content is never reading matter. */
const SKIPPED = new Set([
  'script', 'style', 'noscript', 'template', 'head', 'title', 'iframe', 'object', 'embed',
  'svg', 'math', 'canvas', 'audio', 'video', 'select', 'textarea', 'button',
]);

/** Elements that stand as paragraphs of their own: a blank line before and after. */
const PARAGRAPHS = new Set([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'table', 'figure', 'hr',
  'address', 'article', 'section', 'aside', 'header', 'footer', 'main', 'nav', 'details',
  'fieldset', 'form', 'dl',
]);

/** Elements that start on a new line but need no blank line. */
const LINES = new Set(['div', 'tr', 'dt', 'dd', 'figcaption', 'caption', 'summary', 'center', 'li']);

// A '<' followed by a letter, '/', '!' or '?' is markup; anything else ("a < b") is text.
const MARKUP = /<[a-zA-Z/!?]/;

/**
 * Readable plain text from an HTML fragment: paragraphs become blank-line separated, list
 * items "• " lines (numbered in ordered lists), links their text, images and scripts
 * nothing, runs of white space one space. Entities are decoded once, by the HTML parser.
 * Text without any markup is taken as plain text whose line breaks matter.
 */
export function htmlToText(html: string): string {
  if (!MARKUP.test(html)) return plainTextToText(html);
  const out = new TextBuilder();
  const lists: { ordered: boolean; next: number }[] = [];
  let skipping = 0;
  let preformatted = 0;

  const parser = new Parser(
    {
      onopentag(rawName, attributes) {
        const name = rawName.toLowerCase();
        if (SKIPPED.has(name)) {
          skipping += 1;
          return;
        }
        if (skipping > 0) return;
        if (name === 'br') out.lineBreak();
        else if (name === 'ul' || name === 'ol') {
          out.blockBreak(lists.length > 0 ? 1 : 2);
          const start = Number.parseInt(attributes['start'] ?? '1', 10);
          lists.push({ ordered: name === 'ol', next: Number.isFinite(start) ? start : 1 });
        } else if (name === 'li') {
          out.blockBreak(1);
          const list = lists.at(-1);
          const indent = '  '.repeat(Math.max(0, lists.length - 1));
          out.setPrefix(indent + (list?.ordered ? `${list.next++}. ` : '• '));
        } else if (name === 'td' || name === 'th') out.space();
        else if (PARAGRAPHS.has(name)) out.blockBreak(2);
        else if (LINES.has(name)) out.blockBreak(1);
        if (name === 'pre') preformatted += 1;
      },
      onclosetag(rawName) {
        const name = rawName.toLowerCase();
        if (SKIPPED.has(name)) {
          skipping = Math.max(0, skipping - 1);
          return;
        }
        if (skipping > 0) return;
        if (name === 'ul' || name === 'ol') {
          lists.pop();
          out.blockBreak(lists.length > 0 ? 1 : 2);
        } else if (PARAGRAPHS.has(name)) out.blockBreak(2);
        else if (LINES.has(name)) out.blockBreak(1);
        if (name === 'pre') preformatted = Math.max(0, preformatted - 1);
      },
      ontext(text) {
        if (skipping > 0) return;
        if (preformatted > 0) out.preformatted(text);
        else out.text(text);
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return finish(out.toString());
}

/** Plain text that may still carry HTML character references: decoded once, line breaks kept. */
export function plainTextToText(text: string): string {
  const lines = decodeEntitiesOnce(text)
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[^\S\n]+/g, ' ').trim());
  return finish(lines.join('\n'));
}

function finish(text: string): string {
  return stripControlCharacters(text)
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Collects text while deciding separators lazily: a break or space is written only when
 * more text follows, so empty elements and trailing markup leave no stray blank lines.
 */
class TextBuilder {
  #chunks: string[] = [];
  #hasText = false;
  #atLineStart = true;
  #pendingBreak = 0;
  #pendingSpace = false;
  #prefix = '';

  blockBreak(newlines: 1 | 2): void {
    this.#pendingBreak = Math.max(this.#pendingBreak, newlines);
    this.#pendingSpace = false;
  }

  lineBreak(): void {
    this.#pendingBreak = Math.min(2, this.#pendingBreak + 1);
    this.#pendingSpace = false;
  }

  space(): void {
    if (!this.#atLineStart) this.#pendingSpace = true;
  }

  setPrefix(prefix: string): void {
    this.#prefix = prefix;
  }

  text(raw: string): void {
    const normalised = raw.replace(/[\s\u00a0]+/g, ' ');
    if (normalised.trim() === '') {
      if (normalised.length > 0) this.space();
      return;
    }
    if (normalised.startsWith(' ')) this.space();
    this.#write(normalised.trim());
    if (normalised.endsWith(' ')) this.#pendingSpace = true;
  }

  preformatted(raw: string): void {
    const lines = raw.replace(/\r\n?/g, '\n').replace(/\u00a0/g, ' ').split('\n');
    lines.forEach((line, index) => {
      if (index > 0) this.lineBreak();
      // Whitespace-only nodes matter here: indentation, and spaces between highlighted tokens.
      if (line !== '') this.#write(line);
    });
  }

  #write(text: string): void {
    if (this.#pendingBreak > 0 && this.#hasText) {
      this.#chunks.push('\n'.repeat(this.#pendingBreak));
      this.#atLineStart = true;
    } else if (this.#pendingSpace && !this.#atLineStart) {
      this.#chunks.push(' ');
    }
    this.#pendingBreak = 0;
    this.#pendingSpace = false;
    if (this.#atLineStart && this.#prefix) this.#chunks.push(this.#prefix);
    this.#prefix = '';
    this.#chunks.push(text);
    this.#hasText = true;
    this.#atLineStart = false;
  }

  toString(): string {
    return this.#chunks.join('');
  }
}

// Pixels and share buttons that ride along in feed HTML: never the story's picture.
const TRACKING_IMAGE =
  /(?:feeds\.feedburner\.com\/~|feedsportal\.com|pheedo\.com|doubleclick\.net|stats\.wordpress\.com|pixel\.wp\.com|feeds\.wordpress\.com\/1\.0\/|\/pixel(?:\.gif)?(?:[?/]|$)|[/_.-]1x1[/_.-])/i;

/** An `<img>` as found in HTML: enough for a caller to judge whether it is the story's picture. */
export interface ImageTag {
  src: string;
  /** Lower-cased attribute names, values decoded. */
  attributes: ReadonlyMap<string, string>;
  /** The href of the `<a>` the image sits in: share buttons are icons inside share links. */
  link: string | undefined;
}

/**
 * Each `<img>` in document order (lazy-loading `data-src` when `src` is a placeholder),
 * leaving out tracking pixels: 0/1-pixel sizes and known counter hosts.
 */
export function* imageTags(html: string): Generator<ImageTag> {
  let link: string | undefined;
  for (const tag of html.matchAll(/<(\/?)(a|img)\b[^>]*>/gi)) {
    const closing = tag[1] === '/';
    if (tag[2]?.toLowerCase() === 'a') {
      link = closing ? undefined : tagAttributes(tag[0]).get('href');
      continue;
    }
    if (closing) continue;
    const attributes = tagAttributes(tag[0]);
    const width = attributes.get('width');
    const height = attributes.get('height');
    if (width === '0' || width === '1' || height === '0' || height === '1') continue;
    const src = [attributes.get('src'), attributes.get('data-src'), attributes.get('data-lazy-src')].find(
      (candidate) => candidate !== undefined && candidate.trim() !== '' && !candidate.trim().startsWith('data:'),
    );
    if (src !== undefined && !TRACKING_IMAGE.test(src)) yield { src: src.trim(), attributes, link };
  }
}

/** The `src` of each `<img>` that imageTags finds. */
export function* imageSources(html: string): Generator<string> {
  for (const tag of imageTags(html)) yield tag.src;
}

function tagAttributes(tag: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of tag.matchAll(/([^\s=<>/"']+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g)) {
    const name = match[1]?.toLowerCase();
    if (name && !attributes.has(name)) attributes.set(name, decodeHTMLAttribute(match[2] ?? match[3] ?? match[4] ?? ''));
  }
  return attributes;
}
