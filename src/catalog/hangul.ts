/**
 * Hangul spelled out as the letters a member types, so names compare letter by letter.
 *
 * A Korean keyboard builds a syllable as it goes: on the way to "지민" the field reads
 * "ㅈ", "지", "짐", "지미", "지민". Compared as syllables, "짐" is no prefix of "지민"; as
 * letters (ㅈㅣㅁ, ㅈㅣㅁㅣㄴ) it is. So a syllable becomes its first consonant, vowel and
 * final consonant, each as the one letter the keyboard has for it (a final ㅁ and a first
 * ㅁ are the same key), and a two-key vowel or final (ㅘ = ㅗ then ㅏ, ㄺ = ㄹ then ㄱ)
 * becomes its keys. Then a slip of one syllable ("하성은" for "하성운") is one letter off,
 * which the typo pass can forgive. Doubled consonants (ㄲ, ㅆ) are one key, so one letter.
 */

const INITIALS = [...'ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ'];
const VOWELS = ['ㅏ', 'ㅐ', 'ㅑ', 'ㅒ', 'ㅓ', 'ㅔ', 'ㅕ', 'ㅖ', 'ㅗ', 'ㅗㅏ', 'ㅗㅐ', 'ㅗㅣ', 'ㅛ', 'ㅜ', 'ㅜㅓ', 'ㅜㅔ', 'ㅜㅣ', 'ㅠ', 'ㅡ', 'ㅡㅣ', 'ㅣ'];
// Index 0 is "no final consonant".
const FINALS = [
  '', 'ㄱ', 'ㄲ', 'ㄱㅅ', 'ㄴ', 'ㄴㅈ', 'ㄴㅎ', 'ㄷ', 'ㄹ', 'ㄹㄱ', 'ㄹㅁ', 'ㄹㅂ', 'ㄹㅅ', 'ㄹㅌ', 'ㄹㅍ', 'ㄹㅎ',
  'ㅁ', 'ㅂ', 'ㅂㅅ', 'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅊ', 'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ',
];

// Unicode's layout of precomposed syllables and of the conjoining letters NFKD yields
// for a lone letter typed on its own ("ㅎ" → U+1112).
const SYLLABLE_FIRST = 0xac00;
const SYLLABLE_LAST = 0xd7a3;
const PER_INITIAL = VOWELS.length * FINALS.length;
const INITIAL_FIRST = 0x1100;
const VOWEL_FIRST = 0x1161;
const FINAL_FIRST = 0x11a7;

const HANGUL = /[\u1100-\u11ff\uac00-\ud7a3]/g;

/** Text with its Hangul syllables and conjoining letters spelled out; everything else as it was. */
export function spellHangul(text: string): string {
  return text.replace(HANGUL, spell);
}

function spell(char: string): string {
  const code = char.charCodeAt(0);
  if (code >= SYLLABLE_FIRST && code <= SYLLABLE_LAST) {
    const index = code - SYLLABLE_FIRST;
    const initial = Math.floor(index / PER_INITIAL);
    const vowel = Math.floor((index % PER_INITIAL) / FINALS.length);
    return INITIALS[initial]! + VOWELS[vowel]! + FINALS[index % FINALS.length]!;
  }
  // Old letters outside the modern alphabet are left as they are.
  return INITIALS[code - INITIAL_FIRST] ?? VOWELS[code - VOWEL_FIRST] ?? (code > FINAL_FIRST ? FINALS[code - FINAL_FIRST] : undefined) ?? char;
}
