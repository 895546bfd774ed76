import { describe, expect, it } from 'vitest';
import type { Command } from '../../../src/kv/index.ts';
import type { ProposeOutcome, RawNode } from '../../../src/raft/index.ts';
import type { HeldRequest } from '../../../src/etcd/server/heldRequest.ts';
import { NodeClock } from '../../../src/etcd/server/nodeClock.ts';
import { ServerOutbox } from '../../../src/etcd/server/outbox.ts';
import { ProposalTracker } from '../../../src/etcd/server/proposals.ts';

/** The part of a RawNode the proposal tracker reads: who leads, in which term, and what it was handed. */
function fakeRaft(): { raft: RawNode; proposed: string[]; state: { role: string; term: number; leader: number; outcome: ProposeOutcome } } {
  const proposed: string[] = [];
  const state = { role: 'follower', term: 1, leader: 2, outcome: { ok: true } as ProposeOutcome };
  const raft = {
    get role() { return state.role; },
    get term() { return state.term; },
    get leader() { return state.leader; },
    propose(data: string) { proposed.push(data); return state.outcome; },
  } as unknown as RawNode;
  return { raft, proposed, state };
}

function request(attempt: number, deadlineMs = 1000): HeldRequest {
  return {
    session: 'c', id: 7, attempt, op: { do: 'put', key: 'k', value: 'v' }, waiter: { kind: 'client', client: 'c', id: 7 },
    requireLeader: false, timeoutMs: deadlineMs, deadlineMs,
  };
}

const command: Command = { clientId: 'c', requestId: 7, request: { do: 'put', key: 'k', value: 'v' } };

function tracker() {
  const { raft, proposed, state } = fakeRaft();
  const clock = new NodeClock(10);
  const outbox = new ServerOutbox(1, raft);
  const held: HeldRequest[] = [];
  const proposals = new ProposalTracker(raft, clock, outbox, 100, (r) => held.push(r));
  return { proposals, proposed, state, clock, outbox, held };
}

describe('proposal de-duplication', () => {
  it('a retry through the same leader in the same term joins the wait instead of proposing again', () => {
    const { proposals, proposed, outbox } = tracker();
    proposals.propose(request(1), command);
    proposals.propose(request(2), command);
    expect(proposed).toHaveLength(1);
    proposals.answerApplied(command, { ok: true, result: { header: { revision: 2 } } });
    // One waiter (the same client and id), answered once.
    expect(outbox.take(2)?.messages).toEqual([
      { type: 'ClientResponse', from: 1, to: 'c', id: 7, outcome: { ok: true, result: { header: { revision: 2, raftTerm: 1 } } } },
    ]);
  });

  it('proposes again after the term changed, or through a leader after two election timeouts', () => {
    const { proposals, proposed, state, clock } = tracker();
    proposals.propose(request(1), command);
    state.term = 2;
    proposals.propose(request(2), command);
    expect(proposed).toHaveLength(2);
    for (let i = 0; i < 20; i++) clock.tick(); // 200 ms = 2 × the election timeout
    proposals.propose(request(3), command);
    expect(proposed).toHaveLength(3);
  });
});

describe('one attempt, one answer', () => {
  it('a refused attempt is remembered until its deadline, and refused only when nothing was proposed', () => {
    const { proposals, outbox } = tracker();
    proposals.refuse(request(1, 50), 'noLeader', 'etcdserver: no leader');
    expect(proposals.wasRefused('c', 7, 1)).toBe(true);
    expect(proposals.wasRefused('c', 7, 2)).toBe(false);
    expect(outbox.take(1)?.messages).toEqual([
      { type: 'ClientResponse', from: 1, to: 'c', id: 7, outcome: { ok: false, error: 'etcdserver: no leader' }, refused: 'noLeader', leader: 0 },
    ]);
    proposals.dropStale(50);
    expect(proposals.wasRefused('c', 7, 1)).toBe(false);
  });

  it('a request this node proposed is never refused: the refusal becomes a wait for the proposal', () => {
    const { proposals, outbox } = tracker();
    proposals.propose(request(1), command);
    proposals.refuse(request(2), 'noLeader', 'etcdserver: no leader');
    expect(proposals.wasRefused('c', 7, 2)).toBe(false);
    expect(outbox.take(1)).toBeUndefined();
  });

  it('holds a request the core cannot take now, and refuses it when the client requires a leader', () => {
    const { proposals, state, held, outbox } = tracker();
    state.outcome = { ok: false, reason: 'noLeader', leader: 0 };
    proposals.propose(request(1), command);
    expect(held).toHaveLength(1);
    proposals.propose({ ...request(2), requireLeader: true }, command);
    expect(held).toHaveLength(1);
    expect(outbox.take(1)?.messages[0]).toMatchObject({ refused: 'noLeader' });
  });
});
