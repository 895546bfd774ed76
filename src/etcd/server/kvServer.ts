/**
 * The key-value server of one node: what etcd's EtcdServer does around its Raft node. It applies committed
 * entries to the node's replica (KvStateMachine), answers clients, and runs the leader's lease clock. It lives
 * next to the RawNode in the node runtime (in-process or in a Web Worker) and speaks only plain messages.
 *
 * - Writes (put, delete, txn, compact, grant, revoke) are proposed as commands `{clientId, requestId, request}`;
 *   the node that received the request answers when it applies the command (every replica applies every entry,
 *   so a follower learns its own proposal's outcome too). A retry reuses the request id and the state machine's
 *   exactly-once table applies it once (Raft thesis §6.3).
 * - Linearizable reads go through ReadIndex (thesis §6.4; or the lease read, configured in the core) from any
 *   node: the read is served once the node has applied the read index. Serializable reads are served at once
 *   from the local replica, possibly stale.
 * - A node that knows no leader holds a request until it learns one (the client's timeout ends the wait); with
 *   `requireLeader` it refuses at once with "etcdserver: no leader" (etcd's WithRequireLeader).
 * - Leases: a follower forwards every lease request to the leader (etcd's leasehttp). The leader proposes grants
 *   and revokes through Raft and answers keepalives alone, outside the log. Its lease clock (Lessor) is promoted
 *   when it applies the first entry of its own term, which restarts every TTL plus an election timeout (etcd's
 *   applyEntryNormal → lessor.Promote), and demoted as soon as it stops leading. An expired lease is revoked by a
 *   proposal, never locally.
 * - Watches: a node's watchers see the entries it applies, in order; each client stream is numbered so the
 *   client can put messages back in order and notice a lost one.
 *
 * Time is the node's own clock: its tick count times tickMs (a lease clock needs only to be monotonic and to run
 * at the rate of real time, as etcd's does).
 */
import {
  KvStateMachine, WatchHub, drawLeaseId, encodeCommand, minLeaseTtlMsFor, validateCommand, type Command,
  type GetRequest, type KvRequest, type Outcome,
} from '../../kv/index.ts';
import type { RawNode } from '../../raft/index.ts';
import type { Entry, LogIndex, NodeId, RandomSource, ReadFailure, ReadState } from '../../raft/types.ts';
import {
  isLeaseOp, type ClientName, type ClientOp, type ClientRequestMsg, type KvBusMsg, type KvStepOutput, type LeaseForwardMsg,
  type LeaseNote, type Refusal,
} from './messages.ts';

/** etcd's errors for requests that never reached a leader. */
export const ERR_NO_LEADER = 'etcdserver: no leader';
export const ERR_NOT_LEADER = 'etcdserver: not leader';

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

/** Who waits for a request's answer on this node. */
type Waiter =
  | { readonly kind: 'client'; readonly client: ClientName; readonly id: number }
  /** A follower that forwarded a lease request: answer it, it relays to its client. */
  | { readonly kind: 'peer'; readonly node: NodeId; readonly client: ClientName; readonly id: number };

interface HeldRequest {
  readonly session: string;
  readonly id: number;
  /** The client's attempt (ClientRequestMsg.attempt); absent for a lease request a follower forwarded. */
  readonly attempt?: number;
  readonly op: ClientOp;
  readonly waiter: Waiter;
  readonly requireLeader: boolean;
  readonly timeoutMs: number;
  /** Local ms after which the request is dropped (its client has given up). */
  readonly deadlineMs: number;
}

interface PendingRead {
  readonly request: GetRequest;
  readonly waiter: Waiter;
  readonly held: HeldRequest;
}

interface ConfirmedRead extends PendingRead {
  readonly index: LogIndex;
}

/** A logged request awaiting its apply; dropped after its deadline (its proposal may have been lost). */
interface PendingWrite {
  readonly waiters: Waiter[];
  deadlineMs: number;
  /** When, in which term and to which leader this node last proposed it. */
  proposedAtMs: number;
  proposedTerm: number;
  proposedLeader: NodeId;
}

