/**
 * Lease requests (grant, revoke, keepalive) as etcd's leasehttp serves them: a follower forwards every one to the
 * leader it knows and relays the answer; the leader proposes grants and revokes through Raft and answers a
 * keepalive alone, outside the log, once a ReadIndex round has confirmed that it still leads.
 */
import { drawLeaseId, proposedLeaseRequest, type KvStateMachine, type LeaseId } from '../../kv/index.ts';
import type { RawNode } from '../../raft/index.ts';
import type { NodeId, RandomSource, Term } from '../../raft/types.ts';
import type { HeldRequest } from './heldRequest.ts';
import type { InstanceNames } from './instanceNames.ts';
import type { LeaseNotes } from './leaseNotes.ts';
import type { ClientName, LeaseForwardMsg, LeaseForwardRespMsg } from './messages.ts';
import type { NodeClock } from './nodeClock.ts';
import type { ServerOutbox } from './outbox.ts';
import type { ProposalTracker } from './proposals.ts';

/** A follower's forwarded lease request awaiting the leader's answer. */
interface PendingForward {
  readonly client: ClientName;
  readonly id: number;
  readonly deadlineMs: number;
}

/** A keepalive awaiting the check that this node still leads in `term`. */
interface PendingKeepalive {
  readonly held: HeldRequest;
  readonly id: LeaseId;
  readonly term: Term;
}

/** What a lease request needs from the rest of the server. */
export interface LeaseRequestsDeps {
  readonly nodeId: NodeId;
  readonly raft: RawNode;
  readonly machine: KvStateMachine;
  readonly clock: NodeClock;
  /** The source lease ids are drawn from (kept apart from the core's, so grants do not move elections). */
  readonly random: RandomSource;
  readonly names: InstanceNames;
  readonly notes: LeaseNotes;
  readonly outbox: ServerOutbox;
  readonly proposals: ProposalTracker;
  /** Keeps a request to try again once a leader is known (or the leader's lessor is promoted). */
  readonly hold: (request: HeldRequest) => void;
}

export class LeaseRequests {
  /** Lease requests forwarded to the leader, by `${client}#${id}`. */
  private readonly forwards = new Map<string, PendingForward>();
  /** Keepalives awaiting the check that this node still leads (a ReadIndex round), by ReadIndex context. */
  private readonly keepalives = new Map<string, PendingKeepalive>();

  constructor(private readonly deps: LeaseRequestsDeps) {}

  /** The leader serves a lease request, a follower forwards it to the leader it knows. */
  take(request: HeldRequest, op: LeaseForwardMsg['op']): void {
    const { raft, nodeId } = this.deps;
    if (raft.role !== 'leader') {
      const client = request.waiter.client;
      this.forwards.set(`${client}#${request.id}`, { client, id: request.id, deadlineMs: request.deadlineMs });
      this.deps.outbox.send({
        type: 'MsgLeaseForward', from: nodeId, to: raft.leader, term: raft.term, client, session: request.session,
        id: request.id, op, timeoutMs: request.timeoutMs,
      });
      return;
    }
    switch (op.do) {
      case 'keepalive':
        this.checkLeadership(request, op.id);
        return;
      case 'grant': {
        const id = drawLeaseId(this.deps.random);
        const lease = proposedLeaseRequest({ do: 'grant', id, ttlMs: op.ttlMs }, nodeId, op.name);
        this.deps.proposals.propose(request, { clientId: request.session, requestId: request.id, request: lease });
        return;
      }
      case 'revoke': {
        const lease = proposedLeaseRequest({ do: 'revoke', id: op.id }, nodeId);
        this.deps.proposals.propose(request, { clientId: request.session, requestId: request.id, request: lease });
        return;
      }
    }
  }

  /** The leader's answer to a request this follower forwarded: relayed to the client, if it still waits. */
  relayAnswer(msg: LeaseForwardRespMsg): void {
    if (!this.forwards.delete(`${msg.client}#${msg.id}`)) return;
    this.deps.outbox.respond({ kind: 'client', client: msg.client, id: msg.id }, msg.outcome);
  }

  /**
   * Answers a keepalive whose leadership check (`context`) came back: renewed if this node still leads in the
   * term it checked, else retried where the leader now is. False when `context` is no keepalive's.
   */
  renewConfirmed(context: string): boolean {
    const keepalive = this.keepalives.get(context);
    if (!keepalive) return false;
    this.keepalives.delete(context);
    const { held, id, term } = keepalive;
    const { raft, machine, outbox } = this.deps;
    if (raft.role !== 'leader' || raft.term !== term || !machine.lessor.isPrimary) {
      this.deps.hold(held);
      return true;
    }
    const renewed = machine.lessor.renew(id, this.deps.clock.leaseStartMs);
    if (renewed.ok) {
      this.deps.notes.note(id, 'renewed', renewed.result.ttlMs);
      outbox.respond(held.waiter, { ok: true, result: { header: { revision: machine.revision }, ttlMs: renewed.result.ttlMs } });
    } else {
      outbox.respond(held.waiter, renewed);
    }
    return true;
  }

  /** The leadership check `context` failed: its keepalive, to retry where the leader now is. */
  takeFailedCheck(context: string): HeldRequest | undefined {
    const keepalive = this.keepalives.get(context);
    if (!keepalive) return undefined;
    this.keepalives.delete(context);
    return keepalive.held;
  }

  /** Forgets forwards and keepalives whose client has given up. */
  dropStale(nowMs: number): void {
    for (const [key, forward] of this.forwards) if (forward.deadlineMs <= nowMs) this.forwards.delete(key);
    for (const [context, keepalive] of this.keepalives) if (keepalive.held.deadlineMs <= nowMs) this.keepalives.delete(context);
  }

  private checkLeadership(request: HeldRequest, id: LeaseId): void {
    if (!this.deps.machine.lessor.isPrimary) {
      // A new leader that has not applied an entry of its term yet: its lessor is not promoted (etcd waits too).
      this.deps.hold(request);
      return;
    }
    // etcd's LeaseRenew first confirms that this node still leads (ensureLeadership: a ReadIndex round to a
    // quorum). Without it a leader cut off from the majority, which does not know it yet (CheckQuorum off),
    // would keep renewing leases that the majority's new leader is about to expire.
    const context = this.deps.names.readContext('k');
    this.keepalives.set(context, { held: request, id, term: this.deps.raft.term });
    this.deps.raft.readIndex(context);
  }
}
