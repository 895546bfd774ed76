// The unsafe switches really break Raft: each test builds the situation where the missing rule matters and
// asserts the breakage, and checks the same script is harmless with the switch off.
import { describe, expect, it } from 'vitest';
import { Network, msg } from './helpers.ts';
import { figure8, randomRun } from './scenarios.ts';

const plain = { preVote: false, checkQuorum: false };

/** S1 wins term 1 with S3's vote; S3 restarts; S2 campaigns in term 1 and asks S3. */
function doubleVoteScript(forgetVote: boolean): Network {
  const net = new Network(3, { ...plain, unsafe: { forgetVote } });
  net.node(1).campaign();
  net.deliver(net.take(msg('MsgVote', 1, 3))[0]);
  net.deliver(net.take(msg('MsgVoteResp', 3, 1))[0]);
  net.drop(); // S2 hears nothing from S1
  net.crash(3);
  net.restart(3);
  net.node(2).campaign();
  net.deliver(net.take(msg('MsgVote', 2, 3))[0]);
  net.deliver(net.take(msg('MsgVoteResp', 3, 2))[0]);
  return net;
}

/** S1 commits 'x' with S2 while S3 is cut off; then S3 (empty log) campaigns with S1 away, and proposes 'y'. */
function staleCandidateScript(skipUpToDateCheck: boolean): Network {
  const net = new Network(3, { ...plain, unsafe: { skipUpToDateCheck } });
  net.elect(1);
  net.isolate(3);
  net.node(1).propose('x');
  net.deliverAll();
  net.tickAll(1);
  net.heal();
  net.isolate(1);
  net.elect(3);
  if (net.node(3).role === 'leader') {
    net.node(3).propose('y');
    net.deliverAll();
    net.tickAll(2);
  }
  return net;
}

/** S1 appends 'stale' alone and is cut off; S2 leads term 2 and commits; S1 comes back as follower. */
function conflictingFollowerScript(noTruncate: boolean): Network {
  const net = new Network(3, { ...plain, unsafe: { noTruncate } });
  net.elect(1);
  net.tickAll(1);
  net.isolate(1);
  net.node(1).propose('stale');
  net.deliverAll();
  net.elect(2);
  net.node(2).propose('fresh');
  net.deliverAll();
  net.heal();
  net.tickAll(3);
  return net;
}

describe('unsafe variants break Raft (and the tests see it)', () => {
  it('forgetVote (§5.2 one vote per term, Figure 2 persistence): a restarted voter votes twice, two leaders in one term', () => {
    const broken = doubleVoteScript(true);
    expect(broken.leaders()).toEqual([{ id: 1, term: 1 }, { id: 2, term: 1 }]);
    expect(broken.violations).toContain('election safety: S1 and S2 both led term 1');
    const safe = doubleVoteScript(false);
    expect(safe.leaders()).toEqual([{ id: 1, term: 1 }]);
    expect(safe.explained('voteRefused', 3)[0]).toMatchObject({ reason: 'alreadyVoted', votedFor: 1 });
    expect(safe.violations).toEqual([]);
  });

  it('commitOldTerm (§5.4.2, Figure 8): an entry counted as committed is overwritten', () => {
    const { net: broken, s1CommitAfterC } = figure8(true);
    expect(s1CommitAfterC).toBe(2); // S1 "committed" (2, t2) by counting S1, S2, S3
    expect(broken.node(2).entryAt(2)!.term).toBe(3); // ... and S5 overwrote it
    expect(broken.violations.some((v) => v.startsWith('state machine safety') && v.includes('index 2'))).toBe(true);
    const { net: safe } = figure8(false);
    expect(safe.violations).toEqual([]);
  });

  it('skipUpToDateCheck (§5.4.1): a candidate missing a committed entry wins, and that entry is lost', () => {
    const broken = staleCandidateScript(true);
    expect(broken.node(3).role).toBe('leader');
    expect(broken.node(3).entryAt(2)?.data).not.toBe('x'); // Leader Completeness violated
    expect(broken.violations.some((v) => v.startsWith('state machine safety') && v.includes('index 2'))).toBe(true);
    const safe = staleCandidateScript(false);
    expect(safe.node(3).role).not.toBe('leader');
    expect(safe.explained('voteRefused', 2)[0]).toMatchObject({ reason: 'logNotUpToDate' });
    expect(safe.violations).toEqual([]);
  });

  it('noTruncate (§5.3): a follower keeps a conflicting entry, and applies it where others applied another', () => {
    const broken = conflictingFollowerScript(true);
    expect(broken.node(1).entryAt(2)!.data).toBe('stale');
    expect(broken.node(2).entryAt(2)!.data).toBe(null);
    expect(broken.violations.some((v) => v.startsWith('state machine safety') && v.includes('index 2'))).toBe(true);
    const safe = conflictingFollowerScript(false);
    expect(safe.logOf(1)).toEqual(safe.logOf(2));
    expect(safe.violations).toEqual([]);
  });

  // The randomized runs of safety.test.ts see two of the bugs unaided; forgetVote and commitOldTerm need rarer
  // interleavings (a restart between two votes of one term; Figure 8's crash pattern), hence the scripts above.
  for (const name of ['skipUpToDateCheck', 'noTruncate'] as const) {
    it(`${name}: the randomized safety runs catch it within 30 seeds`, () => {
      let caught: string | undefined;
      for (let seed = 1; seed <= 30 && caught === undefined; seed++) {
        caught = randomRun(seed, { ...plain, unsafe: { [name]: true } }, 400).violations[0];
      }
      expect(caught).toMatch(/^state machine safety/);
    });
  }
});
