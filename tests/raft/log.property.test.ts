// Property tests (fast-check) of the log (Raft §5.3) against a naive reference: a plain array of terms.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RaftLog } from '../../src/raft/log.ts';
import type { Entry } from '../../src/raft/index.ts';

type Op = { kind: 'append'; termStep: number; count: number } | { kind: 'truncate'; at: number } | { kind: 'persist' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('append' as const), termStep: fc.nat(2), count: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(30) }),
  fc.record({ kind: fc.constant('persist' as const) }),
);

/** The reference: terms[i] is the term of index i + 1. */
function refTerm(terms: number[], index: number): number | undefined {
  if (index === 0) return 0;
  return index >= 1 && index <= terms.length ? terms[index - 1] : undefined;
}

describe('log properties (§5.3)', () => {
  it('append, truncate and the persisted image agree with the naive model; term lookup matches everywhere', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const log = new RaftLog();
        const terms: number[] = [];
        const disk: Entry[] = [];
        for (const op of ops) {
          if (op.kind === 'append') {
            const term = (terms.at(-1) ?? 1) + op.termStep;
            for (let i = 0; i < op.count; i++) {
              log.push({ index: terms.length + 1, term, data: `e${terms.length + 1}` });
              terms.push(term);
            }
          } else if (op.kind === 'truncate') {
            const at = Math.max(1, op.at);
            log.truncateFrom(at);
            if (at <= terms.length) terms.length = at - 1;
          } else {
            const w = log.takeUnpersisted();
            if (w) {
              disk.length = w.from - 1;
              disk.push(...w.entries);
            }
            expect(log.hasUnpersisted()).toBe(false);
          }
          expect(log.lastIndex).toBe(terms.length);
          expect(log.lastTerm).toBe(terms.at(-1) ?? 0);
        }
        for (let i = 0; i <= terms.length + 2; i++) expect(log.termAt(i)).toBe(refTerm(terms, i));
        // Persisting whatever is pending makes the disk image equal the log.
        const w = log.takeUnpersisted();
        if (w) {
          disk.length = w.from - 1;
          disk.push(...w.entries);
        }
        expect(disk.map((e) => e.term)).toEqual(terms);
        expect(disk.every((e, i) => e.index === i + 1)).toBe(true);
      }),
    );
  });

  it('findConflict, firstIndexOfTerm, lastIndexOfTerm, matchTerm and isUpToDate agree with naive scans', () => {
    const termsArb = fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 20 }).map((steps) => {
      let t = 0;
      return steps.map((s) => (t += s % 2)).map((t) => Math.max(1, t));
    });
    fc.assert(
      fc.property(termsArb, termsArb, fc.nat(25), fc.nat(6), fc.nat(25), (mine, theirs, from, term, at) => {
        const log = new RaftLog(mine.map((t, i) => ({ index: i + 1, term: t, data: null })));
        // findConflict over a contiguous run of the other log starting at `from`.
        const start = Math.min(from, theirs.length);
        const incoming = theirs.slice(start).map((t, i) => ({ index: start + i + 1, term: t, data: null }));
        const naiveConflict = incoming.findIndex((e) => refTerm(mine, e.index) !== e.term);
        expect(log.findConflict(incoming)).toBe(naiveConflict === -1 ? undefined : naiveConflict);
        // matchTerm
        expect(log.matchTerm(at, term)).toBe(refTerm(mine, at) === term);
        if (at >= 1 && at <= mine.length) {
          // firstIndexOfTerm (commit 0): the first index of the run holding the term at `at`.
          let first = at;
          while (first > 1 && mine[first - 2] === mine[at - 1]) first--;
          expect(log.firstIndexOfTerm(at)).toBe(first);
        }
        // lastIndexOfTerm
        let last: number | undefined;
        for (let i = Math.min(at, mine.length); i >= 1; i--) {
          if (mine[i - 1] === term) {
            last = i;
            break;
          }
        }
        expect(log.lastIndexOfTerm(term, at)).toBe(last);
        // isUpToDate (§5.4.1)
        const myLastTerm = mine.at(-1) ?? 0;
        const theirLastTerm = theirs.at(-1) ?? 0;
        const naive = theirLastTerm !== myLastTerm ? theirLastTerm > myLastTerm : theirs.length >= mine.length;
        expect(log.isUpToDate(theirs.length, theirLastTerm)).toBe(naive);
      }),
    );
  });

  it('slice returns exactly the entries in [from, to] clipped to the log', () => {
    fc.assert(
      fc.property(fc.nat(15), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 20 }), (n, from, to) => {
        const entries = Array.from({ length: n }, (_, i) => ({ index: i + 1, term: 1, data: `${i + 1}` }));
        const log = new RaftLog(entries);
        expect(log.slice(from, to)).toEqual(entries.filter((e) => e.index >= from && e.index <= to));
      }),
    );
  });

  it('a committed entry is never truncated (a safe log refuses)', () => {
    const log = new RaftLog([{ index: 1, term: 1, data: null }, { index: 2, term: 1, data: null }], 2);
    expect(() => log.truncateFrom(2)).toThrow(/committed/);
  });
});
