import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_NESTING, htmlToText, htmlToTextPrefix, imageSources, imageTags, plainTextToText } from '../../src/text/html-to-text.ts';

const fixture = readFileSync(path.resolve(process.cwd(), '../shared/fixtures/article-our-blues-ost.txt'), 'utf8');

/** The fixture as a WordPress site would publish it: paragraphs, and quotes as blockquote + cite. */
function asWordPressHtml(text: string): string {
  const blocks = text.split(/\n{2,}/).map((block) => block.trim()).filter(Boolean);
  const html: string[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i] ?? '';
    const next = blocks[i + 1];
    const escaped = block.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    if (next?.startsWith('— ')) {
      html.push(`<blockquote class="wp-block-quote"><p>${escaped}</p><cite>${next}</cite></blockquote>`);
      i += 1;
    } else {
      html.push(`<p>${escaped}</p>`);
    }
  }
  return `<figure><img src="https://example.com/jimin.jpg" alt=""></figure>\n${html.join('\n')}`;
}

describe('htmlToText', () => {
  it('keeps paragraphs as blank-line separated blocks and collapses white space', () => {
    expect(htmlToText('<p>One\n   two</p><p>Three</p>\n\n<div>Four</div>')).toBe('One two\n\nThree\n\nFour');
  });

  it('turns list items into bullet lines, numbered in ordered lists, indented when nested', () => {
    const html = '<p>Line-up:</p><ul><li>IVE</li><li>TWS<ul><li>sub</li></ul></li></ul><ol start="3"><li>a</li><li>b</li></ol>';
    expect(htmlToText(html)).toBe('Line-up:\n\n• IVE\n• TWS\n  • sub\n\n3. a\n4. b');
  });

  it('keeps link text, drops images, scripts, styles and empty elements', () => {
    const html =
      '<p>Read <a href="https://x.test/">the <b>full</b> story</a>.<img src="a.jpg"></p><script>alert(1)</script><style>p{}</style><p></p><p>End</p>';
    expect(htmlToText(html)).toBe('Read the full story.\n\nEnd');
  });

  it('treats <br> as a line break and two as a paragraph break', () => {
    expect(htmlToText('a<br>b<br/><br/>c')).toBe('a\nb\n\nc');
  });

  it('decodes entities exactly once', () => {
    expect(htmlToText('<p>R&amp;B &lt;To 10CM&gt; &amp;lt; &nbsp;x</p>')).toBe('R&B <To 10CM> &lt; x');
  });

  it('reads text without markup as plain text, keeping its line breaks', () => {
    expect(htmlToText('First line\nsecond   line\n\n\n\nThird &amp; last')).toBe('First line\nsecond line\n\nThird & last');
    expect(htmlToText('5 < 6 and 7 > 3')).toBe('5 < 6 and 7 > 3');
  });

  it('keeps preformatted text as it is', () => {
    expect(htmlToText('<p>Code:</p><pre>if (a) {\n  b();\n}</pre>')).toBe('Code:\n\nif (a) {\n  b();\n}');
  });

  it('turns the Our Blues article (as published HTML) into readable paragraphs with the "— Name" lines', () => {
    const text = htmlToText(asWordPressHtml(fixture));
    expect(text.startsWith('Ha Sung Woon Spills On What To Expect From His OST With BTS’s Jimin For K-Drama “Our Blues”\n\nARMYs are even more excited after his TMI!\n\n')).toBe(true);
    expect(text).toContain(
      'we were able to finish recording with a song that perfectly suited the drama.\n\n— Producer Song Dong Woon\n\nJimin hugging Sung Woon',
    );
    expect(text).toContain('We already decided to do it one day.\n\n— Ha Sung Woon\n\n');
    expect(text.match(/^— Ha Sung Woon$/gm)).toHaveLength(3);
    expect(text).not.toMatch(/\n{3,}/);
    expect(text.endsWith('Source: @PJM_data')).toBe(true);
  });

  it('keeps the Our Blues article (given as plain text) readable too', () => {
    const text = htmlToText(fixture);
    expect(text).toContain('— Producer Song Dong Woon\n\nJimin hugging Sung Woon');
    expect(text).toContain('He’s the friend who I love the most.\n\n— Ha Sung Woon\n\nHopefully');
    expect(text).not.toMatch(/\n{3,}/);
  });
});

