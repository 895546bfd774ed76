// Linearizable reads (thesis §6.4): ReadIndex, the new leader's wait, follower reads, lease reads (§6.4.1).
// The ReadIndex round itself is a transcript: testdata/readindex.txt.
import { describe, expect, it } from 'vitest';
import { defaultRaftConfig } from '../../src/raft/index.ts';
import { Network, fixedRandom, msg } from './helpers.ts';
import { electAmong } from './scenarios.ts';

const safe = { preVote: false, checkQuorum: true, readOnly: 'safe' as const };
const lease = { preVote: false, checkQuorum: true, readOnly: 'lease' as const };

describe('thesis §6.4 reads', () => {
  it('thesis §6.4: a leader cut off from the majority cannot confirm a read, and fails it when it steps down', () => {
    const net = new Network(3, safe);
    net.elect(1);
    net.isolate(1);
    net.node(1).readIndex('r');
    net.deliverAll();
    expect(net.readStates.get(1)).toEqual([]);
    net.tick(1, 20); // CheckQuorum deposes it
    expect(net.node(1).role).toBe('follower');
    expect(net.readFailures.get(1)).toEqual([{ context: 'r', reason: 'leadership lost' }]);
  });

  it('thesis §6.4: a new leader serves reads only after committing an entry of its own term', () => {
    const net = new Network(3, { ...safe, checkQuorum: false }); // no lease, so S2 can take over at once
    net.elect(1);
    net.node(1).propose('a');
    net.deliverAll();
    net.tickAll(1);
    electAmong(net, 2); // S2 leads term 2; its empty entry is not yet replicated
    expect(net.node(2).role).toBe('leader');
    net.node(2).readIndex('r');
    net.flush();
    expect(net.take(msg('MsgHeartbeat', 2))).toEqual([]); // no read round yet: commit index may be stale
    net.deliverAll(); // the empty entry commits, then the round runs
    expect(net.readStates.get(2)).toEqual([{ context: 'r', index: 3 }]);
  });

  it('thesis §6.4: a follower asks the leader and learns the read index', () => {
    const net = new Network(3, safe);
    net.elect(1);
    net.node(2).readIndex('f');
    const [req] = net.take(msg('MsgReadIndex', 2, 1));
    expect(req).toMatchObject({ context: 'f' });
    net.deliver(req);
    net.deliverAll();
    expect(net.readStates.get(2)).toEqual([{ context: 'f', index: 1 }]);
    expect(net.readStates.get(1)).toEqual([]);
    expect(net.explained('readConfirmed', 1)[0]).toMatchObject({ requester: 2 });
  });

  it('thesis §6.4: with no known leader a read fails at once', () => {
    const net = new Network(3, safe);
    net.node(2).readIndex('x');
    net.flush();
    expect(net.readFailures.get(2)).toEqual([{ context: 'x', reason: 'no leader known' }]);
  });

  it('thesis §6.4: a follower fails its forwarded reads when its leader changes', () => {
    const net = new Network(3, safe);
    net.elect(1);
    net.node(3).readIndex('lost');
    net.drop(msg('MsgReadIndex'));
    net.tick(3, 10);
    net.elect(2);
    expect(net.readFailures.get(3)).toEqual([{ context: 'lost', reason: 'leader changed' }]);
  });

  it('thesis §6.4.1 lease: with a fresh majority acknowledgement the leader answers without a round', () => {
    const net = new Network(3, lease);
    net.elect(1);
    net.tickAll(1); // one acknowledged heartbeat round
    const before = net.sent.length;
    net.node(1).readIndex('fast');
    net.flush();
    expect(net.readStates.get(1)).toEqual([{ context: 'fast', index: 1 }]);
    expect(net.sent.length).toBe(before); // no messages
    expect(net.explained('readConfirmed', 1)[0]).toMatchObject({ via: 'lease' });
  });

  it('thesis §6.4.1 lease: once the acknowledgement is older than the election timeout minus a tick, reads need a round', () => {
    const net = new Network(3, lease);
    net.elect(1);
    net.tickAll(1);
    net.isolate(1);
    net.tick(1, 8); // 8 ticks since the acknowledged round was sent (electionTick 10): lease holds
    net.node(1).readIndex('still');
    net.flush();
    expect(net.readStates.get(1)).toEqual([{ context: 'still', index: 1 }]);
    net.tick(1, 1); // 9 = electionTick - 1: expired
    net.node(1).readIndex('expired');
    net.flush();
    expect(net.readStates.get(1)).toHaveLength(1);
    expect(net.explained('readConfirmed', 1)).toHaveLength(1);
  });

  it('thesis §6.4.1: lease reads are refused as a config error without CheckQuorum', () => {
    expect(() => defaultRaftConfig(1, [1, 2, 3], fixedRandom(0), { readOnly: 'lease', checkQuorum: false })).toThrow(
      /config\.readOnly 'lease' requires config\.checkQuorum/,
    );
  });

  it('thesis §6.4: a single-node leader confirms reads at once', () => {
    const net = new Network(1, safe);
    net.elect(1);
    net.node(1).readIndex('solo');
    net.flush();
    expect(net.readStates.get(1)).toEqual([{ context: 'solo', index: 1 }]);
  });
});
