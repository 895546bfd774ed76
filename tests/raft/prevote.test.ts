// PreVote (thesis §9.6): a would-be candidate first asks whether it could win, without touching its term.
// The message-by-message scenarios are in testdata/prevote.txt.
import { describe, expect, it } from 'vitest';
import { Network } from './helpers.ts';

const preVoteOnly = { preVote: true, checkQuorum: false };

describe('thesis §9.6 PreVote', () => {
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

});
