// PreVote (thesis §9.6): a would-be candidate first asks whether it could win, without touching its term.
import { describe, expect, it } from 'vitest';
import { Network, msg } from './helpers.ts';

const preVoteOnly = { preVote: true, checkQuorum: false };

describe('thesis §9.6 PreVote', () => {
  it('thesis §9.6: a pre-candidate asks at term + 1 but keeps its own term and vote', () => {
    const net = new Network(3, preVoteOnly);
    net.node(1).campaign();
    net.flush();
    expect(net.node(1).role).toBe('precandidate');
    expect(net.node(1).term).toBe(0);
    expect(net.node(1).vote).toBe(0);
    expect(net.disks.get(1)!.hardState.term).toBe(0);
    const reqs = net.take(msg('MsgPreVote', 1));
    expect(reqs.map((m) => [m.to, m.term])).toEqual([[2, 1], [3, 1]]);
  });

  it('thesis §9.6: granting a pre-vote records nothing: the voter keeps its term and its vote', () => {
    const net = new Network(3, preVoteOnly);
    net.node(1).campaign();
    net.deliver(net.take(msg('MsgPreVote', 1, 2))[0]);
    expect(net.node(2).term).toBe(0);
    expect(net.node(2).vote).toBe(0);
    expect(net.take(msg('MsgPreVoteResp', 2, 1))[0]).toMatchObject({ reject: false, term: 1 });
    expect(net.explained('voteGranted', 2)[0]).toMatchObject({ preVote: true, term: 1 });
  });

  it('thesis §9.6: winning the pre-vote starts a real election at term + 1, which elects the node', () => {
    const net = new Network(3, preVoteOnly);
    net.elect(1);
    expect(net.leaders()).toEqual([{ id: 1, term: 1 }]);
    const won = net.explained('electionWon', 1);
    expect(won.map((e) => e.preVote)).toEqual([true, false]);
  });

  it('thesis §9.6: a partitioned node does not inflate its term, and does not disrupt the cluster when it returns', () => {
    const net = new Network(3, preVoteOnly);
    net.elect(1);
    net.isolate(3);
    for (let i = 0; i < 10; i++) net.tickAll(12);
    expect(net.node(3).term).toBe(1); // without PreVote it would be far ahead by now
    expect(net.node(3).role).toBe('precandidate');
    net.heal();
    net.tickAll(3);
    expect(net.leaders()).toEqual([{ id: 1, term: 1 }]);
    expect(net.node(3).leader).toBe(1);
  });

  it('thesis §9.6 contrast: without PreVote the returning node forces a new election', () => {
    const net = new Network(3, { preVote: false, checkQuorum: false });
    net.elect(1);
    net.isolate(3);
    for (let i = 0; i < 10; i++) net.tickAll(12);
    expect(net.node(3).term).toBeGreaterThan(5);
    net.heal();
    net.tickAll(30);
    expect(net.node(1).term).toBeGreaterThan(5); // the cluster had to move to the isolated node's term
  });

  it('thesis §9.6: a pre-candidate that a majority refuses goes back to follower, term unchanged', () => {
    const net = new Network(3, preVoteOnly);
    net.preload(2, [1, 1], 1);
    net.preload(3, [1, 1], 1);
    net.preload(1, [], 1);
    net.node(1).campaign(); // empty log: both refuse
    net.deliverAll();
    expect(net.node(1).role).toBe('follower');
    expect(net.node(1).term).toBe(1);
    expect(net.explained('electionLost', 1)[0]).toMatchObject({ preVote: true, rejecters: [2, 3] });
  });

  it('thesis §9.6: a pre-vote is refused while the voter heard from a leader within the election timeout', () => {
    const net = new Network(3, preVoteOnly);
    net.elect(1);
    net.partition([1], [2]);
    net.tick(2, 11); // S2 misses the leader and pre-campaigns; S3 still hears from S1
    net.deliverAll();
    expect(net.explained('voteRefused', 3).at(-1)).toMatchObject({ reason: 'leaderLease', preVote: true, leader: 1 });
    expect(net.node(3).term).toBe(1);
    expect(net.node(2).term).toBe(1);
  });
});
