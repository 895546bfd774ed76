// Raft §5.1: terms as a logical clock; stale messages are rejected, newer terms make a node step down.
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/raft/index.ts';
import { Network, msg } from './helpers.ts';

const plain = { preVote: false, checkQuorum: false };

describe('§5.1 terms and stale messages', () => {
  it('§5.1: a node that sees a higher term adopts it, clears its vote and becomes follower', () => {
    const net = new Network(3, plain);
    net.elect(1);
    expect(net.node(1).role).toBe('leader');
    const hb: Message = { type: 'MsgHeartbeat', from: 2, to: 1, term: 5, commit: 0, readRound: 0 };
    net.node(1).step(hb);
    net.flush();
    expect(net.node(1).role).toBe('follower');
    expect(net.node(1).term).toBe(5);
    expect(net.node(1).vote).toBe(0);
    expect(net.node(1).leader).toBe(2);
    expect(net.explained('steppedDown', 1)).toEqual([{ kind: 'steppedDown', node: 1, term: 5, reason: 'higherTerm', from: 2 }]);
    // The new term is persisted.
    expect(net.disks.get(1)!.hardState.term).toBe(5);
  });

  it('§5.1: a candidate that sees a higher-term vote request steps down and may vote in the new term', () => {
    const net = new Network(3, plain);
    net.node(1).campaign();
    net.drop();
    expect(net.node(1).role).toBe('candidate');
    net.deliver({ type: 'MsgVote', from: 2, to: 1, term: 4, lastLogIndex: 0, lastLogTerm: 0, transfer: false });
    expect(net.node(1).role).toBe('follower');
    expect(net.node(1).term).toBe(4);
    expect(net.node(1).vote).toBe(2);
  });

  it('§5.1: a message with a stale term is ignored and explained', () => {
    const net = new Network(3, plain);
    net.elect(1);
    net.elect(2); // term 2: S2 leads
    expect(net.node(1).term).toBe(2);
    const stale: Message = { type: 'MsgApp', from: 3, to: 1, term: 1, prevLogIndex: 0, prevLogTerm: 0, entries: [], commit: 0 };
    net.deliver(stale);
    expect(net.node(1).leader).toBe(2);
    expect(net.node(1).term).toBe(2);
    expect(net.explained('staleMessageIgnored', 1).at(-1)).toMatchObject({ from: 3, msgType: 'MsgApp', msgTerm: 1, term: 2 });
    expect(net.take()).toEqual([]); // without CheckQuorum/PreVote no answer goes back
  });

  it('§5.1: a stale vote request is refused with our term so the candidate learns it', () => {
    const net = new Network(3, plain);
    net.elect(1);
    net.elect(2);
    net.deliver({ type: 'MsgVote', from: 3, to: 1, term: 1, lastLogIndex: 9, lastLogTerm: 1, transfer: false });
    const [resp] = net.take(msg('MsgVoteResp', 1, 3));
    expect(resp).toMatchObject({ reject: true, term: 2 });
    expect(net.explained('voteRefused', 1).at(-1)).toMatchObject({ reason: 'staleTerm', myTerm: 2, candidate: 3 });
  });

  it('§5.1 with CheckQuorum: a stale leader is answered so it learns the newer term and steps down', () => {
    const net = new Network(3, { preVote: false, checkQuorum: true });
    net.elect(1);
    net.isolate(1);
    // S3 heard from S1 just now: its lease makes it ignore votes until an election timeout has passed.
    net.tick(3, 10);
    net.elect(2);
    expect(net.node(2).role).toBe('leader');
    net.heal();
    // S1 still believes it leads term 1; its heartbeat gets an answer carrying term 2.
    net.tick(1);
    net.deliverAll();
    expect(net.node(1).role).toBe('follower');
    expect(net.node(1).term).toBe(2);
  });

  it('§5.1: messages addressed to another node, or from a non-member, are ignored', () => {
    const net = new Network(3, plain);
    net.deliver({ type: 'MsgHeartbeat', from: 2, to: 3, term: 7, commit: 0, readRound: 0 } as Message);
    // deliver() routes by `to`, so hand it to S1 directly:
    net.node(1).step({ type: 'MsgHeartbeat', from: 2, to: 3, term: 7, commit: 0, readRound: 0 });
    net.node(1).step({ type: 'MsgHeartbeat', from: 9, to: 1, term: 7, commit: 0, readRound: 0 });
    net.flush();
    expect(net.node(1).term).toBe(0);
    expect(net.explained('foreignMessageIgnored', 1)).toHaveLength(2);
  });

  it('§5.1: the term never decreases, over a run with many elections', () => {
    const net = new Network(5, plain);
    const last = new Map<number, number>();
    for (let round = 0; round < 10; round++) {
      net.elect((round % 5) + 1);
      for (const id of net.ids) {
        const t = net.node(id).term;
        expect(t).toBeGreaterThanOrEqual(last.get(id) ?? 0);
        last.set(id, t);
      }
    }
    expect(net.node(1).term).toBe(10);
  });
});
