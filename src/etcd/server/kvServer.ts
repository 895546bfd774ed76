/**
 * The key-value server of one node: what etcd's EtcdServer does around its Raft node. It applies committed
 * entries to the node's replica (KvStateMachine), answers clients, and runs the leader's lease clock. It lives
 * next to the RawNode in the node runtime (in-process or in a Web Worker) and speaks only plain messages.
 *
 * - Writes (put, delete, txn, compact, grant, revoke) are proposed as commands `{clientId, requestId, request}`;
 *   the node that received the request answers when it applies the command (every replica applies every entry,
 *   so a follower learns its own proposal's outcome too). A retry reuses the request id and the state machine's
 *   exactly-once table applies it once (Raft thesis §6.3); a retry this node already proposed joins the wait
 *   (proposals.ts).
 * - Linearizable reads go through ReadIndex (thesis §6.4; or the lease read, configured in the core) from any
 *   node: the read is served once the node has applied the read index (reads.ts). Serializable reads are served
 *   at once from the local replica, possibly stale.
 * - A node that knows no leader holds a request until it learns one (the client's timeout ends the wait); with
 *   `requireLeader` it refuses at once with "etcdserver: no leader" (etcd's WithRequireLeader).
 * - Leases: a follower forwards every lease request to the leader (etcd's leasehttp). The leader proposes grants
 *   and revokes through Raft and answers keepalives alone, outside the log (leaseRequests.ts). Its lease clock
 *   (leaderLeaseClock.ts) is promoted when it applies the first entry of its own term and demoted as soon as it
 *   stops leading. An expired lease is revoked by a proposal, never locally.
 * - Watches: a node's watchers see the entries it applies, in order (watchStreams.ts).
 *
 * This file is the dispatcher: it takes requests and messages on, holds what must wait for a leader, and wires
 * the parts together. Time is the node's own clock (nodeClock.ts).
 */
import { KvStateMachine, minLeaseTtlMsFor } from '../../kv/index.ts';
import type { RawNode } from '../../raft/index.ts';
import type { Entry, LogIndex, NodeId, RandomSource, ReadFailure, ReadState } from '../../raft/types.ts';
import { EntryApplier } from './entryApplier.ts';
import type { HeldRequest } from './heldRequest.ts';
import { InstanceNames } from './instanceNames.ts';
import { LeaderLeaseClock } from './leaderLeaseClock.ts';
import { LeaseNotes } from './leaseNotes.ts';
import { LeaseRequests } from './leaseRequests.ts';
import { ERR_NO_LEADER, isLeaseOp, type ClientRequestMsg, type KvBusMsg, type KvStepOutput, type LeaseForwardMsg } from './messages.ts';
import { NodeClock } from './nodeClock.ts';
import { ServerOutbox } from './outbox.ts';
import { ProposalTracker } from './proposals.ts';
import { LinearizableReads } from './reads.ts';
import { WatchStreams } from './watchStreams.ts';

/** Settings of a node's key-value server. */
export interface KvServerOptions {
  readonly nodeId: NodeId;
  /** Virtual ms per tick of the node's clock. */
  readonly tickMs: number;
  /** The base election timeout: the extension a new leader gives every lease (etcd's Promote(ElectionTimeout())). */
  readonly electionTimeoutMs: number;
  /**
   * The source lease ids are drawn from (kept apart from the core's, so grants do not move elections). The host
   * builds it from `randomSeed`.
   */
  readonly random: RandomSource;
  /** The seed of `random`: it also names this server's read contexts and watch streams (with `incarnation`). */
  readonly randomSeed: number;
  /**
   * Which life of the node this server belongs to (NodeInit.incarnation): 1 at the first start, counted up at every
   * restart. Read contexts and watch stream instances carry it, so they never repeat across restarts. Default 1.
   */
  readonly incarnation?: number;
  /**
   * A restarted node re-applies its log up to the commit index it persisted: those entries' lease changes were
   * already reported (by its earlier life), so they are applied silently. 0 for a fresh node.
   */
  readonly reappliedThroughIndex?: LogIndex;
}

