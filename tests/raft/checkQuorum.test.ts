// CheckQuorum (thesis §6.2) and the follower-side leader lease (thesis §4.2.3).
import { describe, expect, it } from 'vitest';
import { Network, msg } from './helpers.ts';

const cq = { preVote: false, checkQuorum: true };

describe('thesis §6.2 CheckQuorum', () => {
  it('thesis §6.2: a leader that hears from no majority within an election timeout steps down', () => {
    const net = new Network(3, cq);
    net.elect(1);
    net.isolate(1);
    net.tick(1, 9);
    expect(net.node(1).role).toBe('leader');
    net.tick(1, 11); // the first check after isolation still counts the replies before it; the next fails
    expect(net.node(1).role).toBe('follower');
    expect(net.node(1).leader).toBe(0);
    expect(net.node(1).term).toBe(1); // stepping down does not change the term
    expect(net.explained('steppedDown', 1)).toEqual([{ kind: 'steppedDown', node: 1, term: 1, reason: 'quorumLost', active: [1] }]);
  });

  it('thesis §6.2: a leader in the majority side keeps leading', () => {
    const net = new Network(5, cq);
    net.elect(1);
    net.partition([1, 2, 3], [4, 5]);
    net.tickAll(50);
    expect(net.node(1).role).toBe('leader');
    expect(net.explained('steppedDown', 1)).toEqual([]);
  });

  it('contrast: without CheckQuorum an isolated leader believes it leads forever', () => {
    const net = new Network(3, { preVote: false, checkQuorum: false });
    net.elect(1);
    net.isolate(1);
    net.tick(1, 100);
    expect(net.node(1).role).toBe('leader');
  });

  it('thesis §4.2.3 lease: a follower that heard from the leader within the election timeout ignores a vote request', () => {
    const net = new Network(3, cq);
    net.elect(1);
    net.tick(3, 3);
    net.deliver({ type: 'MsgVote', from: 2, to: 3, term: 2, lastLogIndex: 9, lastLogTerm: 1, transfer: false });
    expect(net.node(3).term).toBe(1); // not even the term moved
    expect(net.take(msg('MsgVoteResp'))).toEqual([]); // ignored: no answer
    expect(net.explained('voteRefused', 3)[0]).toMatchObject({ reason: 'leaderLease', leader: 1, leaderHeardTicksAgo: 3 });
  });

  it('thesis §4.2.3 lease: after an election timeout of silence the follower votes again', () => {
    const net = new Network(3, cq);
    net.elect(1);
    net.isolate(1);
    net.tick(3, 10);
    net.deliver({ type: 'MsgVote', from: 2, to: 3, term: 2, lastLogIndex: 9, lastLogTerm: 1, transfer: false });
    expect(net.node(3).vote).toBe(2);
  });

  it('thesis §4.2.3 lease: a transfer campaign overrides the lease', () => {
    const net = new Network(3, cq);
    net.elect(1);
    net.deliver({ type: 'MsgVote', from: 2, to: 3, term: 2, lastLogIndex: 9, lastLogTerm: 1, transfer: true });
    expect(net.node(3).vote).toBe(2);
  });

  it('thesis §6.2: a node rejoining after a partition cannot depose a healthy leader', () => {
    const net = new Network(3, cq);
    net.elect(1);
    net.isolate(3);
    for (let i = 0; i < 5; i++) net.tickAll(12);
    const isolatedTerm = net.node(3).term;
    expect(isolatedTerm).toBeGreaterThan(1);
    net.heal();
    net.node(3).campaign(); // its vote requests reach followers inside the lease
    net.deliverAll();
    expect(net.node(1).role).toBe('leader');
    expect(net.node(2).leader).toBe(1);
  });
});
