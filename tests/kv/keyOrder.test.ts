import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareKeys, keyRangeOf, prefixUpperBound, rangeContains, rangeEndsBefore, rangeStart } from '../../src/kv/keyOrder.ts';
import { compareLeaseIds, drawLeaseId, isLeaseId } from '../../src/kv/leaseId.ts';
import { Digest } from '../../src/kv/digest.ts';
import { Prng } from '../../src/sim/index.ts';

const utf8Order = (a: string, b: string) => Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
/** Strings mixing ASCII, the U+E000..U+FFFF block and astral characters: where UTF-16 and UTF-8 order disagree. */
const tricky = fc.array(fc.constantFrom('a', 'b', '\u00e9', '\uE000', '\uFFFF', '\u{1F600}', '\u{10FFFF}', '\u{10000}', '\0'), { maxLength: 5 }).map((cs) => cs.join(''));

describe('key order: UTF-8 bytes, as etcd compares keys', () => {
  it('agrees with comparing the UTF-8 encodings, on tricky and arbitrary strings', () => {
    fc.assert(fc.property(tricky, tricky, (a, b) => Math.sign(compareKeys(a, b)) === utf8Order(a, b)), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => Math.sign(compareKeys(a, b)) === utf8Order(a, b)));
  });

  it('puts U+1F600 after U+FFFF, unlike JavaScript\'s < on strings', () => {
    expect('\u{1F600}' < '\uFFFF').toBe(true);
    expect(compareKeys('\u{1F600}', '\uFFFF')).toBeGreaterThan(0);
  });

  it('bounds a prefix exactly: a key has the prefix iff it lies in [prefix, upper bound)', () => {
    fc.assert(fc.property(tricky.filter((p) => p.length > 0), tricky, (prefix, key) => {
      const upper = prefixUpperBound(prefix);
      const inInterval = compareKeys(key, prefix) >= 0 && (upper === undefined || compareKeys(key, upper) < 0);
      return inInterval === key.startsWith(prefix);
    }), { numRuns: 3000 });
    expect(prefixUpperBound('')).toBeUndefined();
    expect(prefixUpperBound('a\u{10FFFF}')).toBe('b');
    expect(prefixUpperBound('\uD7FF')).toBe('\uE000');
  });

  it('stops a sorted scan only where no later key can be in the range', () => {
    const range = fc.oneof(
      tricky.map((k) => keyRangeOf(k || 'a')),
      tricky.map((k) => keyRangeOf(k, undefined, true)),
      fc.tuple(tricky, fc.oneof(tricky, fc.constant('\0'))).map(([k, end]) => keyRangeOf(k, end || '\0')),
    );
    fc.assert(fc.property(range, tricky, tricky, (r, a, b) => {
      const [low, high] = compareKeys(a, b) <= 0 ? [a, b] : [b, a];
      // The scan starts at the range's least key, so only keys from there on matter.
      if (compareKeys(low, rangeStart(r)) < 0) return true;
      if (rangeContains(r, low) && rangeEndsBefore(r, low)) return false;
      return !rangeEndsBefore(r, low) || !rangeContains(r, high);
    }), { numRuns: 3000 });
  });
});

describe('lease ids', () => {
  it('accepts etcd int64 ids in lowercase hex without leading zeros', () => {
    expect(['0', '1', 'a1', '694d77aa9e38260f', '7fffffffffffffff'].every(isLeaseId)).toBe(true);
    expect(['', '00', '01', 'A1', 'L1', '8000000000000000', '1'.repeat(17), 5].some(isLeaseId)).toBe(false);
  });

  it('orders ids as numbers', () => {
    fc.assert(fc.property(fc.bigInt(0n, (1n << 63n) - 1n), fc.bigInt(0n, (1n << 63n) - 1n), (a, b) =>
      Math.sign(compareLeaseIds(a.toString(16), b.toString(16))) === (a < b ? -1 : a > b ? 1 : 0)));
  });
});

describe('digest', () => {
  it('is FNV-1a 64 over UTF-16 code units with a separator after each string', () => {
    const reference = (parts: string[]) => {
      let h = 0xcbf29ce484222325n;
      for (const part of parts) {
        for (const unit of [...Array.from({ length: part.length }, (_, i) => part.charCodeAt(i)), 0x1f]) {
          h ^= BigInt(unit);
          h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
        }
      }
      return h.toString(16).padStart(16, '0');
    };
    fc.assert(fc.property(fc.array(fc.string({ unit: 'binary' })), (parts) => {
      const digest = new Digest();
      for (const part of parts) digest.string(part);
      return digest.hex() === reference(parts);
    }), { numRuns: 150 });
  });
});

describe('drawing lease ids', () => {
  it('draws well-formed positive int64 ids, deterministically from the source', () => {
    // The simulator's own PRNG, as the server draws from it.
    const source = (seed: number) => new Prng(seed);
    const ids = Array.from({ length: 200 }, (_, i) => drawLeaseId(source(i + 1)));
    expect(ids.every(isLeaseId)).toBe(true);
    expect(ids.every((id) => id.length === 16)).toBe(true);
    expect(drawLeaseId(source(42))).toBe(drawLeaseId(source(42)));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