export class KvServer {
  readonly machine: KvStateMachine;
  private readonly clock: NodeClock;
  private readonly outbox: ServerOutbox;
  private readonly proposals: ProposalTracker;
  private readonly reads: LinearizableReads;
  private readonly leaseRequests: LeaseRequests;
  private readonly leaseClock: LeaderLeaseClock;
  private readonly watchStreams: WatchStreams;
  private readonly applier: EntryApplier;
  /** Requests held until a leader is known (or the leader's lessor is promoted). */
  private held: HeldRequest[] = [];

  constructor(private readonly raft: RawNode, options: KvServerOptions) {
    const { nodeId, electionTimeoutMs } = options;
    const machine = new KvStateMachine({ minLeaseTtlMs: minLeaseTtlMsFor(electionTimeoutMs) });
    const clock = new NodeClock(options.tickMs);
    const outbox = new ServerOutbox(nodeId, raft);
    const names = new InstanceNames(nodeId, options.incarnation ?? 1, options.randomSeed);
    const hold = (request: HeldRequest): void => this.hold(request);
    const proposals = new ProposalTracker(raft, clock, outbox, electionTimeoutMs, hold);
    const leaseNotes = new LeaseNotes(nodeId, outbox);
    const leaseClock = new LeaderLeaseClock(raft, machine, clock, leaseNotes, nodeId, electionTimeoutMs);
    const watchStreams = new WatchStreams(nodeId, machine, names, outbox);
    this.machine = machine;
    this.clock = clock;
    this.outbox = outbox;
    this.proposals = proposals;
    this.reads = new LinearizableReads(raft, machine, names, outbox);
    this.leaseRequests = new LeaseRequests({
      nodeId, raft, machine, clock, random: options.random, names, notes: leaseNotes, outbox, proposals, hold,
    });
    this.leaseClock = leaseClock;
    this.watchStreams = watchStreams;
    this.applier = new EntryApplier({
      nodeId, machine, clock, leaseClock, leaseNotes, watchStreams, proposals, reappliedThroughIndex: options.reappliedThroughIndex ?? 0,
    });
  }

  /** The node's own clock, in ms: the time of its last tick. */
  get nowMs(): number {
    return this.clock.nowMs;
  }

  /** One tick of the node's clock: lease expiry (leader), held requests retried, stale waits dropped. */
  tick(): void {
    this.clock.tick();
    this.leaseClock.expireLeases();
    this.retryHeld();
    this.dropStale();
  }

  /** A key-value message from the bus. */
  receive(msg: KvBusMsg): void {
    switch (msg.type) {
      case 'ClientRequest':
        this.onClientRequest(msg);
        break;
      case 'MsgLeaseForward':
        this.onLeaseForward(msg);
        break;
      case 'MsgLeaseForwardResp':
        this.leaseRequests.relayAnswer(msg);
        break;
      default:
        break; // messages for clients never reach a node
    }
  }

  /** Applies the committed entries of a Ready batch, in order, and answers whoever waited for them. */
  applyCommitted(entries: readonly Entry[]): void {
    for (const entry of entries) this.applier.apply(entry);
    this.reads.serveConfirmed();
  }

  /** ReadIndex answers from a Ready batch: a linearizable read's, or a keepalive's leadership check's. */
  onReads(readStates: readonly ReadState[], readFailures: readonly ReadFailure[]): void {
    for (const rs of readStates) {
      if (!this.leaseRequests.renewConfirmed(rs.context)) this.reads.confirm(rs.context, rs.index);
    }
    // A read the core could not confirm (no leader, leadership lost) waits for the next leader; a keepalive is
    // retried where the leader now is.
    for (const rf of readFailures) {
      const held = this.leaseRequests.takeFailedCheck(rf.context) ?? this.reads.takeFailed(rf.context);
      if (held) this.hold(held);
    }
    this.reads.serveConfirmed();
  }

