/**
 * The logged requests a node proposed and waits on, and the attempts it refused. Two promises to a client live
 * here: a retry joins the wait for the copy already proposed rather than proposing again (de-duplication), and
 * a refusal means nothing happened, so a node never refuses what it proposed and never executes a copy of an
 * attempt it refused (docs/clients.md, "One attempt, one answer").
 */
import { encodeCommand, type Command, type Outcome } from '../../kv/index.ts';
import type { RawNode } from '../../raft/index.ts';
import type { NodeId } from '../../raft/types.ts';
import { attemptKey, sameWaiter, type HeldRequest, type Waiter } from './heldRequest.ts';
import { ERR_NOT_LEADER, ERR_NO_LEADER, type Refusal } from './messages.ts';
import type { NodeClock } from './nodeClock.ts';
import type { ServerOutbox } from './outbox.ts';

/** A logged request awaiting its apply; dropped after its deadline (its proposal may have been lost). */
interface PendingWrite {
  readonly waiters: Waiter[];
  deadlineMs: number;
  /** When, in which term and to which leader this node last proposed it. */
  proposedAtMs: number;
  proposedTerm: number;
  proposedLeader: NodeId;
}

export class ProposalTracker {
  /** Logged requests this node proposed or is waiting on, by `${session}#${id}`. */
  private readonly writes = new Map<string, PendingWrite>();
  /** Client attempts this node refused, by attemptKey, with the client's deadline (forgotten after it). */
  private readonly refusedAttempts = new Map<string, number>();

  constructor(
    private readonly raft: RawNode,
    private readonly clock: NodeClock,
    private readonly outbox: ServerOutbox,
    private readonly electionTimeoutMs: number,
    /** Keeps a request to try again once a leader is known. */
    private readonly hold: (request: HeldRequest) => void,
  ) {}

  /**
   * Proposes a command and waits for its apply; holds it when the core cannot take it now. A retry of a request
   * this node already proposed joins the wait instead of proposing again, unless the proposal may have been
   * lost: the term or the leader changed since, or (a follower's MsgProp can be dropped) it was proposed through
   * a leader more than two election timeouts ago. Proposing every retry would flood a slow cluster with copies
   * (applied once, but each one an entry to replicate), and a log growing faster than it commits never settles.
   */
  propose(request: HeldRequest, command: Command): void {
    const raft = this.raft;
    const key = `${command.clientId}#${command.requestId}`;
    const pending = this.writes.get(key);
    if (pending && pending.proposedTerm === raft.term && pending.proposedLeader === raft.leader
      && (raft.role === 'leader' || this.clock.nowMs - pending.proposedAtMs < 2 * this.electionTimeoutMs)) {
      this.wait(pending, request);
      return;
    }
    const outcome = raft.propose(encodeCommand(command));
    if (!outcome.ok) {
      if (outcome.reason === 'forwardingDisabled') {
        this.refuse(request, 'notLeader', `${ERR_NOT_LEADER} (leader is ${outcome.leader})`, outcome.leader);
      } else if (outcome.reason === 'noLeader' && request.requireLeader) {
        this.refuse(request, 'noLeader', ERR_NO_LEADER);
      } else {
        this.hold(request); // no leader yet, or a leadership transfer in progress: try again later
      }
      return;
    }
    const proposed = { proposedAtMs: this.clock.nowMs, proposedTerm: raft.term, proposedLeader: raft.leader };
    if (pending) {
      Object.assign(pending, proposed);
      this.wait(pending, request);
    } else {
      this.writes.set(key, { waiters: [request.waiter], deadlineMs: request.deadlineMs, ...proposed });
    }
  }

  /**
   * Refuses a request, which tells its client that nothing happened. So never one this node already proposed (an
   * earlier copy or attempt may still commit: it waits for that instead), and a later copy of the refused attempt
   * is not executed (wasRefused).
   */
  refuse(request: HeldRequest, refused: Refusal, error: string, leader = 0): void {
    const pending = this.writes.get(`${request.session}#${request.id}`);
    if (pending) {
      this.wait(pending, request);
      return;
    }
    if (request.attempt !== undefined) this.refusedAttempts.set(attemptKey(request.session, request.id, request.attempt), request.deadlineMs);
    this.outbox.refuse(request.waiter, refused, error, leader);
  }

  /** Whether this node refused this attempt (a copy of it the bus duplicated must not be executed). */
  wasRefused(session: string, id: number, attempt: number): boolean {
    return this.refusedAttempts.has(attemptKey(session, id, attempt));
  }

  /** A command applied: whoever waited on it here gets its outcome. */
  answerApplied(command: Command, outcome: Outcome<unknown>): void {
    if (command.clientId === '') return;
    const key = `${command.clientId}#${command.requestId}`;
    const pending = this.writes.get(key);
    if (!pending) return;
    this.writes.delete(key);
    for (const waiter of pending.waiters) this.outbox.respond(waiter, outcome);
  }

  /** Forgets waits and refusals whose client has given up. */
  dropStale(nowMs: number): void {
    for (const [key, write] of this.writes) if (write.deadlineMs <= nowMs) this.writes.delete(key);
    for (const [key, deadlineMs] of this.refusedAttempts) if (deadlineMs <= nowMs) this.refusedAttempts.delete(key);
  }

  /** One more waiter (or a later deadline) for a proposed request. */
  private wait(pending: PendingWrite, request: HeldRequest): void {
    pending.deadlineMs = Math.max(pending.deadlineMs, request.deadlineMs);
    if (!pending.waiters.some((w) => sameWaiter(w, request.waiter))) pending.waiters.push(request.waiter);
  }
}
