import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import {
  FeedUrlError,
  assertPublicHost,
  classifyAddress,
  parseFeedUrl,
  resolvePublicHost,
} from '../../src/feeds/address-guard.ts';
import type { HostLookup } from '../../src/feeds/address-guard.ts';

function fakeDns(records: Record<string, LookupAddress[]>): HostLookup {
  return async (hostname) => {
    const found = records[hostname];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return found;
  };
}

async function refusal(promise: Promise<unknown>): Promise<FeedUrlError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(FeedUrlError);
    return err as FeedUrlError;
  }
  throw new Error('expected a FeedUrlError');
}

describe('parseFeedUrl', () => {
  it('accepts http and https, trimming whitespace', () => {
    expect(parseFeedUrl('  https://example.com/feed.xml \n').href).toBe('https://example.com/feed.xml');
    expect(parseFeedUrl('http://example.com:8080/rss?x=1').port).toBe('8080');
  });

  it.each([
    ['ftp://example.com/feed.xml', 'unsupported-scheme'],
    ['file:///etc/passwd', 'unsupported-scheme'],
    ['javascript:alert(1)', 'unsupported-scheme'],
    ['gopher://example.com/', 'unsupported-scheme'],
    ['not a url', 'invalid-url'],
    ['example.com/feed', 'invalid-url'],
    ['https://user:secret@example.com/feed', 'credentials'],
    ['https://user@example.com/feed', 'credentials'],
  ])('refuses %s (%s)', (input, reason) => {
    let caught: unknown;
    try {
      parseFeedUrl(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(FeedUrlError);
    expect((caught as FeedUrlError).reason).toBe(reason);
  });

  it('never repeats a password in its message', () => {
    try {
      parseFeedUrl('https://bob:hunter2@example.com/');
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2');
    }
  });
});

describe('classifyAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.0.0.5',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '100.64.0.1',
    '169.254.169.254',
    '224.0.0.1',
    '239.255.255.250',
    '0.0.0.0',
    '240.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fe80::1%eth0',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.5',
    '::127.0.0.1',
    '64:ff9b::a9fe:a9fe',
    '2002:7f00:1::',
    // IPv4-translated (SIIT) is judged by the address inside, like NAT64.
    '::ffff:0:127.0.0.1',
    '::ffff:0:a00:5',
    // Local-use NAT64, Teredo and site-local are refused whatever they carry.
    '64:ff9b:1::808:808',
    '64:ff9b:1:abcd::7f00:1',
    '2001::1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    'fec0::1',
    'feff:ffff::1',
  ])('%s is not public', (address) => {
    expect(classifyAddress(address)).toBeDefined();
  });

  it.each(['93.184.216.34', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '::ffff:0:8.8.8.8', '2001:4860:4860::8888', '2001:1::1', '64:ff9b:2::1'])(
    '%s is public',
    (address) => {
      expect(classifyAddress(address)).toBeUndefined();
    },
  );
});

describe('assertPublicHost', () => {
  const dns = fakeDns({
    'news.example': [{ address: '93.184.216.34', family: 4 }],
    'dual.example': [
      { address: '93.184.216.34', family: 4 },
      { address: '2606:4700:4700::1111', family: 6 },
    ],
    'sneaky.example': [
      { address: '93.184.216.34', family: 4 },
      { address: '10.1.2.3', family: 4 },
    ],
    'metadata.example': [{ address: '169.254.169.254', family: 4 }],
  });
  const strict = { allowPrivate: false, lookup: dns };

  it('allows hosts that resolve only to public addresses and returns them', async () => {
    await expect(assertPublicHost(new URL('https://news.example/feed'), strict)).resolves.toBeUndefined();
    const addresses = await resolvePublicHost(new URL('https://dual.example/feed'), strict);
    expect(addresses.map((a) => a.address)).toEqual(['93.184.216.34', '2606:4700:4700::1111']);
  });

  it('refuses a host when any one of its addresses is private', async () => {
    const err = await refusal(assertPublicHost(new URL('https://sneaky.example/'), strict));
    expect(err.reason).toBe('blocked-address');
    expect(err.message).toContain('private network');
    // What a name resolves to is never echoed: it would map the bot's internal network.
    expect(err.message).not.toContain('10.1.2.3');
  });

  it('refuses cloud metadata addresses by name and by literal', async () => {
    expect((await refusal(assertPublicHost(new URL('http://metadata.example/'), strict))).reason).toBe('blocked-address');
    expect((await refusal(assertPublicHost(new URL('http://169.254.169.254/latest/'), strict))).reason).toBe(
      'blocked-address',
    );
  });

  it.each([
    'http://127.0.0.1/',
    'http://127.1/',
    'http://2130706433/',
    'http://0x7f.0.0.1/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://10.0.0.5/',
    'http://192.168.0.1:8080/',
    'http://[fd00::1]/',
    'http://[fe80::1]/',
    'http://0.0.0.0/',
    'http://[::ffff:0:169.254.169.254]/',
    'http://[64:ff9b:1::a00:1]/',
    'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/',
    'http://[fec0::1]/',
  ])('refuses the IP literal in %s without asking DNS', async (input) => {
    const lookup: HostLookup = () => Promise.reject(new Error('DNS should not be asked about an IP literal'));
    const err = await refusal(assertPublicHost(new URL(input), { allowPrivate: false, lookup }));
    expect(err.reason).toBe('blocked-address');
  });

  it('names the address in plain words', async () => {
    const err = await refusal(assertPublicHost(new URL('http://10.0.0.5/'), { allowPrivate: false }));
    expect(err.message).toBe(
      'That address points to a private network (10.0.0.5), which the bot is not allowed to fetch.',
    );
  });

  it('refuses localhost through the real resolver', async () => {
    const err = await refusal(assertPublicHost(new URL('http://localhost:8080/feed'), { allowPrivate: false }));
    expect(err.reason).toBe('blocked-address');
    // /etc/hosts may list ::1 or 127.0.0.1 first.
    expect(err.message).toMatch(
      /^That address points to the bot's own machine, which the bot is not allowed to fetch\.$/,
    );
  });

  it('lets private addresses through when allowPrivate is set', async () => {
    await expect(assertPublicHost(new URL('http://127.0.0.1/'), { allowPrivate: true })).resolves.toBeUndefined();
    await expect(
      assertPublicHost(new URL('http://sneaky.example/'), { allowPrivate: true, lookup: dns }),
    ).resolves.toBeUndefined();
  });

  it('explains a host that does not resolve', async () => {
    const err = await refusal(assertPublicHost(new URL('https://nowhere.example/'), strict));
    expect(err.reason).toBe('host-not-found');
    expect(err.message).toContain('could not find the host nowhere.example');
  });
});
