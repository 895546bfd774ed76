// The core's runtime invariant checks (docs/raft-core.md, "Invariant checks"): each fires where the state changes,
// with an InvariantError naming what broke, and the unsafe switches still reach the states they demonstrate.
import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../src/raft/assert.ts';
import { defaultRaftConfig } from '../../src/raft/config.ts';
import { RaftLog } from '../../src/raft/log.ts';
import { Progress } from '../../src/raft/progress.ts';
import { Raft } from '../../src/raft/raft.ts';
import { appendLocal } from '../../src/raft/replication.ts';
import { fixedRandom } from './helpers.ts';

function logOf(terms: number[], commit: number, unsafeMode = false): RaftLog {
  return new RaftLog(terms.map((term, i) => ({ index: i + 1, term, data: null })), commit, unsafeMode);
}

describe('invariant checks', () => {
  it('§5.4: the commit index never passes the last index nor goes back', () => {
    const log = logOf([1, 1, 2], 1);
    expect(() => log.commitTo(4)).toThrow(InvariantError);
    expect(() => log.commitTo(4)).toThrow(/log\.commitTo: 4 is outside \[commit 1, lastIndex 3\]/);
    log.commitTo(2);
    expect(() => log.commitTo(1)).toThrow(/outside \[commit 2/);
    expect(() => logOf([1], 2)).toThrow(/commit 2 is outside \[0, 1\]/);
  });

  it('§5.3: no truncation at or below the commit index, unless an unsafe switch is on (then the commit index drops)', () => {
    expect(() => logOf([1, 1, 2], 2).truncateFrom(2)).toThrow(/log\.truncateFrom: index 2 is committed \(commit 2\)/);
    const unsafe = logOf([1, 1, 2], 2, true);
    unsafe.truncateFrom(2);
    expect(unsafe.commit).toBe(1);
    expect(unsafe.lastIndex).toBe(1);
  });

  it('§5.3: terms never decrease along the log, unless an unsafe switch is on', () => {
    expect(() => logOf([2], 0).push({ index: 2, term: 1, data: null })).toThrow(/entry 2 has term 1, below the previous entry's 2/);
    const unsafe = logOf([2], 0, true);
    unsafe.push({ index: 2, term: 1, data: null });
    expect(unsafe.lastTerm).toBe(1);
  });

  it('§5.3: match stays below next', () => {
    const pr = new Progress(2, 5, 4);
    expect(pr.maybeUpdate(6)).toBe(true);
    expect([pr.match, pr.next]).toEqual([6, 7]);
    pr.next = 6; // what a bug in the leader would do
    expect(() => pr.checkInvariant()).toThrow(/progress of S2: match 6 is not below next 6/);
  });

  it('§5.1: the term never decreases; a leader appends only as leader', () => {
    const raft = new Raft(defaultRaftConfig(1, [1, 2, 3], fixedRandom(0)), { term: 5, vote: 0, commit: 0 });
    expect(() => raft.becomeFollower(4, 0)).toThrow(/becomeFollower: term 4 is below the current term 5/);
    expect(() => appendLocal(raft, ['x'])).toThrow(/appendLocal: S1 is follower, not leader/);
    expect(raft.log.lastIndex).toBe(0);
  });
});