describe('htmlToTextPrefix', () => {
  const article = Array.from({ length: 400 }, (_, i) => `<p>Paragraph ${i} with <b>bold</b> &amp; more text.</p>`).join('');

  it('stops soon after the length asked for, giving the start of the whole text', () => {
    const whole = htmlToText(article);
    const prefix = htmlToTextPrefix(article, 1_000);
    expect(prefix.complete).toBe(false);
    expect(prefix.text.length).toBeGreaterThanOrEqual(1_000);
    expect(prefix.text.length).toBeLessThan(1_100);
    expect(whole.startsWith(prefix.text)).toBe(true);
  });

  it('reads a document shorter than that whole, and the next call starts afresh', () => {
    htmlToTextPrefix('<ul><li>left <pre>open', 2);
    expect(htmlToTextPrefix('<p>One</p><ol><li>a</li></ol>', 1_000)).toEqual({ text: 'One\n\n1. a', complete: true });
  });
});

describe('htmlToTextPrefix, what counts towards the length', () => {
  it('reads text without markup whole, however much of it is white space or references', () => {
    expect(htmlToTextPrefix(`${'&nbsp;'.repeat(3000)}Tom &amp; Jerry`, 100)).toEqual({ text: 'Tom & Jerry', complete: true });
    expect(htmlToTextPrefix(`${' \n'.repeat(9000)}Hello world`, 100)).toEqual({ text: 'Hello world', complete: true });
  });

  it('does not count control characters, which never reach the text', () => {
    expect(htmlToTextPrefix(`<p>${'\u0001'.repeat(5000)}</p><p>Real text</p>`, 100)).toEqual({ text: 'Real text', complete: true });
  });

  it('numbers an ordered list from its first start attribute', () => {
    expect(htmlToText('<ol start="5" start="9"><li>a</li></ol>')).toBe('5. a');
  });
});

describe('htmlToText on hostile nesting', () => {
  it('stops reading where elements nest deeper than MAX_NESTING, keeping the text before', () => {
    const deep = `<p>Intro</p>${'<div>'.repeat(MAX_NESTING + 10)}buried${'</div>'.repeat(MAX_NESTING + 10)}<p>After</p>`;
    expect(htmlToTextPrefix(deep, 10_000)).toEqual({ text: 'Intro', complete: false });
    const nested = `${'<div>'.repeat(MAX_NESTING - 1)}fine${'</div>'.repeat(MAX_NESTING - 1)}<p>After</p>`;
    expect(htmlToTextPrefix(nested, 10_000)).toEqual({ text: 'fine\n\nAfter', complete: true });
  });
});

describe('plainTextToText', () => {
  it('decodes references once and trims each line', () => {
    expect(plainTextToText('  &amp;amp; \r\n x  ')).toBe('&amp;\nx');
  });
});

describe('imageSources', () => {
  it('lists <img> sources in order, skipping tracking pixels and share buttons', () => {
    const html = [
      '<img src="http://feeds.feedburner.com/~ff/x?d=yIl2AUoC8zA" border="0">',
      '<img src="https://stats.wordpress.com/b.gif?host=x" alt="">',
      '<img width="1" height="1" src="https://example.com/pixel-a.gif">',
      '<img src="data:image/gif;base64,R0lG" data-src="https://example.com/lazy.jpg">',
      "<IMG SRC='https://example.com/a.jpg?w=1&amp;h=2'>",
    ].join('');
    expect([...imageSources(html)]).toEqual(['https://example.com/lazy.jpg', 'https://example.com/a.jpg?w=1&h=2']);
  });

  it('tells which link each image sits in', () => {
    const html = '<a href="https://twitter.com/intent/tweet?x"><img src="/t.png"></a><abbr>x</abbr><img src="/p.jpg" width="640">';
    expect([...imageTags(html)].map((tag) => [tag.src, tag.link, tag.attributes.get('width')])).toEqual([
      ['/t.png', 'https://twitter.com/intent/tweet?x', undefined],
      ['/p.jpg', undefined, '640'],
    ]);
  });
});
