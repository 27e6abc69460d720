import { isUtf8 } from 'node:buffer';
import { gunzipSync } from 'node:zlib';
import chardet from 'chardet';
import iconv from 'iconv-lite';
import { FeedParseError } from './parse.ts';

/** A gzip body is unpacked up to this size; past it the body is refused, so a small bomb stays small. */
export const MAX_UNPACKED_BYTES = 8 * 1024 * 1024;

/**
 * Charset labels decoded as a superset, as browsers do (WHATWG Encoding): a feed labelled
 * ISO-8859-1 is nearly always really Windows-1252 (curly quotes, € and — in 0x80–0x9F).
 */
const SUPERSETS: Record<string, string> = {
  'iso-8859-1': 'windows-1252',
  'iso8859-1': 'windows-1252',
  'iso_8859-1': 'windows-1252',
  latin1: 'windows-1252',
  l1: 'windows-1252',
  'us-ascii': 'windows-1252',
  ascii: 'windows-1252',
  'iso-8859-9': 'windows-1254',
  'euc-kr': 'cp949',
  'ks_c_5601-1987': 'cp949',
  gb2312: 'gbk',
  'tis-620': 'windows-874',
  'iso-8859-11': 'windows-874',
};

const UTF8_NAMES = new Set(['utf-8', 'utf8', 'unicode-1-1-utf-8']);

/**
 * Turns a feed's bytes into text. The charset comes from, in order: a byte-order mark, the
 * HTTP Content-Type `charset=`, the XML declaration's `encoding=`, else UTF-8; unknown
 * labels are skipped. Two sanity checks beat a wrong label: bytes that are valid UTF-8 are
 * read as UTF-8 whatever the labels say, and bytes labelled (or assumed) UTF-8 that are
 * mostly not (more broken than valid multi-byte sequences) are read as the XML declaration
 * says, or as detected (chardet), or as Windows-1252.
 *
 * A body that is still gzip-compressed (a server that compressed twice, or served a .gz
 * file without Content-Encoding) is unpacked: the feed is intact, only mislabelled.
 */
export function decodeFeedBody(body: Buffer, contentType: string | undefined): string {
  if (body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b) body = gunzip(body);

  const bom = byteOrderMark(body);
  if (bom) return iconv.decode(body.subarray(bom.length), bom.encoding, { stripBOM: true });
  const utf16 = sniffUtf16(body);
  if (utf16) return stripBom(iconv.decode(body, utf16));

  // Real text in a legacy charset is practically never valid UTF-8, while UTF-8 served
  // under a server's default label (ISO-8859-1) is common: valid UTF-8 is read as such.
  if (isUtf8(body)) return stripBom(body.toString('utf8'));

  const fromHeader = usableCharset(charsetFromContentType(contentType), body);
  const fromXml = usableCharset(encodingFromXmlDeclaration(body), body);
  const declared = fromHeader ?? fromXml;
  if (declared && !isUtf8Label(declared)) return stripBom(iconv.decode(body, declared));
  if (looksLikeUtf8(body)) return stripBom(iconv.decode(body, 'utf-8'));
  return stripBom(iconv.decode(body, fromXml && !isUtf8Label(fromXml) ? fromXml : detect(body)));
}

function gunzip(body: Buffer): Buffer {
  try {
    return gunzipSync(body, { maxOutputLength: MAX_UNPACKED_BYTES });
  } catch (error) {
    const tooLarge = error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
    throw new FeedParseError(
      tooLarge
        ? `The feed's body is compressed but was not declared as such, and it unpacks to more than ${MAX_UNPACKED_BYTES / 1024 / 1024} MB.`
        : "The feed's body is compressed but was not declared as such, and it could not be unpacked.",
      { cause: error },
    );
  }
}

function byteOrderMark(body: Buffer): { encoding: string; length: number } | undefined {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (body[0] === 0xff && body[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (body[0] === 0xfe && body[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

/** `<?` or `<r` as UTF-16 without a BOM: a NUL byte beside the ASCII '<'. */
function sniffUtf16(body: Buffer): string | undefined {
  if (body.length < 4) return undefined;
  if (body[0] === 0x3c && body[1] === 0x00 && body[2] !== 0x00 && body[3] === 0x00) return 'utf-16le';
  if (body[0] === 0x00 && body[1] === 0x3c && body[2] === 0x00 && body[3] !== 0x00) return 'utf-16be';
  return undefined;
}

export function charsetFromContentType(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType ?? '');
  const label = (match?.[1] ?? match?.[2] ?? '').trim();
  return label || undefined;
}

export function encodingFromXmlDeclaration(body: Buffer): string | undefined {
  // The declaration is ASCII in every ASCII-compatible charset; leading junk is tolerated.
  const head = body.subarray(0, 1024).toString('latin1');
  const declaration = /<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return declaration?.[1];
}

/**
 * The iconv name for a label, or undefined when iconv does not know it. A label of UTF-16
 * or UTF-32 on bytes that have no NULs is a leftover from a transcoded file, not the truth.
 */
function usableCharset(label: string | undefined, body: Buffer): string | undefined {
  if (!label) return undefined;
  const lower = label.toLowerCase();
  const name = UTF8_NAMES.has(lower) ? 'utf-8' : (SUPERSETS[lower] ?? lower);
  if (!iconv.encodingExists(name)) return undefined;
  if (/^(utf-?16|utf-?32|ucs-?2|unicode$)/.test(name) && !body.subarray(0, 64).includes(0)) return undefined;
  return name;
}

function isUtf8Label(name: string | undefined): boolean {
  return name === 'utf-8';
}

/**
 * Invalid UTF-8 that still holds more valid multi-byte sequences than broken bytes is UTF-8
 * with a few bad bytes (they become U+FFFD); anything else is a legacy single- or double-byte
 * charset that was never UTF-8.
 */
function looksLikeUtf8(body: Buffer): boolean {
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i] ?? 0;
    if (byte < 0x80) continue;
    const length = byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0;
    let ok = length > 0 && i + length <= body.length;
    for (let k = 1; ok && k < length; k++) ok = ((body[i + k] ?? 0) & 0xc0) === 0x80;
    if (ok) {
      valid += 1;
      i += length - 1;
    } else {
      invalid += 1;
    }
  }
  return valid > invalid;
}

/** Undeclared legacy bytes: chardet's best guess that iconv can decode, else Windows-1252. */
function detect(body: Buffer): string {
  for (const { name, confidence } of chardet.analyse(body)) {
    if (confidence < 10) break;
    const usable = usableCharset(name, body);
    if (usable && !isUtf8Label(usable)) return usable;
  }
  return 'windows-1252';
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
