import { describe, expect, it } from 'vitest';
import { MARKDOWN_ATOMS, escapeMarkdown } from '../../src/text/markdown.ts';
import { truncate } from '../../src/text/truncate.ts';

/** True when the string holds a UTF-16 surrogate that is not part of a pair. */
function hasLoneSurrogate(text: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

describe('truncate', () => {
  it('leaves text within the limit alone', () => {
    expect(truncate('short', 5)).toBe('short');
  });

  it('cuts to the limit including the ellipsis', () => {
    const cut = truncate('abcdefghij', 5);
    expect(cut).toBe('abcd…');
    expect(cut).toHaveLength(5);
  });

  it('never splits a surrogate pair', () => {
    const emoji = '😀'.repeat(300);
    for (const max of [2, 3, 4, 5, 256, 257]) {
      const cut = truncate(emoji, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(hasLoneSurrogate(cut)).toBe(false);
      expect(cut.endsWith('…')).toBe(true);
    }
  });

  it('never splits a grapheme: ZWJ families, flags, combining marks', () => {
    const family = '👨‍👩‍👧‍👦'; // 11 code units
    const cut = truncate(`${family}${family}${family}`, 20);
    expect(cut).toBe(`${family}…`);
    expect(truncate('🇰🇷🇰🇷🇰🇷', 5)).toBe('🇰🇷…');
    expect(truncate('🇰🇷🇰🇷🇰🇷', 4)).toBe('…');
    expect(truncate('e\u0301e\u0301e\u0301', 4)).toBe('e\u0301…');
  });

  it('prefers a word boundary inside the window', () => {
    expect(truncate('The quick brown fox jumps', 18, { wordWindow: 10 })).toBe('The quick brown…');
    expect(truncate('The quick brown fox jumps', 18)).toBe('The quick brown f…');
  });

  it('does not cut inside a protected span, such as an escape pair or a URL', () => {
    const escaped = escapeMarkdown('ab*cd');
    expect(escaped).toBe('ab\\*cd');
    expect(truncate(escaped, 4, { keepWhole: MARKDOWN_ATOMS })).toBe('ab…');
    const withUrl = 'see https://example.com/a/long/path now';
    expect(truncate(withUrl, 20, { keepWhole: MARKDOWN_ATOMS })).toBe('see…');
  });

  it('rejects a non-global keepWhole expression', () => {
    expect(() => truncate('abcdef', 3, { keepWhole: /b/ })).toThrow(TypeError);
  });
});
