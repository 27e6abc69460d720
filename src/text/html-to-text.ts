import { decodeHTMLAttribute } from 'entities';
import { Parser, type Handler } from 'htmlparser2';
import { collapseWhitespace, decodeEntitiesOnce, stripControlCharacters } from './entities.ts';

/**
 * Elements open at once past which reading stops. Real pages stay under a hundred; a
 * hostile body of 300,000 nested <div>s would cost htmlparser2 minutes (its element stack
 * is an array it unshifts).
 */
export const MAX_NESTING = 1_000;

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

/** Text read from the start of a document, and whether it is all of it. */
export interface TextPrefix {
  text: string;
  complete: boolean;
}

/**
 * Readable plain text from an HTML fragment: paragraphs become blank-line separated, list
 * items "• " lines (numbered in ordered lists), links their text, images and scripts
 * nothing, runs of white space one space. Entities are decoded once, by the HTML parser.
 * Text without any markup is taken as plain text whose line breaks matter.
 */
export function htmlToText(html: string): string {
  return htmlToTextPrefix(html, Number.POSITIVE_INFINITY).text;
}

/**
 * As htmlToText, but reading stops soon after `maxLength` characters of text (a summary
 * shows a few thousand characters of what can be a 200,000-character article), or where
 * elements nest deeper than MAX_NESTING.
 */
export function htmlToTextPrefix(html: string, maxLength: number): TextPrefix {
  if (!MARKUP.test(html)) return { text: plainTextToText(html), complete: true };
  collector.start(maxLength);
  parser.reset();
  parser.write(html);
  const complete = !collector.stopped;
  if (complete) parser.end();
  const text = finish(collector.text());
  // Let the document go: the parser keeps what it was given until its next reset.
  parser.reset();
  return { text, complete };
}

/**
 * Parser callbacks that write the text. One parser and one collector serve every call
 * (htmlToText runs to completion synchronously): making a parser per fragment cost more
 * than reading most fragments.
 */
class TextCollector implements Partial<Handler> {
  #out = new TextBuilder();
  #lists: { ordered: boolean; next: number }[] = [];
  #skipping = 0;
  #preformatted = 0;
  #openTag = '';
  #depth = 0;
  #maxLength = Number.POSITIVE_INFINITY;
  stopped = false;
  parser: Parser | undefined;

  start(maxLength: number): void {
    this.#out = new TextBuilder();
    this.#lists = [];
    this.#skipping = 0;
    this.#preformatted = 0;
    this.#openTag = '';
    this.#depth = 0;
    this.#maxLength = maxLength;
    this.stopped = false;
  }

  text(): string {
    return this.#out.toString();
  }

  onparserinit(parser: Parser): void {
    this.parser = parser;
  }

  // Tag names come lower-cased (lowerCaseTags). The name alone is taken, not onopentag's
  // attributes: gathering them into an object for every tag cost a fifth of the read.
  onopentagname(name: string): void {
    this.#openTag = name;
    this.#depth += 1;
    if (this.#depth > MAX_NESTING) this.#stop();
    if (SKIPPED.has(name)) {
      this.#skipping += 1;
      return;
    }
    if (this.#skipping > 0) return;
    const out = this.#out;
    if (name === 'br') out.lineBreak();
    else if (name === 'ul' || name === 'ol') {
      out.blockBreak(this.#lists.length > 0 ? 1 : 2);
      this.#lists.push({ ordered: name === 'ol', next: 1 });
    } else if (name === 'li') {
      out.blockBreak(1);
      const list = this.#lists.at(-1);
      const indent = '  '.repeat(Math.max(0, this.#lists.length - 1));
      out.setPrefix(indent + (list?.ordered ? `${list.next++}. ` : '• '));
    } else if (name === 'td' || name === 'th') out.space();
    else if (PARAGRAPHS.has(name)) out.blockBreak(2);
    else if (LINES.has(name)) out.blockBreak(1);
    if (name === 'pre') this.#preformatted += 1;
  }

  onattribute(name: string, value: string): void {
    if (this.#openTag !== 'ol' || name !== 'start' || this.#skipping > 0) return;
    // A repeated attribute counts once, as its first occurrence, as browsers read it.
    this.#openTag = '';
    const list = this.#lists.at(-1);
    const start = Number.parseInt(value, 10);
    if (list && Number.isFinite(start)) list.next = start;
  }

  onclosetag(name: string): void {
    this.#depth -= 1;
    if (SKIPPED.has(name)) {
      this.#skipping = Math.max(0, this.#skipping - 1);
      return;
    }
    if (this.#skipping > 0) return;
    const out = this.#out;
    if (name === 'ul' || name === 'ol') {
      this.#lists.pop();
      out.blockBreak(this.#lists.length > 0 ? 1 : 2);
    } else if (PARAGRAPHS.has(name)) out.blockBreak(2);
    else if (LINES.has(name)) out.blockBreak(1);
    if (name === 'pre') this.#preformatted = Math.max(0, this.#preformatted - 1);
  }

  ontext(raw: string): void {
    if (this.#skipping > 0 || this.stopped) return;
    // Removed here rather than at the end, so that they never count towards maxLength.
    const text = stripControlCharacters(raw);
    if (this.#preformatted > 0) this.#out.preformatted(text);
    else this.#out.text(text);
    if (this.#out.length > this.#maxLength) this.#stop();
  }

  #stop(): void {
    this.stopped = true;
    this.parser?.pause();
  }
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
  /** Characters written so far. */
  length = 0;
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
    // trim() and \s both cover every Unicode space, no-break space included.
    const core = raw.trim();
    if (core === '') {
      if (raw.length > 0) this.space();
      return;
    }
    if (raw[0] !== core[0]) this.space();
    this.#write(collapseWhitespace(core));
    if (raw.at(-1) !== core.at(-1)) this.#pendingSpace = true;
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
      this.#push('\n'.repeat(this.#pendingBreak));
      this.#atLineStart = true;
    } else if (this.#pendingSpace && !this.#atLineStart) {
      this.#push(' ');
    }
    this.#pendingBreak = 0;
    this.#pendingSpace = false;
    if (this.#atLineStart && this.#prefix) this.#push(this.#prefix);
    this.#prefix = '';
    this.#push(text);
    this.#hasText = true;
    this.#atLineStart = false;
  }

  #push(chunk: string): void {
    this.#chunks.push(chunk);
    this.length += chunk.length;
  }

  toString(): string {
    return this.#chunks.join('');
  }
}

const collector = new TextCollector();
const parser = new Parser(collector, { decodeEntities: true, lowerCaseTags: true });

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
