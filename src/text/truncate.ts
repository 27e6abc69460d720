const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export interface TruncateOptions {
  /** Appended when the text is cut; counted within `max`. */
  ellipsis?: string;
  /**
   * Spans that must stay whole (a Markdown link, an escape such as `\*`, a URL): a cut
   * never falls inside one, it falls before it. Must be a global (`g`) expression.
   */
  keepWhole?: RegExp;
  /**
   * When white space lies within this many characters before the limit, cut there
   * instead of mid-word. 0 cuts at the last whole grapheme.
   */
  wordWindow?: number;
}

/** Code units segmented before the word window and after the budget. */
const MARGIN = 64;

/**
 * Cuts `text` to at most `max` UTF-16 code units (the unit Discord's limits are safe to
 * count in), ending with "…" when cut. The cut lands on a grapheme boundary, so no
 * surrogate pair, emoji sequence or combining mark is split.
 */
export function truncate(text: string, max: number, options: TruncateOptions = {}): string {
  if (text.length <= max) return text;
  const ellipsis = options.ellipsis ?? '…';
  const budget = max - ellipsis.length;
  if (budget <= 0) return max > 0 ? ellipsis.slice(0, max) : '';

  const spans = protectedSpans(text, budget, options.keepWhole);
  const wordWindow = options.wordWindow ?? 0;

  // Each step of Intl.Segmenter costs time in proportion to the length of the string it
  // walks (Node 20): walking a 200,000-character text up to the limit takes seconds. Only
  // a short window before the cut is segmented, from a boundary that needs no context.
  // The cut can only fall before a protected span that straddles the budget.
  const straddling = spans.find(([start, end]) => start < budget && budget < end);
  let from = contextFreeBoundary(text, (straddling?.[0] ?? budget) - wordWindow - MARGIN, spans);
  for (;;) {
    const { cut, wordCut } = lastCuts(text, from, budget, spans);
    // White space anywhere in the word window counts, and the window may reach further back.
    if (from > 0 && wordWindow > 0 && cut - wordWindow < from) {
      from = contextFreeBoundary(text, cut - wordWindow - MARGIN, spans);
      continue;
    }
    const end = wordWindow > 0 && wordCut > 0 && cut - wordCut <= wordWindow ? wordCut : cut;
    return text.slice(0, end).trimEnd() + ellipsis;
  }
}

/**
 * The last grapheme boundary at or before `budget` outside protected spans (`cut`), and
 * the last such boundary before white space (`wordCut`, -1 when none), looking from `from`.
 */
function lastCuts(text: string, from: number, budget: number, spans: [number, number][]): { cut: number; wordCut: number } {
  // Positions are asked in increasing order, so one pointer walks the spans once.
  let span = 0;
  const insideSpan = (position: number): boolean => {
    while (span < spans.length && (spans[span]?.[1] ?? 0) <= position) span += 1;
    const current = spans[span];
    return current !== undefined && current[0] < position;
  };

  let cut = from;
  let wordCut = -1;
  // A grapheme cut short by the window's end reaches past the budget all the same.
  const window = text.slice(from, Math.min(text.length, budget + MARGIN));
  for (const { index: offset, segment } of graphemes.segment(window)) {
    const index = from + offset;
    if (index > budget) break;
    if (!insideSpan(index)) {
      cut = index;
      if (/^\s/.test(segment)) wordCut = index;
    }
    // The grapheme that ends exactly at the budget is still allowed in.
    const end = index + segment.length;
    if (end <= budget && !insideSpan(end)) cut = Math.max(cut, end);
  }
  return { cut, wordCut };
}

/**
 * Steps back from `position` to a grapheme boundary whatever precedes it, outside any
 * protected span: the start of the text, or a character no rule joins to what comes
 * before (ASCII but a line feed, which may follow a carriage return; a BMP Han, hiragana
 * or katakana character) after one that is not a Prepend character.
 */
function contextFreeBoundary(text: string, position: number, spans: [number, number][]): number {
  let p = Math.max(0, position);
  for (;;) {
    while (p > 0 && !(standsAlone(text, p) && !mayPrepend(text.charCodeAt(p - 1)))) p -= 1;
    const inside = spans.find(([start, end]) => start < p && p < end);
    if (!inside) return p;
    p = inside[0];
  }
}

// One code unit at a time: a /u expression would match a whole pair from its low half.
const IDEOGRAPH = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]$/u;

function standsAlone(text: string, p: number): boolean {
  const unit = text.charCodeAt(p);
  return unit < 0x80 ? unit !== 0x0a : IDEOGRAPH.test(text.charAt(p));
}

/** Prepend characters (Unicode 17) in the BMP; every astral one is assumed to be one. */
function mayPrepend(unit: number): boolean {
  return (
    (unit >= 0x600 && unit <= 0x605) ||
    unit === 0x6dd ||
    unit === 0x70f ||
    unit === 0x890 ||
    unit === 0x891 ||
    unit === 0x8e2 ||
    unit === 0xd4e ||
    (unit >= 0xdc00 && unit <= 0xdfff)
  );
}

function protectedSpans(text: string, budget: number, keepWhole: RegExp | undefined): [number, number][] {
  if (!keepWhole) return [];
  if (!keepWhole.global) throw new TypeError('truncate: keepWhole must be a global regular expression');
  const spans: [number, number][] = [];
  for (const match of text.matchAll(keepWhole)) {
    if (match.index > budget) break;
    if (match[0].length > 0) spans.push([match.index, match.index + match[0].length]);
  }
  return spans;
}
