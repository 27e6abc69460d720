/**
 * Where a JSON text first goes wrong, as a line and column a person can find in an
 * editor. V8's own message gives an offset for most mistakes but not all ("Unexpected
 * token 'x', "…whole file…" is not valid JSON"), so this walks the text itself.
 */

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// Unescaped control characters are not allowed inside strings, so the class names them.
// eslint-disable-next-line no-control-regex
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

class Stop {
  constructor(readonly offset: number) {}
}

function scan(text: string): number | undefined {
  let i = 0;
  const skip = () => {
    while (i < text.length && WHITESPACE.has(text[i]!)) i += 1;
  };
  const sticky = (pattern: RegExp) => {
    pattern.lastIndex = i;
    if (!pattern.test(text)) throw new Stop(i);
    i = pattern.lastIndex;
  };
  const expect = (char: string) => {
    skip();
    if (text[i] !== char) throw new Stop(i);
    i += 1;
  };
  const value = (): void => {
    skip();
    const c = text[i];
    if (c === '{') {
      i += 1;
      skip();
      if (text[i] === '}') {
        i += 1;
        return;
      }
      for (;;) {
        skip();
        if (text[i] !== '"') throw new Stop(i);
        sticky(STRING);
        expect(':');
        value();
        skip();
        if (text[i] === ',') i += 1;
        else return expect('}');
      }
    }
    if (c === '[') {
      i += 1;
      skip();
      if (text[i] === ']') {
        i += 1;
        return;
      }
      for (;;) {
        value();
        skip();
        if (text[i] === ',') i += 1;
        else return expect(']');
      }
    }
    if (c === '"') return sticky(STRING);
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    sticky(NUMBER);
  };
  try {
    value();
    skip();
    return i < text.length ? i : undefined;
  } catch (error) {
    if (error instanceof Stop) return error.offset;
    // Nesting deep enough to exhaust the stack: no position, the message still says why.
    return undefined;
  }
}

export interface SyntaxPlace {
  line: number;
  column: number;
  /** The text around the mistake, on one line. */
  near: string;
}

export function locateSyntaxError(text: string): SyntaxPlace | undefined {
  const offset = scan(text);
  if (offset === undefined) return undefined;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  const near = text
    .slice(Math.max(0, offset - 20), offset + 20)
    .replace(/\s+/g, ' ')
    .trim();
  return { line, column, near };
}

/** V8's reason without its offset or its copy of the text. */
export function syntaxReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const reason = message
    .replace(/\s+(?:in JSON\s+)?at position \d+.*$/s, '')
    .replace(/, ".*" is not valid JSON$/s, '')
    .trim();
  return reason.charAt(0).toLowerCase() + reason.slice(1);
}
