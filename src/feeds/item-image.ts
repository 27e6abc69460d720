import { imageSources } from '../text/html-to-text.ts';
import type { Body } from './item-body.ts';
import type { RawItem } from './raw-feed.ts';
import { asObject, attributesOf, list } from './raw-values.ts';
import { httpUrl } from './urls.ts';

const IMAGE_EXTENSION = /\.(?:jpe?g|png|gif|webp|avif|bmp)(?:[?#]|$)/i;

/**
 * The item's picture: media elements, image enclosures, the iTunes image (this), else the
 * body's first <img> (bodyImageOf).
 */
export function mediaImageOf(raw: RawItem, base: string | undefined): string | undefined {
  const group = list(raw.mediaGroup).map(asObject);
  const candidates = [
    largestMediaImage(list(raw.mediaContent), false),
    ...group.map((g) => largestMediaImage(list(g?.['media:content']), false)),
    ...group.map((g) => largestMediaImage(list(g?.['media:thumbnail']), true)),
    largestMediaImage(list(raw.mediaThumbnail), true),
    ...list(raw.enclosures)
      .map(attributesOf)
      .filter((e) => (e['type'] ?? '').toLowerCase().startsWith('image/') || (!e['type'] && IMAGE_EXTENSION.test(e['url'] ?? '')))
      .map((e) => e['url']),
    attributesOf(raw.itunesImage)['href'],
  ];
  for (const candidate of candidates) {
    const url = httpUrl(candidate, base);
    if (url) return url;
  }
  return undefined;
}

/** The first usable <img> of an HTML body: the picture of an item that names none otherwise. */
export function bodyImageOf(body: Body | undefined, base: string | undefined): string | undefined {
  if (body && body.kind !== 'text') {
    for (const src of imageSources(body.value)) {
      const url = httpUrl(src, body.base ?? base);
      if (url) return url;
    }
  }
  return undefined;
}

/** The widest image among media:content / media:thumbnail elements (publishers list several sizes). */
function largestMediaImage(elements: unknown[], thumbnails: boolean): string | undefined {
  let best: { url: string; width: number } | undefined;
  for (const element of elements) {
    const attributes = attributesOf(element);
    const url = attributes['url'];
    if (!url) continue;
    const medium = (attributes['medium'] ?? '').toLowerCase();
    const type = (attributes['type'] ?? '').toLowerCase();
    const isImage = thumbnails || medium === 'image' || type.startsWith('image/') || (!medium && !type && IMAGE_EXTENSION.test(url));
    if (!isImage) continue;
    const width = Number.parseInt(attributes['width'] ?? '', 10) || 0;
    if (!best || width > best.width) best = { url, width };
  }
  return best?.url;
}
