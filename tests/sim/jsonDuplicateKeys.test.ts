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

  it('agrees with how the random JSON was built: a duplicate exactly when some object was given a key twice', () => {
    // Objects built from few key names, so duplicates are common; serialized by hand to keep them. Each value
    // carries whether it holds a duplicate, known from its construction (a textual count of keys is fooled by
    // strings such as ":{" that look like keys).
    interface Built { readonly text: string; readonly duplicate: boolean }
    const key = fc.constantFrom('a', 'b', 'c', 'constructor', '__proto__');
    const json: fc.Arbitrary<Built> = fc.letrec<{ value: Built }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.jsonValue({ maxDepth: 0 }).map((v) => ({ text: JSON.stringify(v), duplicate: false })),
        fc.array(tie('value'), { maxLength: 3 }).map((items) => ({
          text: `[${items.map((i) => i.text).join(',')}]`, duplicate: items.some((i) => i.duplicate),
        })),
        fc.array(fc.tuple(key, tie('value')), { maxLength: 4 }).map((members) => ({
          text: `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v.text}`).join(', ')}}`,
          duplicate: new Set(members.map(([k]) => k)).size < members.length || members.some(([, v]) => v.duplicate),
        })),
      ),
    })).value;
    fc.assert(fc.property(json, ({ text, duplicate }) => {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(findDuplicateKey(text) !== null).toBe(duplicate);
    }), { numRuns: 300 });
    // The text that fooled the earlier, textual oracle.
    expect(findDuplicateKey('["",":{"]')).toBeNull();
  });

  it('parseJsonWithoutDuplicateKeys throws DuplicateKeyError, or JSON.parse\'s own error on malformed text', () => {
    expect(() => parseJsonWithoutDuplicateKeys('{"a": 1, "a": 1}')).toThrow(DuplicateKeyError);
    expect(() => parseJsonWithoutDuplicateKeys('{"a": ')).toThrow(SyntaxError);
    expect(parseJsonWithoutDuplicateKeys('{"a": [1, {"b": 2}]}')).toEqual({ a: [1, { b: 2 }] });
  });
});