/** A follower's forwarded lease request awaiting the leader's answer. */
interface PendingForward {
  readonly client: ClientName;
  readonly id: number;
  readonly deadlineMs: number;
}

interface WatchStream {
  /** Names this opening of the stream: its messages carry it, so the client ignores an earlier opening's. */
  readonly instance: string;
  readonly client: ClientName;
  /** Number of the next events message. Invariant: messages 1..seq-1 were sent. */
  seq: number;
}

export class KvServer {
  readonly machine: KvStateMachine;
  private readonly watchers: WatchHub;
  private readonly random: RandomSource;
  /** The node's clock: ticks × tickMs since it (re)started. */
  private localMs = 0;
  /** Term in which the lessor was promoted; 0 when it is not primary. */
  private promotedTerm = 0;

  private out: KvBusMsg[] = [];
  private notes: LeaseNote[] = [];

  /** Logged requests this node proposed or is waiting on, by `${session}#${id}`. */
  private readonly writes = new Map<string, PendingWrite>();
  /** Requests held until a leader is known (or the leader's lessor is promoted). */
  private held: HeldRequest[] = [];
  /** Linearizable reads awaiting their read index, by ReadIndex context. */
  private readonly reads = new Map<string, PendingRead>();
  /** Keepalives awaiting the check that this node still leads (a ReadIndex round), by ReadIndex context. */
  private readonly keepalives = new Map<string, { readonly held: HeldRequest; readonly id: string; readonly term: number }>();
  /** Reads whose index is confirmed, awaiting apply. */
  private confirmed: ConfirmedRead[] = [];
  /** Read contexts are `r${instancePrefix}.${n}` (reads) and `k${instancePrefix}.${n}` (keepalive checks). */
  private nextReadContext = 1;
  /** Client attempts this node refused, by attemptKey, with the client's deadline (forgotten after it). */
  private readonly refusedAttempts = new Map<string, number>();
  /** Lease requests forwarded to the leader, by `${client}#${id}`. */
  private readonly forwards = new Map<string, PendingForward>();
  /** Lease names by id, from applied grants (replicated: every node knows them). */
  private readonly leaseNames = new Map<string, string>();
  /** Leases this node's lessor has reported expired in its current leadership. */
  private readonly reportedExpired = new Set<string>();
  private readonly streams = new Map<string, WatchStream>();
  /**
   * Names what this life of the node sends for a later answer: `${nodeId}:${incarnation}:${seed}`. Unique per
   * node and life: a restart counts the incarnation up (the seed, drawn anew at each start, is kept for servers
   * built without an incarnation). Stream instances are `${instancePrefix}.${n}`; read contexts add a letter. A
   * read context that restarted with the node let a read forwarded by an earlier life answer a new read with an
   * older read index: a stale linearizable read (issue 10, bug 1).
   */
  private readonly instancePrefix: string;
  private nextStreamInstance = 1;

  constructor(private readonly raft: RawNode, private readonly options: KvServerOptions) {
    this.machine = new KvStateMachine({ minLeaseTtlMs: minLeaseTtlMsFor(options.electionTimeoutMs) });
    this.watchers = new WatchHub(this.machine.store);
    this.random = options.random;
    this.instancePrefix = `${options.nodeId}:${options.incarnation ?? 1}:${options.randomSeed.toString(36)}`;
  }

  /** The node's own clock, in ms: the time of its last tick. */
  get nowMs(): number {
    return this.localMs;
  }

  /**
   * A time no earlier than now: between ticks the clock reads the last tick, up to tickMs behind. Lease TTLs
   * start from it (grant, keepalive, promotion), so a lease never expires before its TTL has really passed;
   * it may expire up to a tick late, which only favours its holder.
   */
  private get leaseStartMs(): number {
    return this.localMs + this.options.tickMs;
  }

