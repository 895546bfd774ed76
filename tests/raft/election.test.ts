// Raft §5.2 leader election: randomized timeouts, one vote per term, majorities, split votes. The step-by-step
// scenarios (timeout to candidate, one vote per term, a majority wins, an append ends a campaign) are transcripts:
// testdata/election.txt and testdata/election-majority.txt.
import { describe, expect, it } from 'vitest';
import { RawNode, defaultRaftConfig } from '../../src/raft/index.ts';
import { Network, fixedRandom, msg } from './helpers.ts';
import { Prng } from '../../src/sim/index.ts';

const plain = { preVote: false, checkQuorum: false };

describe('§5.2 leader election', () => {
  it('§5.2: without a majority the candidate does not win; rejections from a majority end the campaign', () => {
    const net = new Network(3, plain);
    net.preload(2, [1, 1]);
    net.preload(3, [1, 1]);
    net.node(1).campaign(); // S1's empty log is behind (§5.4.1): both refuse
    net.deliverAll();
    expect(net.node(1).role).toBe('follower');
    expect(net.explained('electionLost', 1)[0]).toMatchObject({ rejecters: [2, 3] });
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
