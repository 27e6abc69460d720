import { describe, expect, it } from 'vitest';
import { withLazyFields } from '../../src/feeds/lazy-fields.ts';

describe('withLazyFields', () => {
  it('computes a field on its first read only', () => {
    let computed = 0;
    const item = withLazyFields({ a: 1 }, {
      b: () => {
        computed += 1;
        return 'text';
      },
    });
    expect(computed).toBe(0);
    expect(item.b).toBe('text');
    expect(item.b).toBe('text');
    expect(computed).toBe(1);
  });

  it('skips the computation when the field is assigned first', () => {
    let computed = 0;
    const item = withLazyFields({ a: 1 }, {
      b: (): string | undefined => {
        computed += 1;
        return 'text';
      },
    });
    item.b = 'given';
    expect(item.b).toBe('given');
    expect(computed).toBe(0);
  });

  it('reads like plain fields, in key order after the others, to spreading, JSON and deep equality', () => {
    const item = withLazyFields({ a: 1, c: undefined }, { b: () => 'text' });
    expect(Object.keys(item)).toEqual(['a', 'c', 'b']);
    expect({ ...item }).toEqual({ a: 1, c: undefined, b: 'text' });
    expect(JSON.parse(JSON.stringify(item))).toEqual({ a: 1, b: 'text' });
    expect(item).toStrictEqual({ a: 1, c: undefined, b: 'text' });
  });

  it('tries again after a computation that threw', () => {
    let calls = 0;
    const item = withLazyFields({}, {
      b: () => {
        calls += 1;
        if (calls === 1) throw new Error('first time');
        return 'second time';
      },
    });
    expect(() => item.b).toThrow('first time');
    expect(item.b).toBe('second time');
  });
});
