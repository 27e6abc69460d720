import type { RawItem } from './raw-feed.ts';
import { asObject, list, textOf } from './raw-values.ts';
import { plainTitle } from './titles.ts';

export function authorOf(raw: RawItem): string | undefined {
  return authorNames(raw.dcCreator) ?? authorNames(raw.authors) ?? authorNames(raw.itunesAuthor);
}

/** dc:creator / RSS author ("jo@example.com (Jo Kim)") / Atom <author><name>, several joined. */
export function authorNames(elements: unknown): string | undefined {
  const names = list(elements)
    .map((element) => {
      const name = textOf(asObject(element)?.['name']) ?? textOf(element);
      if (name === undefined) return undefined;
      const emailWithName = /^\s*[^\s@()]+@[^\s@()]+\s*\((.+)\)\s*$/.exec(name);
      if (emailWithName?.[1]) return emailWithName[1];
      // A bare address says nothing to readers, and puts it in front of every server.
      if (/^\s*[^\s@]+@[^\s@]+\s*$/.test(name)) return undefined;
      return name;
    })
    .map((name) => plainTitle(name))
    .filter((name): name is string => name !== undefined);
  return names.length > 0 ? [...new Set(names)].join(', ') : undefined;
}
