import { htmlToTextPrefix, plainTextToText, type TextPrefix } from '../text/html-to-text.ts';
import { attributesOf, first, hasChildElements, textOf } from './raw-values.ts';
import { resolveBase } from './urls.ts';

/** What one element of an item holds (title, description, content…), and how to read it. */
export interface Body {
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
export function bodyOf(element: unknown, markup: string | undefined, base: string | undefined): Body | undefined {
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

export function plainBody(text: string | undefined): Body | undefined {
  return text === undefined ? undefined : { kind: 'text', declared: true, value: text, base: undefined };
}

/** Readable plain text of a body, whatever it holds, read until `maxLength` characters or the end. */
export function bodyText(body: Body, maxLength: number): TextPrefix {
  if (body.kind !== 'text') return htmlToTextPrefix(body.value, maxLength);
  return { text: plainTextToText(body.value), complete: true };
}
