import { decodeHTMLStrict } from 'entities';

/** The XML parser's complaints that repairMarkup can fix: a bare `&` or `<`, an unknown entity. */
export function isRepairable(error: unknown): boolean {
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
