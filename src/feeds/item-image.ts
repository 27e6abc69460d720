import { imageTags } from '../text/html-to-text.ts';
import type { ImageTag } from '../text/html-to-text.ts';
import type { Body } from './item-body.ts';
import type { RawItem } from './raw-feed.ts';
import { asObject, attributesOf, list } from './raw-values.ts';
import { httpUrl } from './urls.ts';

const IMAGE_EXTENSION = /\.(?:jpe?g|png|gif|webp|avif|bmp)(?:[?#]|$)/i;

/** The elements of an item that can name its picture. */
export type MediaElements = Pick<RawItem, 'mediaContent' | 'mediaGroup' | 'mediaThumbnail' | 'enclosures' | 'itunesImage'>;

/**
 * The item's picture: media elements, image enclosures, the iTunes image (this), else the
 * body's first <img> (bodyImageOf).
 */
export function mediaImageOf(media: MediaElements, base: string | undefined): string | undefined {
  for (const candidate of mediaCandidates(media)) {
    const url = httpUrl(candidate, base);
    if (url) return url;
  }
  return undefined;
}

/** Candidate image addresses, best first, each looked for only when those before fail. */
function* mediaCandidates(media: MediaElements): Generator<string | undefined> {
  const groups = list(media.mediaGroup).map(asObject);
  yield largestMediaImage(list(media.mediaContent), false);
  for (const group of groups) yield largestMediaImage(list(group?.['media:content']), false);
  for (const group of groups) yield largestMediaImage(list(group?.['media:thumbnail']), true);
  yield largestMediaImage(list(media.mediaThumbnail), true);
  for (const enclosure of list(media.enclosures)) {
    const attributes = attributesOf(enclosure);
    const type = (attributes['type'] ?? '').toLowerCase();
    if (type.startsWith('image/') || (!type && IMAGE_EXTENSION.test(attributes['url'] ?? ''))) yield attributes['url'];
  }
  yield attributesOf(media.itunesImage)['href'];
}

/**
 * The first <img> of an HTML body that looks like the story's picture: the picture of an
 * item that names none otherwise.
 */
export function bodyImageOf(body: Body | undefined, base: string | undefined): string | undefined {
  if (body && body.kind !== 'text') {
    for (const tag of imageTags(body.value)) {
      const url = httpUrl(tag.src, body.base ?? base);
      if (url && !isDecoration(tag, url)) return url;
    }
  }
  return undefined;
}

// Below this a declared size is an icon, avatar or emoji, never a picture worth an embed.
const MIN_PICTURE_SIZE = 100;

const EMOJI_URL = /\/emoji\/|\/custom_emojis\/|s\.w\.org\/images\/core\/emoji/i;
const EMOJI_CLASS = /(?:^|\s)(?:wp-smiley|emoji\w*|avatar\w*)(?:\s|$)/i;

// Words in a host or path that mark site furniture. Matched as whole words, so "silicon" or
// "shareholders" do not count; "pixel" only as the whole file name, not a Google Pixel photo.
const DECORATION_NAME =
  /(?<![a-z0-9])(?:twitter|facebook|share|sharing|icons?|favicon|feedburner|gravatar|avatars?|spacer)(?![a-z])|\/pixel(?:\.[a-z]+)?$/;

// Where share buttons point; an image inside such a link is the button.
const SHARE_LINK =
  /twitter\.com\/(?:home|intent|share)|\bx\.com\/intent|facebook\.com\/shar|linkedin\.com\/(?:cws\/)?share|reddit\.com\/submit|pinterest\.com\/pin\/create|plus\.google\.com\/share|whatsapp\.com\/send|t\.me\/share|addtoany\.com|sharethis\.com|^mailto:/i;

/** Emoji, avatars, share buttons and icons: the furniture of a body, not its picture. */
function isDecoration(tag: ImageTag, url: string): boolean {
  const width = declaredSize(tag.attributes.get('width'));
  const height = declaredSize(tag.attributes.get('height'));
  if ((width !== undefined && width < MIN_PICTURE_SIZE) || (height !== undefined && height < MIN_PICTURE_SIZE)) return true;
  if (EMOJI_URL.test(url) || EMOJI_CLASS.test(tag.attributes.get('class') ?? '') || EMOJI_CLASS.test(tag.attributes.get('rel') ?? '')) {
    return true;
  }
  if (tag.link !== undefined && SHARE_LINK.test(tag.link.trim())) return true;
  // A picture the page declares large is trusted over its name: "musk-twitter-deal.jpg" at
  // 800 px is the story's picture, while share icons rarely declare a size at all.
  if (width !== undefined && height !== undefined) return false;
  const { hostname, pathname } = new URL(url);
  // camelCase names ("shareButton.png") are split so their words can be seen.
  return DECORATION_NAME.test(`${hostname}${pathname}`.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase());
}

function declaredSize(value: string | undefined): number | undefined {
  const match = /^\s*(\d+)(?:\.\d+)?\s*(?:px)?\s*$/i.exec(value ?? '');
  return match?.[1] === undefined ? undefined : Number.parseInt(match[1], 10);
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