  /** After every step: a node that no longer leads stops expiring leases (etcd lessor.Demote). */
  afterStep(): void {
    this.leaseClock.demoteUnlessLeading();
  }

  /** Takes what the server produced since the last call, or undefined when nothing. */
  takeOutput(): KvStepOutput | undefined {
    return this.outbox.take(this.machine.revision);
  }

  private onClientRequest(msg: ClientRequestMsg): void {
    // A copy of an attempt this node refused (the bus duplicated it) is not executed: the client took the refusal
    // as proof that nothing happened and ended the operation failed (docs/clients.md, "One attempt, one answer").
    if (this.proposals.wasRefused(msg.session, msg.id, msg.attempt)) return;
    this.dispatch({
      session: msg.session, id: msg.id, attempt: msg.attempt, op: msg.op, waiter: { kind: 'client', client: msg.from, id: msg.id },
      requireLeader: msg.requireLeader, timeoutMs: msg.timeoutMs, deadlineMs: this.clock.nowMs + msg.timeoutMs,
    });
  }

  private onLeaseForward(msg: LeaseForwardMsg): void {
    // A node that no longer leads drops it: the follower's client retries or times out.
    if (this.raft.role !== 'leader') return;
    this.dispatch({
      session: msg.session, id: msg.id, op: msg.op, waiter: { kind: 'peer', node: msg.from, client: msg.client, id: msg.id },
      requireLeader: false, timeoutMs: msg.timeoutMs, deadlineMs: this.clock.nowMs + msg.timeoutMs,
    });
  }

  /** Takes a request on: serves, proposes, forwards or holds it. */
  private dispatch(request: HeldRequest): void {
    const leader = this.raft.leader;
    const op = request.op;
    // Served from this node alone: they need no leader (unless the client requires one, as etcd's interceptor
    // refuses every request of a WithRequireLeader client on a leaderless member).
    const local = (op.do === 'get' && op.serializable === true) || op.do === 'watch' || op.do === 'cancelWatch' || op.do === 'watchProgress';
    const bookkeeping = op.do === 'cancelWatch' || op.do === 'watchProgress';
    if (leader === 0 && request.requireLeader && !bookkeeping) {
      this.proposals.refuse(request, 'noLeader', ERR_NO_LEADER);
      return;
    }
    if (!local && leader === 0) {
      this.hold(request);
      return;
    }
    switch (op.do) {
      case 'get': {
        const { do: _do, serializable, ...get } = op;
        if (serializable) this.outbox.respond(request.waiter, this.machine.get(get));
        else this.reads.start(request, get);
        return;
      }
      case 'watch':
        this.watchStreams.open(request, op);
        return;
      case 'cancelWatch':
        this.watchStreams.cancel(request, op.stream);
        return;
      case 'watchProgress':
        this.watchStreams.progress(request, op.stream);
        return;
      default:
        break;
    }
    if (isLeaseOp(op)) {
      this.leaseRequests.take(request, op);
      return;
    }
    this.proposals.propose(request, { clientId: request.session, requestId: request.id, request: op });
  }

  private hold(request: HeldRequest): void {
    this.held.push(request);
  }

  /** Held requests go again once a leader is known (one attempt per tick). */
  private retryHeld(): void {
    if (this.held.length === 0 || this.raft.leader === 0) return;
    const held = this.held;
    this.held = [];
    for (const request of held) {
      if (request.deadlineMs > this.clock.nowMs) this.dispatch(request);
    }
  }

  /** Forgets waits whose client has given up. */
  private dropStale(): void {
    const now = this.clock.nowMs;
    if (this.held.length > 0) this.held = this.held.filter((r) => r.deadlineMs > now);
    this.proposals.dropStale(now);
    this.leaseRequests.dropStale(now);
    this.reads.dropStale(now);
  }
}
