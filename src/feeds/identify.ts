import { createHash } from 'node:crypto';
import type { Item } from './item.ts';

/** Query parameters that only say where a click came from, never which story it is. */
const TRACKING_PARAMS = new Set([
  'fbclid', 'gclid', 'gclsrc', 'dclid', 'msclkid', 'yclid', 'igshid', 'mc_cid', 'mc_eid',
  '_hsenc', '_hsmi', 'mkt_tok', 'at_medium', 'at_campaign', 'ns_mchannel', 'ns_campaign',
  'ns_source', 'ns_linkname', 'ns_fee',
]);

/**
 * The keys a story is recognised by on a later poll; it counts as seen when ANY of them is
 * in the seen-set, so a feed that rewrites its guids but keeps its links (or the other way
 * round) does not post everything again. In order of trust: `id:<guid/Atom id>`,
 * `link:<normalised link>`, and only when there is neither, `hash:<content hash>`.
 *
 * Links shared by several stories must not be keys, or every new story would look seen.
 * So when the item has an id, its link is left out if it is a site's front page (podcasts
 * link every episode to their home page) or carries a #fragment (trackers list comments as
 * #comment:1, #comment:2 of one page). Without an id, a fragment is all that tells such
 * stories apart, so it is kept.
 */
export function itemKeys(item: Item): string[] {
  const keys: string[] = [];
  const id = item.id?.trim();
  if (id) keys.push(`id:${id}`);
  if (item.link) {
    const link = readLink(item.link);
    if (!id) keys.push(`link:${link.normalised}${link.fragment}`);
    else if (link.fragment === '' && !link.frontPage) keys.push(`link:${link.normalised}`);
  }
  if (keys.length === 0) keys.push(`hash:${contentHash(item)}`);
  return keys;
}

/** The most trusted key: what a post's nonce is derived from. */
export function itemKey(item: Item): string {
  return itemKeys(item)[0] ?? `hash:${contentHash(item)}`;
}

/**
 * One spelling per address, for recognising a story (not for display): scheme and host
 * lower-cased, http and https treated alike (a site moving to https must not repost its
 * feed), default port, fragment, trailing slash and tracking parameters (utm_*, fbclid…)
 * dropped, remaining parameters sorted. Text that is not a URL is returned trimmed.
 */
export function normaliseLink(link: string): string {
  return readLink(link).normalised;
}

interface ReadLink {
  normalised: string;
  /** The `#fragment` of the link as given, or '' when it has none. */
  fragment: string;
  /** A site's front page: no path, no parameters. */
  frontPage: boolean;
}

/** Everything the keys need from a link, from one parse of it. */
function readLink(link: string): ReadLink {
  const trimmed = link.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { normalised: trimmed, fragment: '', frontPage: false };
  }
  const fragment = url.hash.length > 1 ? url.hash : '';
  const web = url.protocol === 'http:' || url.protocol === 'https:';
  // Each URL setter re-parses the whole address: a web address is spelled out instead.
  const port = url.protocol === 'http:' && url.port === '443' ? '' : url.port;
  const credentials = url.username || url.password ? `${url.username}${url.password ? `:${url.password}` : ''}@` : '';
  const path = url.pathname.length > 1 && url.pathname.endsWith('/') ? url.pathname.replace(/\/+$/, '') || '/' : url.pathname;
  const search = url.search === '' ? '' : keptParameters(url.searchParams);
  if (!web) {
    url.hash = '';
    url.pathname = path;
    url.search = search;
    return { normalised: url.href, fragment, frontPage: false };
  }
  const normalised = `https://${credentials}${url.hostname}${port ? `:${port}` : ''}${path}${search}`;
  return { normalised, fragment, frontPage: path === '/' && search === '' };
}

/** The parameters that say which story it is, sorted, as `?a=1&b=2` (or '' when none are left). */
function keptParameters(parameters: URLSearchParams): string {
  const kept = [...parameters].filter(([name]) => {
    const lower = name.toLowerCase();
    return !lower.startsWith('utm_') && !TRACKING_PARAMS.has(lower);
  });
  // Sorting by name only keeps repeated parameters (a=1&a=2) in their meaningful order.
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const search = new URLSearchParams(kept).toString();
  return search === '' ? '' : `?${search}`;
}

/** For items with neither id nor link: what they say and when, so an edit-free repeat matches. */
function contentHash(item: Item): string {
  const date = item.date && !Number.isNaN(item.date.getTime()) ? item.date.toISOString() : '';
  const parts = [item.title ?? '', date, item.summary ?? '', item.image ?? '', item.video ?? ''];
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

export interface KeyedItem {
  item: Item;
  keys: string[];
}

/**
 * Keys for every item of one feed body. A link that several stories with different ids
 * share (a podcast's show page, a label's channel page) identifies none of them: it is
 * dropped for those stories, so it never enters the seen-set and hides the next episode.
 */
export function keyItems(items: readonly Item[]): KeyedItem[] {
  const keyed = items.map((item) => ({ item, keys: itemKeys(item) }));
  const idsByLink = new Map<string, Set<string>>();
  for (const { keys } of keyed) {
    const id = keys.find((key) => key.startsWith('id:'));
    const link = keys.find((key) => key.startsWith('link:'));
    if (!id || !link) continue;
    const ids = idsByLink.get(link) ?? new Set<string>();
    ids.add(id);
    idsByLink.set(link, ids);
  }
  const shared = new Set([...idsByLink].filter(([, ids]) => ids.size > 1).map(([link]) => link));
  if (shared.size === 0) return keyed;
  return keyed.map(({ item, keys }) => ({ item, keys: keys.filter((key) => !shared.has(key)) }));
}
