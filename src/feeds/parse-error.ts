/** A body that is not a readable feed; the message says why in plain words, for moderators. */
export class FeedParseError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FeedParseError';
  }
}

const SAX_REASONS: [RegExp, string][] = [
  [/^Unclosed root tag/, 'it ends before the document is complete (unclosed root tag); the server may have cut it short'],
  [/^Unexpected end/, 'it ends in the middle of a tag; the server may have cut it short'],
  [/^Unmatched closing tag|^Unexpected close tag/, 'a closing tag does not match the tag it should close'],
  [/^Text data outside of root node/, 'there is text after the end of the document'],
  [/^Non-whitespace before first tag/, 'there is text before the first tag'],
  [/^Invalid character entity|^Invalid character in entity name/, 'an entity reference is invalid'],
];

/** Turns whatever the XML or feed parser threw into a FeedParseError a moderator can act on. */
export function explainParseError(error: unknown): FeedParseError {
  if (error instanceof FeedParseError) return error;
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return new FeedParseError('The feed is nested too deeply to read.', { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  const [reason = ''] = message.split('\n');
  const line = /\nLine: (\d+)/.exec(message);
  if (line?.[1] !== undefined) {
    const plain = SAX_REASONS.find(([pattern]) => pattern.test(reason))?.[1] ?? reason.replace(/\.$/, '').toLowerCase();
    return new FeedParseError(`The feed's XML is broken: ${plain}, at line ${Number(line[1]) + 1}.`, { cause: error });
  }
  if (/not recognized as RSS/.test(message)) {
    return new FeedParseError('This XML document is not an RSS, Atom or RDF feed.', { cause: error });
  }
  if (/Unable to parse XML/.test(message)) return new FeedParseError('The feed is empty.', { cause: error });
  return new FeedParseError('The feed is not laid out as RSS or Atom requires (an element it needs is missing).', {
    cause: error,
  });
}
