import { describe, expect, it } from 'vitest';
import { escapeMarkdown } from '../../src/text/markdown.ts';

describe('escapeMarkdown', () => {
  it('escapes emphasis, code, spoiler and strike markers', () => {
    expect(escapeMarkdown('*bold* _it_ `code` ||spoiler|| ~~gone~~ \\')).toBe(
      '\\*bold\\* \\_it\\_ \\`code\\` \\|\\|spoiler\\|\\| \\~\\~gone\\~\\~ \\\\',
    );
  });

  it('makes masked links and mention-like syntax render literally', () => {
    expect(escapeMarkdown('[Click](https://evil.test) <@123> <t:1:R>')).toBe(
      '\\[Click\\](https://evil.test) \\<@123> \\<t:1:R>',
    );
  });

  it('escapes quote, heading and subtext markers only at line starts', () => {
    expect(escapeMarkdown('> quoted\n# Heading\n-# small\na > b # c')).toBe('\\> quoted\n\\# Heading\n\\-# small\na > b # c');
  });

  it('leaves URLs untouched so they still link', () => {
    expect(escapeMarkdown('see https://example.com/a_b*c and _x_')).toBe('see https://example.com/a_b*c and \\_x\\_');
  });
});
