import { spellHangul } from './hangul.ts';

/**
 * The form names are compared in, so "Ha Sung-woon", "ha sungwoon" and "HA SUNG WOON"
 * meet, "Beyoncé" matches "beyonce", "æspa" matches "aespa", "Ｊｉｍｉｎ" (full-width)
 * matches "jimin", and Hangul half typed ("짐" on the way to "지민") is a prefix of the name.
 */

// Only the combining marks Latin, Greek and Cyrillic letters wear: stripping every mark
// (\p{M}) would also strip the kana voicing marks, turning ガ into カ. The class lists
// combining marks on purpose, which is what the lint rule guards against by default.
// eslint-disable-next-line no-misleading-character-class
const DIACRITICS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;

// Punctuation and separators carry no identity in a stage name ("T.O.P", "j-hope",
// "(G)I-DLE", "Girls' Generation"); the rest lists apostrophe look-alikes that Unicode
// files under letters or symbols rather than punctuation.
const IGNORED = /[\p{P}\p{Z}\s\u02b9-\u02bf\u00b4\u0060\u2032\u2035]/gu;

// Letters NFKD leaves whole although people type them as plain Latin.
const FOLDS: Record<string, string> = { æ: 'ae', œ: 'oe', ø: 'o', ß: 'ss', đ: 'd', ł: 'l', ı: 'i', þ: 'th' };
const FOLDABLE = /[æœøßđłıþ]/g;

// The same rules restricted to ASCII, for the common case: names are normalised by the
// tens of thousands whenever a catalog's index is rebuilt, and Unicode normalisation is
// the slow part. Symbols (+ $ ~ …) stay, as \p{P} does not cover them.
const ASCII_ONLY = /^\p{ASCII}*$/u;
const ASCII_IGNORED = /[\s!"#%&'()*,\-./:;?@[\\\]_{}`]/g;

export function normaliseName(text: string): string {
  if (ASCII_ONLY.test(text)) return text.toLowerCase().replace(ASCII_IGNORED, '');
  // NFKD splits accents off their letters; NFC then rebuilds what the accents were
  // stripped from (kana with their voicing marks, Hangul syllables), and Hangul is then
  // spelled out letter by letter. Lower case first: "İ" lower-cases to "i" plus a
  // combining dot, which the next steps strip.
  return spellHangul(
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(DIACRITICS, '')
      .normalize('NFC')
      .replace(FOLDABLE, (letter) => FOLDS[letter] ?? letter)
      .replace(IGNORED, ''),
  );
}

/**
 * The normalised suffixes that begin a later word of the name ("Ha Sung Woon" →
 * "sungwoon", "woon"), so a member typing only the given name still gets a prefix match.
 * Dots are not word breaks: in "T.O.P" they separate letters, not words.
 */
export function wordStarts(text: string): string[] {
  const words = text.split(/[\s\p{Pd}_/·]+/u);
  const starts: string[] = [];
  for (let i = 1; i < words.length; i += 1) {
    const rest = normaliseName(words.slice(i).join(''));
    if (rest.length >= 2) starts.push(rest);
  }
  return starts;
}
