// Raft §5.2 leader election: randomized timeouts, one vote per term, majorities, split votes.
import { describe, expect, it } from 'vitest';
import { RawNode, defaultRaftConfig } from '../../src/raft/index.ts';
import { Network, fixedRandom, msg } from './helpers.ts';
import { Prng } from '../../src/sim/index.ts';

const plain = { preVote: false, checkQuorum: false };

describe('§5.2 leader election', () => {
  it('§5.2: a follower that hears nothing for its election timeout becomes candidate in term + 1 and votes for itself', () => {
    const net = new Network(3, plain);
    net.tick(1, 9);
    expect(net.node(1).role).toBe('follower');
    net.tick(1);
    expect(net.node(1).role).toBe('candidate');
    expect(net.node(1).term).toBe(1);
    expect(net.node(1).vote).toBe(1);
    const reqs = net.take(msg('MsgVote', 1));
    expect(reqs.map((m) => m.to)).toEqual([2, 3]);
    expect(reqs[0]).toMatchObject({ term: 1, lastLogIndex: 0, lastLogTerm: 0, transfer: false });
    expect(net.explained('timerFired', 1)).toHaveLength(1);
  });

  it('§5.2: a candidate with votes from a majority becomes leader and announces itself', () => {
    const net = new Network(5, plain);
    net.node(1).campaign();
    const reqs = net.take(msg('MsgVote', 1));
    net.deliver(reqs[0]); // S2
    net.deliver(reqs[1]); // S3
    for (const r of net.take(msg('MsgVoteResp'))) net.deliver(r);
    expect(net.node(1).role).toBe('leader');
    expect(net.explained('electionWon', 1)[0]).toMatchObject({ term: 1, voters: [1, 2, 3] });
    // §5.2 "sends heartbeat messages to all of the other servers to establish its authority" (an append of its empty entry, §8).
    const apps = net.take(msg('MsgApp', 1));
    expect(apps.map((m) => m.to)).toEqual([2, 3, 4, 5]);
  });

  it('§5.2: without a majority the candidate does not win; rejections from a majority end the campaign', () => {
    const net = new Network(3, plain);
    net.preload(2, [1, 1]);
    net.preload(3, [1, 1]);
    net.node(1).campaign(); // S1's empty log is behind (§5.4.1): both refuse
    net.deliverAll();
    expect(net.node(1).role).toBe('follower');
    expect(net.explained('electionLost', 1)[0]).toMatchObject({ rejecters: [2, 3] });
  });

  it('§5.2: each server votes for at most one candidate per term, first come first served', () => {
    const net = new Network(3, plain);
    net.node(1).campaign();
    net.node(2).campaign();
    const toS3 = net.take((m) => m.type === 'MsgVote' && m.to === 3);
    net.deliver(toS3[0]); // S1's request first
    net.deliver(toS3[1]); // then S2's, same term
    const resps = net.take(msg('MsgVoteResp', 3));
    expect(resps.map((m) => [m.to, m.type === 'MsgVoteResp' && m.reject])).toEqual([[1, false], [2, true]]);
    expect(net.node(3).vote).toBe(1);
    expect(net.explained('voteRefused', 3)[0]).toMatchObject({ reason: 'alreadyVoted', votedFor: 1, candidate: 2 });
  });

  it('§5.2 / Figure 2: the vote is in the same Ready as the reply, so the host persists it before sending', () => {
    const a = new RawNode(defaultRaftConfig(1, [1, 2, 3], fixedRandom(0), plain));
    a.step({ type: 'MsgVote', from: 2, to: 1, term: 1, lastLogIndex: 0, lastLogTerm: 0, transfer: false });
    const rd = a.ready();
    expect(rd.hardState).toEqual({ term: 1, vote: 2, commit: 0 });
    expect(rd.messages).toEqual([{ type: 'MsgVoteResp', from: 1, to: 2, term: 1, reject: false }]);
  });

  it('§5.2: randomized election timeouts cover all of [ET, 2ET) and are re-drawn on every reset', () => {
    const et = 10;
    const node = new RawNode(defaultRaftConfig(1, [1, 2, 3], new Prng(7), { ...plain, electionTick: et }));
    const seen = new Set<number>();
    let previous = node.status().randomizedElectionTimeout;
    let changes = 0;
    for (let i = 0; i < 300; i++) {
      node.campaign(); // each campaign resets the timer and re-draws the timeout
      node.ready();
      node.advance();
      const t = node.status().randomizedElectionTimeout;
      expect(t).toBeGreaterThanOrEqual(et);
      expect(t).toBeLessThan(2 * et);
      if (t !== previous) changes++;
      previous = t;
      seen.add(t);
    }
    expect([...seen].sort((x, y) => x - y)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(changes).toBeGreaterThan(200);
  });

  it('§5.2: the timeout actually fires after the drawn number of ticks, no earlier', () => {
    const node = new RawNode(defaultRaftConfig(1, [1, 2, 3], fixedRandom(7), plain));
    const timeout = node.status().randomizedElectionTimeout;
    expect(timeout).toBe(17);
    for (let i = 0; i < timeout - 1; i++) node.tick();
    expect(node.role).toBe('follower');
    node.tick();
    expect(node.role).toBe('candidate');
  });

  it('§5.2: a split vote resolves: randomized timeouts make one candidate time out first in a later term', () => {
    const net = new Network(4, plain, (id) => new Prng(100 + id));
    // S1 and S3 campaign at once in term 1; S2 votes for S1, S4 for S3: 2 of 4 each, no majority.
    net.node(1).campaign();
    net.node(3).campaign();
    const reqs = net.take(msg('MsgVote'));
    for (const m of reqs) if ((m.from === 1 && m.to === 2) || (m.from === 3 && m.to === 4)) net.deliver(m);
    for (const m of reqs) if (!((m.from === 1 && m.to === 2) || (m.from === 3 && m.to === 4))) net.deliver(m);
    net.deliverAll();
    expect(net.leaders()).toEqual([]);
    // Each saw two refusals out of four: a majority is out of reach, so both give up the term.
    expect(net.explained('electionLost').map((e) => e.node).sort()).toEqual([1, 3]);
    expect(net.node(1).term).toBe(1);
    // Time passes: the candidates' timers were re-drawn, so one of them tries again first and wins.
    for (let i = 0; i < 40 && net.leaders().length === 0; i++) net.tickAll(1);
    const leaders = net.leaders();
    expect(leaders).toHaveLength(1);
    expect(leaders[0].term).toBeGreaterThanOrEqual(2);
  });

  it('§5.2: a candidate that receives an append from a leader of its term becomes follower', () => {
    const net = new Network(3, plain);
    net.node(1).campaign();
    net.node(2).campaign();
    const reqs = net.take(msg('MsgVote'));
    net.deliver(reqs.find((m) => m.from === 1 && m.to === 3)!);
    net.drop(msg('MsgVoteResp', 3, 2)); // none sent (S3 only voted for S1), keep the queue clean
    for (const m of net.take(msg('MsgVoteResp', 3, 1))) net.deliver(m);
    expect(net.node(1).role).toBe('leader');
    net.deliver(net.take(msg('MsgApp', 1, 2))[0]);
    expect(net.node(2).role).toBe('follower');
    expect(net.node(2).leader).toBe(1);
    expect(net.explained('steppedDown', 2)[0]).toMatchObject({ reason: 'leaderSeen', from: 1 });
  });

  it('§5.2: a single-node cluster elects itself and commits alone', () => {
    const net = new Network(1, plain);
    net.tick(1, 10);
    expect(net.node(1).role).toBe('leader');
    net.node(1).propose('solo');
    net.flush();
    expect(net.applied.get(1)!.map((e) => e.data)).toEqual([null, 'solo']);
  });

  it('§5.2: campaign() on a leader is a no-op', () => {
    const net = new Network(3, plain);
    net.elect(1);
    net.node(1).campaign();
    net.flush();
    expect(net.node(1).role).toBe('leader');
    expect(net.node(1).term).toBe(1);
  });
});
