import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { MAX_UNPACKED_BYTES, charsetFromContentType, decodeFeedBody, encodingFromXmlDeclaration } from '../../src/feeds/decode.ts';
import { FeedParseError } from '../../src/feeds/parse.ts';

const rss = (title: string, encoding?: string) =>
  `${encoding ? `<?xml version="1.0" encoding="${encoding}"?>` : ''}<rss version="2.0"><channel><title>${title}</title></channel></rss>`;

describe('decodeFeedBody', () => {
  it('reads UTF-8 by default and strips a UTF-8 BOM', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rss('아이브 IVE’s'))]);
    expect(decodeFeedBody(body, undefined)).toBe(rss('아이브 IVE’s'));
  });

  it('follows a UTF-16 byte-order mark, little and big endian', () => {
    const text = rss('Как дела', 'utf-16');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    expect(decodeFeedBody(le, 'text/xml; charset=iso-8859-1')).toBe(text);
    expect(decodeFeedBody(be, undefined)).toBe(text);
  });

  it('recognises UTF-16 without a BOM by its NUL bytes', () => {
    const text = rss('x', 'utf-16');
    expect(decodeFeedBody(Buffer.from(text, 'utf16le'), undefined)).toBe(text);
  });

  it('uses the Content-Type charset before the XML declaration', () => {
    const text = rss('Новости', 'koi8-r');
    const body = iconv.encode(text, 'windows-1251');
    expect(decodeFeedBody(body, 'application/rss+xml; charset="Windows-1251"')).toBe(text);
  });

  it('uses the XML declaration when the header has no charset', () => {
    const text = rss('Новости Оренбурга', 'windows-1251');
    expect(decodeFeedBody(iconv.encode(text, 'windows-1251'), 'text/xml')).toBe(text);
    const koi = rss('Как пережить новогоднюю ночь', 'KOI8-R');
    expect(decodeFeedBody(iconv.encode(koi, 'koi8-r'), undefined)).toBe(koi);
  });

  it('reads ISO-8859-1 as Windows-1252, as browsers do', () => {
    const text = rss('“Notícias” – €5', 'ISO-8859-1');
    expect(decodeFeedBody(iconv.encode(text, 'windows-1252'), undefined)).toBe(text);
  });

  it('reads valid UTF-8 as UTF-8 even under a wrong Latin-1 label', () => {
    const text = rss('Mãe de utente é a nova presidente', 'utf-8');
    expect(decodeFeedBody(Buffer.from(text), 'text/xml; charset=ISO-8859-1')).toBe(text);
  });

  it('falls back past a UTF-8 header to the XML declaration when the bytes are not UTF-8', () => {
    const text = rss('Новости', 'windows-1251');
    expect(decodeFeedBody(iconv.encode(text, 'windows-1251'), 'text/xml; charset=utf-8')).toBe(text);
  });

  it('reads undeclared Latin-1 bytes as Latin-1 rather than replacement characters', () => {
    const text = rss('Últimas Notícias: simulações de 2º turno e eleições');
    const decoded = decodeFeedBody(iconv.encode(text, 'latin1'), undefined);
    expect(decoded).toBe(text);
    expect(decoded).not.toContain('\ufffd');
  });

  it('detects undeclared KOI8-R', () => {
    const text = rss('Как пережить новогоднюю ночь. Наверное, единственное, во что сегодня можно верить безоговорочно');
    expect(decodeFeedBody(iconv.encode(text, 'koi8-r'), undefined)).toBe(text);
  });

  it('keeps UTF-8 with a few broken bytes as UTF-8', () => {
    const body = Buffer.concat([Buffer.from('<rss><channel><title>아이브 IVE 아이브 '), Buffer.from([0xff]), Buffer.from('</title></channel></rss>')]);
    expect(decodeFeedBody(body, undefined)).toBe('<rss><channel><title>아이브 IVE 아이브 \ufffd</title></channel></rss>');
  });

  it('skips labels it does not know, and UTF-16 labels on 8-bit bytes', () => {
    expect(decodeFeedBody(Buffer.from(rss('é', 'utf8mb4')), 'text/xml; charset=x-nonsense')).toBe(rss('é', 'utf8mb4'));
    expect(decodeFeedBody(Buffer.from(rss('é', 'UTF-16')), undefined)).toBe(rss('é', 'UTF-16'));
  });

  it('unpacks a body that is still gzip-compressed', () => {
    const text = rss('compressed twice');
    expect(decodeFeedBody(gzipSync(Buffer.from(text)), 'application/rss+xml')).toBe(text);
  });

  it('refuses a gzip body that is corrupt or unpacks beyond the limit, in plain words', () => {
    const corrupt = Buffer.concat([gzipSync(Buffer.from(rss('x'))).subarray(0, 12), Buffer.from('garbage')]);
    expect(() => decodeFeedBody(corrupt, undefined)).toThrow(FeedParseError);
    expect(() => decodeFeedBody(corrupt, undefined)).toThrow(/compressed but was not declared as such/);
    const bomb = gzipSync(Buffer.alloc(MAX_UNPACKED_BYTES + 1024, 0x20));
    expect(() => decodeFeedBody(bomb, undefined)).toThrow(/unpacks to more than 8 MB/);
  });
});

describe('charset labels', () => {
  it('reads charset= from a Content-Type, quoted or not', () => {
    expect(charsetFromContentType('text/xml; charset=UTF-8')).toBe('UTF-8');
    expect(charsetFromContentType('text/xml;charset="koi8-r"; foo=bar')).toBe('koi8-r');
    expect(charsetFromContentType('text/xml')).toBeUndefined();
    expect(charsetFromContentType(undefined)).toBeUndefined();
  });

  it('reads encoding= from the XML declaration, single or double quoted, after leading junk', () => {
    expect(encodingFromXmlDeclaration(Buffer.from("  \n<?xml version='1.0' encoding='windows-1251'?><rss/>"))).toBe('windows-1251');
    expect(encodingFromXmlDeclaration(Buffer.from('<?xml version="1.0"?><rss/>'))).toBeUndefined();
  });
});
