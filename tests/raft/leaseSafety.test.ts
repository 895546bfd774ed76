// Lease reads stay linearizable (thesis §6.4.1): while any follower could still be inside a leader's lease, no vote
// that could elect another leader is granted, except for a transfer the leader itself started, after which the
// leader serves no lease read for the rest of its term (docs/raft-core.md, "Lease reads").
import { describe, expect, it } from 'vitest';
import { Network, msg } from './helpers.ts';

const lease = { preVote: false, checkQuorum: true, readOnly: 'lease' as const };
const leasePreVote = { ...lease, preVote: true };

/**
 * S1's read, requested now: the index it is confirmed at, or undefined when it is not confirmed (yet). A lease
 * read is confirmed within the call; a ReadIndex round needs replies, which a test may withhold.
 */
function readAt(net: Network, node: number, context: string): number | undefined {
  net.node(node).readIndex(context);
  net.flush();
  return net.readStates.get(node)!.find((rs) => rs.context === context)?.index;
}

/** The highest index committed by a leader of a term above `term`, or 0. */
function committedAfterTerm(net: Network, term: number): number {
  let highest = 0;
  for (const id of net.ids) {
    const n = net.node(id);
    if (n.role === 'leader' && n.term > term) highest = Math.max(highest, n.commit);
  }
  return highest;
}

describe('thesis §6.4.1 lease reads against late transfers', () => {
  it('a TimeoutNow arriving after the transfer was aborted cannot elect a leader while the old one serves lease reads', () => {
    const net = new Network(3, lease);
    net.elect(1);
    net.tickAll(1);
    net.node(1).transferLeadership(2); // S2 holds the whole log: TimeoutNow leaves at once
    const [timeoutNow] = net.take(msg('MsgTimeoutNow', 1, 2));
    expect(timeoutNow).toBeDefined();
    net.tickAll(10); // the TimeoutNow is delayed on the wire; the transfer is aborted after an election timeout
    expect(net.explained('transferAborted', 1)).toHaveLength(1);
    expect(net.node(1).transferee).toBe(0);

    // The old TimeoutNow finally arrives; S1 is cut off, so it does not hear of the new term.
    net.isolate(1);
    net.node(2).step(timeoutNow);
    net.deliverAll();
    expect(net.node(2).role).toBe('leader'); // the transfer bypasses S3's lease, as thesis §3.10 wants
    expect(net.node(2).propose('x')).toEqual({ ok: true });
    net.deliverAll();
    const newer = committedAfterTerm(net, 1);
    expect(newer).toBe(3); // S2's empty entry and x, committed by S2 and S3 in term 2

    // S1 still believes it leads, with a majority acknowledgement a tick old. Before the fix it confirmed this read
    // from its lease at index 1: a read that misses x, acknowledged before the read began.
    expect(net.node(1).role).toBe('leader');
    const index = readAt(net, 1, 'late');
    expect(index === undefined || index >= newer).toBe(true);
    expect(net.explained('readConfirmed', 1).filter((e) => e.via === 'lease' && e.context === 'late')).toEqual([]);
  });

  it('a late transfer vote is covered the same way: after a TimeoutNow the leader confirms reads by a round', () => {
    const net = new Network(3, lease);
    net.elect(1);
    net.tickAll(1);
    net.node(1).transferLeadership(2);
    net.take(msg('MsgTimeoutNow', 1, 2)); // lost: the transfer is aborted
    net.tickAll(10);
    expect(net.node(1).transferee).toBe(0);
    const before = net.sent.length;
    net.node(1).readIndex('after-abort');
    net.flush();
    expect(net.readStates.get(1)).toEqual([]); // not from the lease: a heartbeat round went out
    expect(net.sent.length).toBeGreaterThan(before);
    net.deliverAll();
    expect(net.readStates.get(1)).toEqual([{ context: 'after-abort', index: 1 }]);
    expect(net.explained('readConfirmed', 1).at(-1)).toMatchObject({ via: 'readIndex' });
  });

  it('a new term restores the lease: a leader elected after the transfer serves lease reads again', () => {
    const net = new Network(3, lease);
    net.elect(1);
    net.tickAll(1);
    net.node(1).transferLeadership(2);
    net.deliverAll();
    expect(net.node(2).role).toBe('leader');
    net.tickAll(1);
    net.node(2).readIndex('fresh');
    net.flush();
    expect(net.explained('readConfirmed', 2).at(-1)).toMatchObject({ via: 'lease', context: 'fresh' });
  });
});

