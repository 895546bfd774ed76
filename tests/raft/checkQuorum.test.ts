// CheckQuorum (thesis §6.2) and the follower-side leader lease (thesis §4.2.3). Stepping down and the ignored
// vote request are transcripts: testdata/checkquorum.txt.
import { describe, expect, it } from 'vitest';
import { Network } from './helpers.ts';

const cq = { preVote: false, checkQuorum: true };

describe('thesis §6.2 CheckQuorum', () => {
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
