// Property tests (fast-check) of the majority arithmetic (Raft §5.2 votes, §5.3 commit) against naive versions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { majorityValue, quorumSize, voteResult } from '../../src/raft/quorum.ts';
import { Inflights } from '../../src/raft/inflights.ts';

describe('quorum arithmetic', () => {
  it('quorumSize(n) is the smallest count that two disjoint groups cannot both reach', () => {
    for (let n = 1; n <= 9; n++) {
      const q = quorumSize(n);
      expect(2 * q).toBeGreaterThan(n); // any two majorities intersect (§5.2, §5.4)
      expect(2 * (q - 1)).toBeLessThanOrEqual(n); // and q - 1 would not
    }
  });

  it('majorityValue = the highest v that a majority of values reach (the commit index of Figure 2)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(50), { minLength: 1, maxLength: 9 }), (values) => {
        const q = quorumSize(values.length);
        let naive = 0;
        for (const v of values) if (v > naive && values.filter((w) => w >= v).length >= q) naive = v;
        expect(majorityValue(values, new Array(values.length).fill(0))).toBe(naive);
      }),
    );
  });

  it('voteResult agrees with enumerating how the missing votes could go', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.nat(9), fc.nat(9), (n, g, r) => {
        const granted = Math.min(g, n);
        const rejected = Math.min(r, n - granted);
        const q = quorumSize(n);
        const missing = n - granted - rejected;
        const naive = granted >= q ? 'won' : granted + missing < q ? 'lost' : 'pending';
        expect(voteResult(n, granted, rejected)).toBe(naive);
      }),
    );
  });

  it('Inflights behaves like a bounded FIFO of indices', () => {
    type Op = { add: boolean; value: number };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fc.record({ add: fc.boolean(), value: fc.nat(5) }), { maxLength: 60 }), (cap, ops: Op[]) => {
        const inf = new Inflights(cap);
        const ref: number[] = [];
        let next = 1;
        for (const op of ops) {
          if (op.add) {
            if (ref.length === cap) {
              expect(inf.full()).toBe(true);
              expect(() => inf.add(next)).toThrow();
              continue;
            }
            next += op.value;
            inf.add(next);
            ref.push(next);
          } else {
            const upTo = next - op.value;
            inf.freeLE(upTo);
            while (ref.length > 0 && ref[0] <= upTo) ref.shift();
          }
          expect(inf.size).toBe(ref.length);
          expect(inf.full()).toBe(ref.length === cap);
        }
      }),
    );
  });
});