describe('thesis §6.4.1 lease reads against forced timeouts', () => {
  /** S1 leads with S2's acknowledgement; S3 has heard nothing for longer than its lease; then S1 is cut off. */
  function s1LeaseWithS2(overrides: object): Network {
    const net = new Network(3, { ...leasePreVote, ...overrides });
    net.elect(1);
    net.tickAll(1);
    net.partition([1], [3]);
    net.tickAll(11); // S3's timeout is electionTick + 2 = 12 ticks: it has not campaigned, but its lease is over
    net.isolate(1);
    expect(net.node(1).role).toBe('leader');
    return net;
  }

  it('a node inside the lease does not campaign on a forced timeout (its own vote could elect it)', () => {
    const net = s1LeaseWithS2({});
    net.node(2).campaign();
    net.deliverAll();
    // Before the fix S2 pre-campaigned, S3 (outside any lease) agreed, and S2 won term 2 with S3's vote.
    expect(net.leaders()).toEqual([{ id: 1, term: 1 }]);
    expect(net.explained('campaignRefused', 2)).toEqual([
      { kind: 'campaignRefused', node: 2, term: 1, reason: 'leaderLease', leader: 1, leaderHeardTicksAgo: 0 },
    ]);
    expect(readAt(net, 1, 'lease')).toBe(1); // S1's lease read is sound: nobody else leads
    expect(committedAfterTerm(net, 1)).toBe(0);
  });

  it('once the lease is over a forced timeout campaigns again', () => {
    const net = s1LeaseWithS2({});
    net.tick(2, 10);
    net.node(2).campaign();
    net.deliverAll();
    expect(net.node(2).role).toBe('leader');
  });

  it('after a forced campaign the node still ignores votes inside the lease it acknowledged (CheckQuorum, safe reads)', () => {
    const net = new Network(3, { preVote: false, checkQuorum: true });
    net.elect(1);
    net.tick(2, 3);
    net.node(2).campaign(); // allowed with ReadIndex reads: no lease read depends on it
    net.drop(msg('MsgVote', 2));
    expect(net.node(2).role).toBe('candidate');
    expect(net.node(2).leader).toBe(0);
    // Before the fix becoming candidate cleared S2's leader, and with it the lease: S2 granted this vote.
    net.deliver({ type: 'MsgVote', from: 3, to: 2, term: 3, lastLogIndex: 9, lastLogTerm: 1, transfer: false });
    expect(net.node(2).term).toBe(2);
    expect(net.take(msg('MsgVoteResp', 2, 3))).toEqual([]);
    expect(net.explained('voteRefused', 2).at(-1)).toMatchObject({ reason: 'leaderLease', leader: 1, leaderHeardTicksAgo: 3 });
  });

  it('a pre-candidate still ignores pre-votes inside the lease it acknowledged', () => {
    const net = new Network(3, { preVote: true, checkQuorum: true });
    net.elect(1);
    net.node(2).campaign();
    net.drop(msg('MsgPreVote', 2));
    expect(net.node(2).role).toBe('precandidate');
    net.deliver({ type: 'MsgPreVote', from: 3, to: 2, term: 2, lastLogIndex: 9, lastLogTerm: 1, transfer: false });
    expect(net.take(msg('MsgPreVoteResp', 2, 3))).toEqual([]);
  });

  it('with lease reads a restarted node keeps out of elections for one election timeout', () => {
    const net = s1LeaseWithS2({});
    net.crash(2);
    net.restart(2);
    net.node(3).campaign(); // S3 is outside any lease: it may campaign
    net.deliverAll();
    // Before the fix the restarted S2 forgot that it had just acknowledged S1, and elected S3 with it.
    expect(net.leaders()).toEqual([{ id: 1, term: 1 }]);
    expect(net.explained('voteRefused', 2).at(-1)).toMatchObject({ reason: 'leaderLease', leader: 0 });
    expect(readAt(net, 1, 'lease')).toBe(1);
    // Liveness: after an election timeout S2 votes again.
    net.tick(2, 10);
    net.node(3).campaign();
    net.deliverAll();
    expect(net.node(3).role).toBe('leader');
  });
});

describe('thesis §6.4 forwarded reads', () => {
  it('a follower takes the answer to a forwarded read only from the leader it asked', () => {
    const net = new Network(3, { preVote: false, checkQuorum: true });
    net.elect(1);
    net.node(3).readIndex('c');
    const [ask] = net.take(msg('MsgReadIndex', 3, 1));
    expect(ask).toBeDefined();
    // An answer with the same context from another node (a response to an earlier read that reused it) is ignored.
    net.deliver({ type: 'MsgReadIndexResp', from: 2, to: 3, term: 1, context: 'c', index: 0, reject: false });
    expect(net.readStates.get(3)).toEqual([]);
    net.deliver(ask);
    net.deliverAll();
    expect(net.readStates.get(3)).toEqual([{ context: 'c', index: 1 }]);
  });
});
