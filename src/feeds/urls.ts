// Feed references are often relative (to the feed URL or an xml:base) and padded with
// whitespace; these resolve them without throwing.

export function validUrl(url: string): string | undefined {
  try {
    return new URL(url).href;
  } catch {
    return undefined;
  }
}

/** The base for what an element holds: its xml:base resolved against the outer base, else the outer base. */
export function resolveBase(reference: string | undefined, base: string | undefined): string | undefined {
  return resolve(reference, base)?.href ?? base;
}

/** An absolute http(s) URL for a possibly relative reference, or undefined. */
export function httpUrl(reference: string | undefined, base: string | undefined): string | undefined {
  const url = resolve(reference, base);
  return url?.protocol === 'http:' || url?.protocol === 'https:' ? url.href : undefined;
}

function resolve(reference: string | undefined, base: string | undefined): URL | undefined {
  const trimmed = reference?.trim();
  if (!trimmed) return undefined;
  try {
    return new URL(trimmed, base);
  } catch {
    return undefined;
  }
}
