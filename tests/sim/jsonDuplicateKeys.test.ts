import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DuplicateKeyError, findDuplicateKey, parseJsonWithoutDuplicateKeys } from '../../src/sim/jsonDuplicateKeys.ts';

describe('findDuplicateKey', () => {
  it('finds the first key an object holds twice, with its path', () => {
    expect(findDuplicateKey('{"a": 1, "a": 2}')).toEqual({ key: 'a', path: 'a' });
    expect(findDuplicateKey('{"x": {"y": [1, {"z": 1, "q": "z", "z": 2}]}}')).toEqual({ key: 'z', path: 'x.y[1].z' });
    expect(findDuplicateKey('[{"a": 1}, {"b": 1, "b": 1}]')).toEqual({ key: 'b', path: '[1].b' });
    expect(findDuplicateKey('{"a\\"b": 1, "a\\u0022b": 2}')).toEqual({ key: 'a"b', path: 'a"b' });
    expect(findDuplicateKey('{"__proto__": 1, "__proto__": 2}')).toEqual({ key: '__proto__', path: '__proto__' });
  });

  it('finds none when keys repeat only across objects, or as values, or inside strings', () => {
    expect(findDuplicateKey('{"a": {"a": {"a": "a"}}, "b": [{"a": 1}, {"a": 2}]}')).toBeNull();
    expect(findDuplicateKey('{"s": "\\"s\\": 1, \\"s\\": 2", "t": "}{,["}')).toBeNull();
    expect(findDuplicateKey('[1, "a", true, null, -2.5e3]')).toBeNull();
  });

  it('agrees with JSON.parse on random JSON: a duplicate exactly when parsing loses a key', () => {
    // Objects built from few key names, so duplicates are common; serialized by hand to keep them.
    const key = fc.constantFrom('a', 'b', 'c', 'constructor', '__proto__');
    const json: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.jsonValue({ maxDepth: 0 }).map((v) => JSON.stringify(v)),
        fc.array(tie('value'), { maxLength: 3 }).map((items) => `[${items.join(',')}]`),
        fc.array(fc.tuple(key, tie('value')), { maxLength: 4 }).map((members) => `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(', ')}}`),
      ),
    })).value;
    fc.assert(fc.property(json, (text) => {
      const hasDuplicate = /\{/.test(text) && countKeys(text) !== countParsedKeys(JSON.parse(text));
      expect(findDuplicateKey(text) !== null).toBe(hasDuplicate);
    }), { numRuns: 300 });
  });

  it('parseJsonWithoutDuplicateKeys throws DuplicateKeyError, or JSON.parse\'s own error on malformed text', () => {
    expect(() => parseJsonWithoutDuplicateKeys('{"a": 1, "a": 1}')).toThrow(DuplicateKeyError);
    expect(() => parseJsonWithoutDuplicateKeys('{"a": ')).toThrow(SyntaxError);
    expect(parseJsonWithoutDuplicateKeys('{"a": [1, {"b": 2}]}')).toEqual({ a: [1, { b: 2 }] });
  });
});

/** Keys written in the text (every string followed by a colon). */
function countKeys(text: string): number {
  return [...text.matchAll(/"(?:[^"\\]|\\.)*"\s*:/g)].length;
}

/** Own keys of every object in a parsed value. */
function countParsedKeys(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countParsedKeys(v), 0);
  if (value !== null && typeof value === 'object') {
    return Object.keys(value).reduce((n, k) => n + 1 + countParsedKeys((value as Record<string, unknown>)[k]), 0);
  }
  return 0;
}
