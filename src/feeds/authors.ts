import type { RawItem } from './raw-feed.ts';
import { asObject, list, textOf } from './raw-values.ts';
import { plainTitle } from './titles.ts';

export function authorOf(raw: RawItem): string | undefined {
  return authorNames(raw.dcCreator) ?? authorNames(raw.authors) ?? authorNames(raw.itunesAuthor);
}

/** dc:creator / RSS author ("jo@example.com (Jo Kim)") / Atom <author><name>, several joined. */
export function authorNames(elements: unknown): string | undefined {
  const names: string[] = [];
  for (const element of list(elements)) {
    const name = plainTitle(readableName(textOf(asObject(element)?.['name']) ?? textOf(element)));
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  return names.length > 0 ? names.join(', ') : undefined;
}

function readableName(name: string | undefined): string | undefined {
  if (name === undefined || !name.includes('@')) return name;
  const emailWithName = /^\s*[^\s@()]+@[^\s@()]+\s*\((.+)\)\s*$/.exec(name);
  if (emailWithName?.[1]) return emailWithName[1];
  // A bare address says nothing to readers, and puts it in front of every server.
  if (/^\s*[^\s@]+@[^\s@]+\s*$/.test(name)) return undefined;
  return name;
}
