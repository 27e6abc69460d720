import { promises as dns } from 'node:dns';
import type { LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

export type FeedUrlErrorReason =
  | 'invalid-url'
  | 'unsupported-scheme'
  | 'missing-host'
  | 'credentials'
  | 'host-not-found'
  | 'blocked-address';

/** A feed address the bot refuses to fetch; `message` is written for the person who typed it. */
export class FeedUrlError extends Error {
  override readonly name = 'FeedUrlError';
  readonly reason: FeedUrlErrorReason;

  constructor(reason: FeedUrlErrorReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** Parses what a moderator typed into a feed URL, refusing anything the fetcher should never try. */
export function parseFeedUrl(input: string): URL {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FeedUrlError('invalid-url', 'That is not a valid web address. Feed URLs look like https://example.com/feed.xml.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FeedUrlError(
      'unsupported-scheme',
      `Only http and https feed URLs are supported (this one starts with ${url.protocol}).`,
    );
  }
  if (url.hostname === '') {
    throw new FeedUrlError('missing-host', 'That feed URL has no host name.');
  }
  // Credentials in a feed URL would be shown to everyone who can list the server's feeds.
  if (url.username !== '' || url.password !== '') {
    throw new FeedUrlError(
      'credentials',
      'Feed URLs with a user name or password in them (user:password@host) are not supported.',
    );
  }
  return url;
}

export type HostLookup = (hostname: string, options: { all: true }) => Promise<LookupAddress[]>;

export interface GuardOptions {
  allowPrivate: boolean;
  /** Replaces DNS resolution; tests use it to pretend a name resolves somewhere. */
  lookup?: HostLookup | undefined;
}

interface Range {
  network: string;
  prefix: number;
}

// Each category carries the words used to explain a refusal, so moderators see why.
const CATEGORIES: ReadonlyArray<{ what: string; v4: Range[]; v6: Range[] }> = [
  {
    what: "the bot's own machine",
    v4: [{ network: '127.0.0.0', prefix: 8 }],
    v6: [{ network: '::1', prefix: 128 }],
  },
  {
    what: 'a private network',
    v4: [
      { network: '10.0.0.0', prefix: 8 },
      { network: '172.16.0.0', prefix: 12 },
      { network: '192.168.0.0', prefix: 16 },
      { network: '100.64.0.0', prefix: 10 },
      { network: '192.0.0.0', prefix: 24 },
      { network: '198.18.0.0', prefix: 15 },
    ],
    v6: [
      { network: 'fc00::', prefix: 7 },
      // Deprecated site-local addresses: still routed internally on some old networks.
      { network: 'fec0::', prefix: 10 },
      // Local-use NAT64 (RFC 8215): the operator chooses where the IPv4 address sits, so
      // none can be read out to judge; like fc00::/7 it never reaches the public internet.
      { network: '64:ff9b:1::', prefix: 48 },
    ],
  },
  {
    what: 'a link-local address, where cloud metadata services live',
    v4: [{ network: '169.254.0.0', prefix: 16 }],
    v6: [{ network: 'fe80::', prefix: 10 }],
  },
  {
    what: 'a multicast group',
    v4: [{ network: '224.0.0.0', prefix: 4 }],
    v6: [{ network: 'ff00::', prefix: 8 }],
  },
  {
    what: 'an unspecified or reserved address',
    v4: [
      { network: '0.0.0.0', prefix: 8 },
      { network: '240.0.0.0', prefix: 4 },
      { network: '192.0.2.0', prefix: 24 },
      { network: '198.51.100.0', prefix: 24 },
      { network: '203.0.113.0', prefix: 24 },
    ],
    v6: [
      // ::/96 also covers the deprecated IPv4-compatible form (::a.b.c.d).
      { network: '::', prefix: 96 },
      { network: '100::', prefix: 64 },
      { network: '2001:db8::', prefix: 32 },
      // Teredo tunnels to an IPv4 host through a relay; the address it embeds is obfuscated.
      { network: '2001::', prefix: 32 },
    ],
  },
];

function buildList(ranges: { v4: Range[]; v6: Range[] }): BlockList {
  const list = new BlockList();
  for (const r of ranges.v4) list.addSubnet(r.network, r.prefix, 'ipv4');
  for (const r of ranges.v6) list.addSubnet(r.network, r.prefix, 'ipv6');
  return list;
}

const BLOCK_LISTS = CATEGORIES.map((c) => ({ what: c.what, list: buildList(c) }));

// NAT64 (64:ff9b::/96), IPv4-translated (::ffff:0:0:0/96, SIIT) and 6to4 (2002::/16) carry an
// IPv4 address inside; a gateway would forward to it, so the embedded address is what has
// to be judged.
const IPV4_IN_LAST_32_BITS = buildList({
  v4: [],
  v6: [
    { network: '64:ff9b::', prefix: 96 },
    { network: '::ffff:0:0:0', prefix: 96 },
  ],
});
const SIX_TO_FOUR = buildList({ v4: [], v6: [{ network: '2002::', prefix: 16 }] });

function ipv6Words(address: string): number[] | undefined {
  let text = address;
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail?.[1]) {
    const octets = tail[1].split('.').map(Number);
    const [a = 0, b = 0, c = 0, d = 0] = octets;
    text = `${text.slice(0, -tail[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - rest.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  const words = [...head, ...Array<string>(missing).fill('0'), ...rest].map((w) => Number.parseInt(w, 16));
  return words.some((w) => Number.isNaN(w)) ? undefined : words;
}

function embeddedIPv4(address: string): string | undefined {
  const words = ipv6Words(address);
  if (!words) return undefined;
  const toV4 = (hi: number, lo: number): string => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  if (IPV4_IN_LAST_32_BITS.check(address, 'ipv6')) return toV4(words[6] ?? 0, words[7] ?? 0);
  if (SIX_TO_FOUR.check(address, 'ipv6')) return toV4(words[1] ?? 0, words[2] ?? 0);
  return undefined;
}

/**
 * Names the kind of non-public address `address` is, or returns undefined when it is public.
 * IPv4-mapped IPv6 (::ffff:a.b.c.d) is judged as its IPv4 address; BlockList does that itself.
 */
export function classifyAddress(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return 'an address the bot does not understand';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const bare = type === 'ipv6' ? (address.split('%')[0] ?? address) : address;
  for (const { what, list } of BLOCK_LISTS) {
    if (list.check(bare, type)) return what;
  }
  if (type === 'ipv6') {
    const inner = embeddedIPv4(bare);
    if (inner !== undefined) return classifyAddress(inner);
  }
  return undefined;
}

function hostOf(url: URL): string {
  const host = url.hostname;
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

const defaultLookup: HostLookup = (hostname, options) => dns.lookup(hostname, options);

/**
 * Resolves the URL's host and refuses it if any address is not public (unless allowPrivate).
 * Returns the checked addresses so the caller can connect to exactly those: checking one
 * resolution and then letting the HTTP client resolve again would invite DNS rebinding.
 */
export async function resolvePublicHost(url: URL, opts: GuardOptions): Promise<LookupAddress[]> {
  const host = hostOf(url);
  const family = isIP(host);
  let addresses: LookupAddress[];
  if (family !== 0) {
    addresses = [{ address: host, family }];
  } else {
    try {
      addresses = await (opts.lookup ?? defaultLookup)(host, { all: true });
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) {
      throw new FeedUrlError('host-not-found', `The bot could not find the host ${host}. Check the spelling of the feed URL.`);
    }
  }
  if (opts.allowPrivate) return addresses;
  for (const { address } of addresses) {
    const what = classifyAddress(address);
    if (what !== undefined) {
      // Name the address only when the moderator typed it: echoing what a hostname resolves
      // to would let anyone with Manage Server map the bot's internal network.
      const shown = family !== 0 ? ` (${address})` : '';
      throw new FeedUrlError(
        'blocked-address',
        `That address points to ${what}${shown}, which the bot is not allowed to fetch.`,
      );
    }
  }
  return addresses;
}

/** Throws FeedUrlError unless every address the URL's host resolves to is public (or allowPrivate). */
export async function assertPublicHost(url: URL, opts: GuardOptions): Promise<void> {
  await resolvePublicHost(url, opts);
}
