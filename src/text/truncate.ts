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
  // Positions are asked in increasing order, so one pointer walks the spans once.
  let span = 0;
  const insideSpan = (position: number): boolean => {
    while (span < spans.length && (spans[span]?.[1] ?? 0) <= position) span += 1;
    const current = spans[span];
    return current !== undefined && current[0] < position;
  };
  const wordWindow = options.wordWindow ?? 0;

  let cut = 0;
  let wordCut = -1;
  for (const { index, segment } of graphemes.segment(text)) {
    if (index > budget) break;
    if (!insideSpan(index)) {
      cut = index;
      if (/^\s/.test(segment)) wordCut = index;
    }
    // The grapheme that ends exactly at the budget is still allowed in.
    const end = index + segment.length;
    if (end <= budget && !insideSpan(end)) cut = Math.max(cut, end);
  }
  if (wordWindow > 0 && wordCut > 0 && cut - wordCut <= wordWindow) cut = wordCut;
  return text.slice(0, cut).trimEnd() + ellipsis;
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
