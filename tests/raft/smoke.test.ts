// End-to-end smoke test of the core: a 3-node cluster elects, replicates, commits, survives a restart.
import { describe, expect, it } from 'vitest';
import { Network } from './helpers.ts';

describe('RawNode smoke (Raft §5.2, §5.3)', () => {
  it('elects a leader by timeout, commits proposals everywhere, and a restarted node re-applies', () => {
    const net = new Network(3, { preVote: false, checkQuorum: false });
    net.tickAll(10); // S1's timeout is 10 ticks (fixedRandom(0)), the others' later
    expect(net.leaders()).toEqual([{ id: 1, term: 1 }]);
    expect(net.node(2).leader).toBe(1);

    expect(net.node(1).propose('a')).toEqual({ ok: true });
    expect(net.node(3).propose('b')).toEqual({ ok: true }); // forwarded to the leader
    net.deliverAll();
    net.tickAll(1); // heartbeat carries the final commit index
    for (const id of net.ids) {
      expect(net.applied.get(id)!.map((e) => e.data)).toEqual([null, 'a', 'b']);
      expect(net.node(id).commit).toBe(3);
    }

    net.crash(2);
    const restarted = net.restart(2);
    expect(restarted.term).toBe(1);
    expect(restarted.commit).toBe(3);
    expect(restarted.role).toBe('follower');
    expect(net.applied.get(2)!.map((e) => e.data)).toEqual([null, 'a', 'b']);
  });

  it('works with PreVote and CheckQuorum on (the defaults)', () => {
    const net = new Network(5);
    net.tickAll(10);
    expect(net.leaders()).toEqual([{ id: 1, term: 1 }]);
    for (let i = 0; i < 20; i++) net.node(1).propose(`x${i}`);
    net.deliverAll();
    net.tickAll(3);
    for (const id of net.ids) expect(net.node(id).commit).toBe(21);
    expect(net.leaders()).toEqual([{ id: 1, term: 1 }]);
  });
});