  /** One tick of the node's clock: lease expiry (leader), held requests retried, stale waits dropped. */
  tick(): void {
    this.localMs += this.options.tickMs;
    this.expireLeases();
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
      case 'MsgLeaseForwardResp': {
        const key = `${msg.client}#${msg.id}`;
        if (!this.forwards.delete(key)) break;
        this.respond({ kind: 'client', client: msg.client, id: msg.id }, msg.outcome);
        break;
      }
      default:
        break; // messages for clients never reach a node
    }
  }

  /** Applies the committed entries of a Ready batch, in order, and answers whoever waited for them. */
  applyCommitted(entries: readonly Entry[]): void {
    for (const entry of entries) this.applyEntry(entry);
    this.serveConfirmedReads();
  }

  /** ReadIndex answers from a Ready batch. */
  onReads(readStates: readonly ReadState[], readFailures: readonly ReadFailure[]): void {
    for (const rs of readStates) {
      if (this.renewConfirmed(rs.context)) continue;
      const read = this.reads.get(rs.context);
      if (!read) continue;
      this.reads.delete(rs.context);
      this.confirmed.push({ ...read, index: rs.index });
    }
    // A read the core could not confirm (no leader, leadership lost) waits for the next leader.
    for (const rf of readFailures) {
      const keepalive = this.keepalives.get(rf.context);
      if (keepalive) {
        this.keepalives.delete(rf.context);
        this.hold(keepalive.held); // retried where the leader now is
        continue;
      }
      const read = this.reads.get(rf.context);
      if (!read) continue;
      this.reads.delete(rf.context);
      this.hold(read.held);
    }
    this.serveConfirmedReads();
  }

  /**
   * Answers a keepalive whose leadership check (`context`) came back: renewed if this node still leads in the
   * term it checked, else retried where the leader now is. False when `context` is no keepalive's.
   */
  private renewConfirmed(context: string): boolean {
    const keepalive = this.keepalives.get(context);
    if (!keepalive) return false;
    this.keepalives.delete(context);
    const { held, id, term } = keepalive;
    if (this.raft.role !== 'leader' || this.raft.term !== term || !this.machine.lessor.isPrimary) {
      this.hold(held);
      return true;
    }
    const renewed = this.machine.lessor.renew(id, this.leaseStartMs);
    if (renewed.ok) {
      this.notes.push({ node: this.options.nodeId, lease: this.leaseNames.get(id) ?? id, id, event: 'renewed', ttlMs: renewed.result.ttlMs });
      this.respond(held.waiter, { ok: true, result: { header: { revision: this.machine.revision }, ttlMs: renewed.result.ttlMs } });
    } else {
      this.respond(held.waiter, renewed);
    }
    return true;
  }

  /** After every step: a node that no longer leads stops expiring leases (etcd lessor.Demote). */
  afterStep(): void {
    if (this.promotedTerm !== 0 && (this.raft.role !== 'leader' || this.raft.term !== this.promotedTerm)) {
      this.machine.lessor.demote();
      this.promotedTerm = 0;
      this.reportedExpired.clear();
    }
  }

  /** Takes what the server produced since the last call, or undefined when nothing. */
  takeOutput(): KvStepOutput | undefined {
    if (this.out.length === 0 && this.notes.length === 0) return undefined;
    const output: KvStepOutput = { messages: this.out, leases: this.notes, revision: this.machine.revision };
    this.out = [];
    this.notes = [];
    return output;
  }

  // ---- requests ----

  private onClientRequest(msg: ClientRequestMsg): void {
    // A copy of an attempt this node refused (the bus duplicated it) is not executed: the client took the refusal
    // as proof that nothing happened and ended the operation failed (docs/clients.md, "One attempt, one answer").
    if (this.refusedAttempts.has(attemptKey(msg.session, msg.id, msg.attempt))) return;
    this.dispatch({
      session: msg.session, id: msg.id, attempt: msg.attempt, op: msg.op, waiter: { kind: 'client', client: msg.from, id: msg.id },
      requireLeader: msg.requireLeader, timeoutMs: msg.timeoutMs, deadlineMs: this.localMs + msg.timeoutMs,
    });
  }

  private onLeaseForward(msg: LeaseForwardMsg): void {
    // A node that no longer leads drops it: the follower's client retries or times out.
    if (this.raft.role !== 'leader') return;
    this.dispatch({
      session: msg.session, id: msg.id, op: msg.op, waiter: { kind: 'peer', node: msg.from, client: msg.client, id: msg.id },
      requireLeader: false, timeoutMs: msg.timeoutMs, deadlineMs: this.localMs + msg.timeoutMs,
    });
  }

  /** Takes a request on: serves, proposes, forwards or holds it. */
  private dispatch(request: HeldRequest): void {
    const raft = this.raft;
    const op = request.op;
    // Served from this node alone: they need no leader (unless the client requires one, as etcd's interceptor
    // refuses every request of a WithRequireLeader client on a leaderless member).
    const local = (op.do === 'get' && op.serializable === true) || op.do === 'watch' || op.do === 'cancelWatch' || op.do === 'watchProgress';
    const bookkeeping = op.do === 'cancelWatch' || op.do === 'watchProgress';
    if (raft.leader === 0 && request.requireLeader && !bookkeeping) {
      this.refuseRequest(request, 'noLeader', ERR_NO_LEADER);
      return;
    }
    if (!local && raft.leader === 0) {
      this.hold(request);
      return;
    }
    switch (op.do) {
      case 'get': {
        const { do: _do, serializable, ...get } = op;
        if (serializable) {
          this.respond(request.waiter, this.machine.get(get));
          return;
        }
        const context = `r${this.instancePrefix}.${this.nextReadContext++}`;
        this.reads.set(context, { request: get, waiter: request.waiter, held: request });
        raft.readIndex(context);
        return;
      }
      case 'watch': {
        // Every create opens the stream anew (a retried create, whose answer was lost, starts over from the asked
        // revision) under a fresh instance name: the client takes only the answered instance's messages.
        const { do: _do, stream, ...watch } = op;
        this.watchers.cancel(stream);
        this.streams.delete(stream);
        const created = this.watchers.watch(stream, watch);
        if (!created.ok) {
          this.respond(request.waiter, { ok: false, error: created.error });
          return;
        }
        const instance = `${this.instancePrefix}.${this.nextStreamInstance++}`;
        this.streams.set(stream, { instance, client: request.waiter.client, seq: 1 });
        this.respond(request.waiter, { ok: true, result: { header: created.header, events: created.events, instance } });
        return;
      }
      case 'cancelWatch':
        this.watchers.cancel(op.stream);
        this.streams.delete(op.stream);
        this.respond(request.waiter, { ok: true, result: { header: { revision: this.machine.revision } } });
        return;
      case 'watchProgress':
      {
        // Whether the stream still exists here, and (for the client to notice a lost last message) which
        // instance it is and the number its next message will have.
        const stream = this.streams.get(op.stream);
        const progress = stream ? { exists: true, instance: stream.instance, nextSeq: stream.seq } : { exists: false };
        this.respond(request.waiter, { ok: true, result: { header: { revision: this.machine.revision }, ...progress } });
      }
        return;
      default:
        break;
    }
    if (isLeaseOp(op)) {
      this.leaseRequest(request, op);
      return;
    }
    this.propose(request, commandOf(request, op));
  }

  /** Lease requests: the leader serves them, a follower forwards them to the leader it knows. */
  private leaseRequest(request: HeldRequest, op: Extract<ClientOp, { do: 'grant' | 'revoke' | 'keepalive' }>): void {
    const raft = this.raft;
    if (raft.role !== 'leader') {
      const client = request.waiter.client;
      this.forwards.set(`${client}#${request.id}`, { client, id: request.id, deadlineMs: request.deadlineMs });
      this.out.push({
        type: 'MsgLeaseForward', from: this.options.nodeId, to: raft.leader, term: raft.term, client, session: request.session,
        id: request.id, op, timeoutMs: request.timeoutMs,
      });
      return;
    }
    switch (op.do) {
      case 'keepalive': {
        if (!this.machine.lessor.isPrimary) {
          // A new leader that has not applied an entry of its term yet: its lessor is not promoted (etcd waits too).
          this.hold(request);
          return;
        }
        // etcd's LeaseRenew first confirms that this node still leads (ensureLeadership: a ReadIndex round to a
        // quorum). Without it a leader cut off from the majority, which does not know it yet (CheckQuorum off),
        // would keep renewing leases that the majority's new leader is about to expire.
        const context = `k${this.instancePrefix}.${this.nextReadContext++}`;
        this.keepalives.set(context, { held: request, id: op.id, term: raft.term });
        raft.readIndex(context);
        return;
      }
      case 'grant': {
        const id = drawLeaseId(this.random);
        this.propose(request, { clientId: request.session, requestId: request.id, request: leaseCommand({ do: 'grant', id, ttlMs: op.ttlMs }, this.options.nodeId, op.name) });
        return;
      }
      case 'revoke':
        this.propose(request, { clientId: request.session, requestId: request.id, request: leaseCommand({ do: 'revoke', id: op.id }, this.options.nodeId) });
        return;
    }
  }

  /**
   * Proposes a command and waits for its apply; holds it when the core cannot take it now. A retry of a request
   * this node already proposed joins the wait instead of proposing again, unless the proposal may have been
   * lost: the term or the leader changed since, or (a follower's MsgProp can be dropped) it was proposed through
   * a leader more than two election timeouts ago. Proposing every retry would flood a slow cluster with copies
   * (applied once, but each one an entry to replicate), and a log growing faster than it commits never settles.
   */
  private propose(request: HeldRequest, command: Command): void {
    const raft = this.raft;
    const key = `${command.clientId}#${command.requestId}`;
    const pending = this.writes.get(key);
    if (pending && pending.proposedTerm === raft.term && pending.proposedLeader === raft.leader
      && (raft.role === 'leader' || this.localMs - pending.proposedAtMs < 2 * this.options.electionTimeoutMs)) {
      this.wait(pending, request);
      return;
    }
    const outcome = raft.propose(encodeCommand(command));
    if (!outcome.ok) {
      if (outcome.reason === 'forwardingDisabled') {
        this.refuseRequest(request, 'notLeader', `${ERR_NOT_LEADER} (leader is ${outcome.leader})`, outcome.leader);
      } else if (outcome.reason === 'noLeader' && request.requireLeader) {
        this.refuseRequest(request, 'noLeader', ERR_NO_LEADER);
      } else {
        this.hold(request); // no leader yet, or a leadership transfer in progress: try again later
      }
      return;
    }
    const proposed = { proposedAtMs: this.localMs, proposedTerm: raft.term, proposedLeader: raft.leader };
    if (pending) {
      Object.assign(pending, proposed);
      this.wait(pending, request);
    } else {
      this.writes.set(key, { waiters: [request.waiter], deadlineMs: request.deadlineMs, ...proposed });
    }
  }

  /** One more waiter (or a later deadline) for a proposed request. */
  private wait(pending: PendingWrite, request: HeldRequest): void {
    pending.deadlineMs = Math.max(pending.deadlineMs, request.deadlineMs);
    if (!pending.waiters.some((w) => sameWaiter(w, request.waiter))) pending.waiters.push(request.waiter);
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
      if (request.deadlineMs > this.localMs) this.dispatch(request);
    }
  }

  /** Forgets waits whose client has given up. */
  private dropStale(): void {
    const now = this.localMs;
    if (this.held.length > 0) this.held = this.held.filter((r) => r.deadlineMs > now);
    for (const [key, write] of this.writes) if (write.deadlineMs <= now) this.writes.delete(key);
    for (const [key, forward] of this.forwards) if (forward.deadlineMs <= now) this.forwards.delete(key);
    for (const [key, deadlineMs] of this.refusedAttempts) if (deadlineMs <= now) this.refusedAttempts.delete(key);
    for (const [context, read] of this.reads) if (read.held.deadlineMs <= now) this.reads.delete(context);
    for (const [context, keepalive] of this.keepalives) if (keepalive.held.deadlineMs <= now) this.keepalives.delete(context);
    if (this.confirmed.length > 0) this.confirmed = this.confirmed.filter((r) => r.held.deadlineMs > now);
  }

  // ---- applying ----

  private applyEntry(entry: Entry): void {
    // Invariant: entries apply once each, in log order, with no gap (applied <= commit, Raft Figure 2).
    if (entry.index !== this.machine.appliedIndex + 1) {
      throw new Error(`KvServer.applyEntry: entry ${entry.index} follows applied index ${this.machine.appliedIndex}; entries apply in order without gaps`);
    }
    const data = entry.data;
    // Only commands change the replica; a leader's empty entry, a Raft-only scenario's plain strings and data that
    // is no command are no-ops, but every committed entry advances the applied index: a read confirmed at a new
    // leader's empty entry is served once that entry applies, not at the next write (issue 10, bug 3).
    if (data === null || data.charCodeAt(0) !== 0x7b /* { */ || !this.applyCommandData(entry, data)) {
      this.machine.applyEntryData(null, { index: entry.index, nowMs: this.leaseStartMs });
    }
    // etcd promotes the lessor when the new leader applies the first entry of its own term.
    const raft = this.raft;
    if (raft.role === 'leader' && entry.term === raft.term && this.promotedTerm !== raft.term) {
      this.machine.lessor.promote(this.leaseStartMs, this.options.electionTimeoutMs);
      this.promotedTerm = raft.term;
      this.reportedExpired.clear();
    }
  }

  /** Applies a command entry; false (nothing applied) when `data` is no command. */
  private applyCommandData(entry: Entry, data: string): boolean {
    let command: Command;
    let name: string | undefined;
    let proposer: unknown;
    try {
      const parsed = JSON.parse(data) as { request?: { name?: unknown; by?: unknown } };
      command = validateCommand(parsed);
      if (typeof parsed.request?.name === 'string') name = parsed.request.name;
      proposer = parsed.request?.by;
    } catch {
      return false; // not a command: applied as a no-op on every replica alike
    }
    const applied = this.machine.applyCommand(command, { index: entry.index, nowMs: this.leaseStartMs });
    const change = applied.leaseChange;
    if (change) {
      if (change.kind === 'granted' && name !== undefined) this.leaseNames.set(change.id, name);
      // Reported once, by the node that proposed the change (a duplicate or a revoke of a lease already gone
      // changes nothing, so it is never reported twice).
      if (proposer === this.options.nodeId && entry.index > (this.options.reappliedThroughIndex ?? 0)) {
        const lease = this.leaseNames.get(change.id) ?? change.id;
        const ttlMs = change.kind === 'granted' ? this.machine.leases.get(change.id)?.ttlMs : undefined;
        this.notes.push({ node: this.options.nodeId, lease, id: change.id, event: change.kind, ...(ttlMs !== undefined ? { ttlMs } : {}) });
      }
    }
    if (applied.events.length > 0) {
      for (const delivery of this.watchers.publish(applied.events)) {
        const stream = this.streams.get(delivery.watchId);
        if (!stream) continue;
        this.out.push({
          type: 'ClientWatchEvents', from: this.options.nodeId, to: stream.client, stream: delivery.watchId, instance: stream.instance,
          seq: stream.seq++, events: delivery.events,
        });
      }
    }
    if (command.clientId === '') return true;
    const key = `${command.clientId}#${command.requestId}`;
    const pending = this.writes.get(key);
    if (!pending) return true;
    this.writes.delete(key);
    for (const waiter of pending.waiters) this.respond(waiter, applied.outcome);
    return true;
  }

  private serveConfirmedReads(): void {
    if (this.confirmed.length === 0) return;
    const applied = this.machine.appliedIndex;
    const later: ConfirmedRead[] = [];
    for (const read of this.confirmed) {
      if (read.index <= applied) this.respond(read.waiter, this.machine.get(read.request));
      else later.push(read);
    }
    this.confirmed = later;
  }

  /** The leader's lessor: every lease whose TTL ran out is revoked through the log (etcd revokeExpiredLeases). */
  private expireLeases(): void {
    if (this.promotedTerm === 0) return;
    const raft = this.raft;
    for (const id of this.machine.lessor.expired(this.localMs)) {
      if (!this.reportedExpired.has(id)) {
        this.reportedExpired.add(id);
        this.notes.push({ node: this.options.nodeId, lease: this.leaseNames.get(id) ?? id, id, event: 'expired' });
      }
      raft.propose(encodeCommand({ clientId: '', requestId: 0, request: leaseCommand({ do: 'revoke', id }, this.options.nodeId) }));
    }
  }

  // ---- answers ----

  private respond(waiter: Waiter, outcome: Outcome<unknown>): void {
    const raft = this.raft;
    const answer = outcome.ok ? { ok: true as const, result: withRaftTerm(outcome.result, raft.term) } : outcome;
    if (waiter.kind === 'peer') {
      this.out.push({ type: 'MsgLeaseForwardResp', from: this.options.nodeId, to: waiter.node, term: raft.term, client: waiter.client, id: waiter.id, outcome: answer });
    } else {
      this.out.push({ type: 'ClientResponse', from: this.options.nodeId, to: waiter.client, id: waiter.id, outcome: answer });
    }
  }

  /**
   * Refuses a request, which tells its client that nothing happened. So never one this node already proposed (an
   * earlier copy or attempt may still commit: it waits for that instead), and a later copy of the refused attempt
   * is not executed (onClientRequest).
   */
  private refuseRequest(request: HeldRequest, refused: Refusal, error: string, leader = 0): void {
    const pending = this.writes.get(`${request.session}#${request.id}`);
    if (pending) {
      this.wait(pending, request);
      return;
    }
    if (request.attempt !== undefined) this.refusedAttempts.set(attemptKey(request.session, request.id, request.attempt), request.deadlineMs);
    this.refuse(request.waiter, refused, error, leader);
  }

  private refuse(waiter: Waiter, refused: Refusal, error: string, leader = 0): void {
    if (waiter.kind === 'peer') return; // only followers refuse, and leaders never forward
    this.out.push({ type: 'ClientResponse', from: this.options.nodeId, to: waiter.client, id: waiter.id, outcome: { ok: false, error }, refused, leader });
  }
}

