/**
 * What a node's key-value server sends, in the order it produced it: answers to clients and to forwarding
 * followers, watch events, lease messages, and the `lease` notes for the trace. One queue for all of them, so the
 * bus sees them in the order the server acted.
 */
import type { Outcome, Revision } from '../../kv/index.ts';
import type { RawNode } from '../../raft/index.ts';
import type { NodeId } from '../../raft/types.ts';
import type { Waiter } from './heldRequest.ts';
import type { KvBusMsg, KvStepOutput, LeaseNote, Refusal } from './messages.ts';

export class ServerOutbox {
  private messages: KvBusMsg[] = [];
  private notes: LeaseNote[] = [];

  constructor(private readonly nodeId: NodeId, private readonly raft: RawNode) {}

  send(msg: KvBusMsg): void {
    this.messages.push(msg);
  }

  note(note: LeaseNote): void {
    this.notes.push(note);
  }

  /** Answers whoever waits, with this node's term in the result's header. */
  respond(waiter: Waiter, outcome: Outcome<unknown>): void {
    const raft = this.raft;
    const answer = outcome.ok ? { ok: true as const, result: withRaftTerm(outcome.result, raft.term) } : outcome;
    if (waiter.kind === 'peer') {
      this.messages.push({ type: 'MsgLeaseForwardResp', from: this.nodeId, to: waiter.node, term: raft.term, client: waiter.client, id: waiter.id, outcome: answer });
    } else {
      this.messages.push({ type: 'ClientResponse', from: this.nodeId, to: waiter.client, id: waiter.id, outcome: answer });
    }
  }

  /** Tells a client its request was not taken on (ProposalTracker.refuse decides when that is true). */
  refuse(waiter: Waiter, refused: Refusal, error: string, leader = 0): void {
    if (waiter.kind === 'peer') return; // only followers refuse, and leaders never forward
    this.messages.push({ type: 'ClientResponse', from: this.nodeId, to: waiter.client, id: waiter.id, outcome: { ok: false, error }, refused, leader });
  }

  /** Takes what was produced since the last call, or undefined when nothing. */
  take(revision: Revision): KvStepOutput | undefined {
    if (this.messages.length === 0 && this.notes.length === 0) return undefined;
    const output: KvStepOutput = { messages: this.messages, leases: this.notes, revision };
    this.messages = [];
    this.notes = [];
    return output;
  }
}

/** The result with the answering node's term added to its header (etcd's ResponseHeader.raft_term). */
function withRaftTerm(result: unknown, term: number): unknown {
  const fields = result as { header?: { revision: number } };
  if (!fields || typeof fields !== 'object' || !fields.header) return result;
  return { ...fields, header: { revision: fields.header.revision, raftTerm: term } };
}