/** Names one attempt of one request: its copies on the bus share it. */
function attemptKey(session: string, id: number, attempt: number): string {
  return `${session}#${id}#${attempt}`;
}

function sameWaiter(a: Waiter, b: Waiter): boolean {
  return a.kind === b.kind && a.client === b.client && a.id === b.id && (a.kind !== 'peer' || (b.kind === 'peer' && a.node === b.node));
}

function commandOf(request: HeldRequest, op: ClientOp): Command {
  return { clientId: request.session, requestId: request.id, request: op as KvRequest };
}

/**
 * A lease command as the leader proposes it: the request plus, ignored by the state machine, the proposing node
 * (`by`: it alone reports the change as a `lease` event when it applies it) and the scenario's name for the lease.
 */
function leaseCommand(request: Extract<KvRequest, { do: 'grant' | 'revoke' }>, by: NodeId, name?: string): KvRequest {
  const annotated: KvRequest & { by: NodeId; name?: string } = { ...request, by, ...(name !== undefined ? { name } : {}) };
  return annotated;
}

/** The result with the answering node's term added to its header (etcd's ResponseHeader.raft_term). */
function withRaftTerm(result: unknown, term: number): unknown {
  const fields = result as { header?: { revision: number } };
  if (!fields || typeof fields !== 'object' || !fields.header) return result;
  return { ...fields, header: { revision: fields.header.revision, raftTerm: term } };
}
