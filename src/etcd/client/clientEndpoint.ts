/**
 * One client endpoint on the bus (docs/clients.md, "The contract"): like an etcd clientv3 client with one endpoint
 * (`via` a node) or with every endpoint (`via: "any"`, moving to another node when its node stops answering).
 *
 * - Scenario actions run one at a time, in order: a later action waits for the busy client (its `invoke` event is
 *   written when its request is actually sent). Keepalive loops and watch streams run alongside.
 * - Every request is traced: invoke, then exactly one of ok, fail (it certainly did not happen) or info (it may
 *   have happened). A request unanswered within the client's timeout ends as info for writes and fail for reads,
 *   with "etcdserver: request timed out".
 * - An unanswered attempt is sent again after `retryMs` (to another node with via "any"), with the same request
 *   id: the state machine's exactly-once table applies a write once however many copies commit.
 * - Lease names are the scenario author's; the client learns each lease's id from its grant and sends ids.
 * - Watches: the node numbers a stream's messages; the client delivers them in order, and when one is lost, its
 *   node restarted or it moved to another node, it reopens the stream from the revision after the last event it
 *   delivered, so its `watch` events have no gap and no duplicate.
 *
 * The bus (ClientBus) is the world's: it traces and carries messages, keeps timers and writes events.
 */
import type { KeyValue, LeaseId, WatchEvent } from '../../kv/index.ts';
import type { NodeId } from '../../raft/types.ts';
import type { ClientOp, ClientResponseMsg, ClientWatchEventsMsg, ToClientMsg, ToNodeFromClient } from '../server/messages.ts';
import { ERR_TIMED_OUT, type ClientTraceEvent } from './clientTrace.ts';
import type { ClientSpec } from './clientOps.ts';

/** What a client needs from the world. */
export interface ClientBus {
  /** Virtual time now. */
  readonly nowMs: number;
  /** Puts a request on the bus (traced, then delivered, dropped or duplicated like any message). */
  send(msg: ToNodeFromClient): void;
  /** Calls `client.fire(timer)` at `atMs` (unless the client was killed). `timer` is the client's token. */
  setTimer(atMs: number, client: ClientEndpoint, timer: number): void;
  /** Writes a trace event. */
  emit(event: ClientTraceEvent): void;
  /** A node for a client attached to "any", other than `avoid` when there is a choice (seeded draw). */
  pickNode(avoid: NodeId): NodeId;
}

/** How a request ended, as the trace reports it. */
export type ClientOutcome =
  | { readonly phase: 'ok'; readonly result: Readonly<Record<string, unknown>>; /** The node that answered. */ readonly node: NodeId }
  | { readonly phase: 'fail' | 'info'; readonly error: string };

/** Options of one request. */
export interface RequestOptions {
  /** The `op` written in the invoke event; null for the client's own bookkeeping (not traced as an operation). */
  readonly traceOp: Readonly<Record<string, unknown>> | null;
  /**
   * The exactly-once lane: requests of one lane must run one at a time (the state machine keeps one result per
   * lane). Default: the client's main lane (its scenario actions). Recipes running writes alongside use their own.
   */
  readonly lane?: string;
  /** Called once, when the request ends (not called when the client is killed first). */
  readonly onDone?: (outcome: ClientOutcome) => void;
  /** Send once, never again (bookkeeping that a timer repeats anyway). */
  readonly once?: boolean;
  /** What the ok event shows of the result (default: all of it). */
  readonly traceResult?: (result: Readonly<Record<string, unknown>>) => Readonly<Record<string, unknown>>;
}

/** The live part of one watch. */
interface WatchState {
  readonly name: string;
  readonly key: string;
  readonly rangeEnd?: string;
  readonly prefix?: boolean;
  readonly prevKv?: boolean;
  /** Reopening counter: the stream id is `${client}/${name}#${epoch}`. */
  epoch: number;
  stream: string;
  /** The next revision owed to the trace. Invariant: every event below it in the range was emitted once. */
  nextRevision: number;
  /** Next message number expected on the stream; -1 until the create answer (number 0) arrived. */
  nextSeq: number;
  /** Messages that arrived ahead of their turn (or before the create answer), by `${instance}#${seq}`. */
  readonly early: Map<string, ClientWatchEventsMsg>;
  /** The stream instance the create answer named: only its messages count. */
  instance: string;
  /** Messages below this number had been sent when the last probe was answered: they are overdue by the next. */
  owedSeq: number;
  /** The node the stream lives on. */
  node: NodeId;
  /** A reopen is in flight. */
  reopening: boolean;
  /** Where events go besides the trace (a recipe's watch). */
  readonly handlers?: WatchHandlers;
}

/** A watch as a client opens it (the `watch` action's fields). */
export interface WatchSpec {
  /** The watch's name, unique among the client's open watches (recipes start theirs with `_`). */
  readonly watch: string;
  readonly key: string;
  readonly rangeEnd?: string;
  readonly prefix?: boolean;
  /** Inclusive; 0 or absent = from the next revision. */
  readonly startRevision?: number;
  readonly prevKv?: boolean;
}

/** Where a watch's events go (besides the trace). */
export interface WatchHandlers {
  /** Events of one delivery, in revision order, none missing, none repeated. */
  onEvents(events: readonly WatchEvent[]): void;
  /** The cluster cancelled the watch (its start revision was compacted): nothing follows. */
  onCancelled(error: string): void;
}

interface Inflight {
  readonly id: number;
  readonly op: ClientOp;
  readonly traced: boolean;
  readonly session: string;
  readonly deadlineMs: number;
  readonly isRead: boolean;
  readonly once: boolean;
  attempts: number;
  /** The token of the attempt timer that may resend it: older attempts' timers do nothing. */
  attemptTimer: number;
  readonly onDone?: (outcome: ClientOutcome) => void;
  readonly traceResult?: (result: Readonly<Record<string, unknown>>) => Readonly<Record<string, unknown>>;
}

interface KeepaliveLoop {
  readonly lease: string;
  /** A keepalive of this loop is in flight. */
  busy: boolean;
}

/** A lease id no node ever grants (ids are drawn with a first hex digit 1..7 and 16 digits: this is 15). */
const UNKNOWN_LEASE_ID = '7e5700000000001';

export class ClientEndpoint {
  readonly name: string;
  readonly via: NodeId | 'any';
  readonly requireLeader: boolean;
  readonly timeoutMs: number;
  readonly retryMs: number;
  /** The node it talks to now. */
  node: NodeId;
  killed = false;

  private nextId = 1;
  private readonly inflight = new Map<number, Inflight>();
  /** Scenario actions waiting for the busy client, in order. */
  private readonly queue: (() => void)[] = [];
  private busy = false;
  private readonly leaseIds = new Map<string, LeaseId>();
  private readonly leaseTtlMs = new Map<string, number>();
  private readonly keepalives = new Map<string, KeepaliveLoop>();
  /** Pending timers by token: what each does when it fires. */
  private readonly timers = new Map<number, () => void>();
  private nextTimer = 1;
  private readonly watches = new Map<string, WatchState>();
  private watchProbeArmed = false;
  private readonly killListeners: (() => void)[] = [];

  constructor(spec: ClientSpec, private readonly bus: ClientBus, defaults: { timeoutMs: number; retryMs: number }) {
    this.name = spec.client;
    this.via = spec.via;
    this.requireLeader = spec.requireLeader;
    this.timeoutMs = spec.timeoutMs ?? defaults.timeoutMs;
    this.retryMs = spec.retryMs ?? defaults.retryMs;
    this.node = spec.via === 'any' ? bus.pickNode(0) : spec.via;
  }

  /** The id the client learned for a lease name (undefined until its grant succeeded). */
  leaseId(name: string): LeaseId | undefined {
    return this.leaseIds.get(name);
  }

  /** Whether a scenario action is running. */
  get isBusy(): boolean {
    return this.busy;
  }

  // ---- scenario actions ----

  /** Runs `start` when the client is free; `start` must call `actionDone` when its action ends. */
  enqueueAction(start: () => void): void {
    if (this.killed) return;
    if (this.busy) {
      this.queue.push(start);
      return;
    }
    this.busy = true;
    start();
  }

  /** The running action ended: the next queued one starts. */
  actionDone(): void {
    if (this.killed) return;
    const next = this.queue.shift();
    if (next) next();
    else this.busy = false;
  }

  /** Runs a written key-value or lease action (put, get, delete, txn, grant, keepalive, revoke, compact). */
  runOp(written: Readonly<Record<string, unknown>>): void {
    this.enqueueAction(() => {
      const op = this.resolve(written);
      const traceOp = this.traceOpOf(written);
      this.request(op, {
        traceOp,
        onDone: (outcome) => {
          this.afterOp(written, outcome);
          this.actionDone();
        },
      });
    });
  }

  /** Opens a watch (the `watch` action): ok with header.revision, then its events as `watch` trace events. */
  runWatch(written: Readonly<Record<string, unknown>>): void {
    this.enqueueAction(() => {
      const { at: _at, client: _client, do: _do, ...spec } = written;
      this.openWatch(spec as unknown as WatchSpec, { onOutcome: () => this.actionDone() });
    });
  }

  /** Closes a watch (the `cancelWatch` action): no event of it is reported after the invoke. */
  runCancelWatch(written: Readonly<Record<string, unknown>>): void {
    this.enqueueAction(() => this.closeWatch(written.watch as string, () => this.actionDone()));
  }

  /**
   * Opens a watch, traced as this client's `watch` operation (ok with header.revision) and its events as `watch`
   * events (recipes name their own watches with a leading `_`). Its events, history from `startRevision`
   * included, go to `handlers.onEvents` in revision order with no gap and no duplicate, across lost messages,
   * node restarts and moves; a cancellation by the cluster (compaction) goes to `handlers.onCancelled`.
   */
  openWatch(spec: WatchSpec, options: { handlers?: WatchHandlers; onOutcome?: (outcome: ClientOutcome) => void } = {}): void {
    const name = spec.watch;
    const traceOp = { do: 'watch', ...spec };
    if (this.watches.has(name)) {
      this.failNow(traceOp, `watch ${JSON.stringify(name)} is already open`, options.onOutcome);
      return;
    }
    const startRevision = spec.startRevision ?? 0;
    const watch: WatchState = {
      name, key: spec.key, rangeEnd: spec.rangeEnd, prefix: spec.prefix, prevKv: spec.prevKv, epoch: 0, stream: `${this.name}/${name}#0`,
      nextRevision: startRevision, nextSeq: -1, early: new Map(), instance: '', owedSeq: 0, node: this.node, reopening: false, handlers: options.handlers,
    };
    // Registered at once, so stream messages that overtake the create answer wait in `early`.
    this.watches.set(name, watch);
    this.request(this.watchOp(watch, startRevision), {
      traceOp,
      // The replayed history follows as a `watch` event; the op's result is its header (the contract).
      traceResult: (result) => ({ header: result.header }),
      onDone: (outcome) => {
        if (this.watches.get(name) === watch) {
          if (outcome.phase === 'ok') this.watchOpened(watch, outcome.result, outcome.node);
          else this.watches.delete(name);
        }
        options.onOutcome?.(outcome.phase === 'ok' ? { ...outcome, result: { header: outcome.result.header } } : outcome);
      },
    });
  }

  /** Closes a watch, traced as `cancelWatch`: no event of it is delivered after this call. */
  closeWatch(name: string, onOutcome?: (outcome: ClientOutcome) => void): void {
    const traceOp = { do: 'cancelWatch', watch: name };
    const watch = this.watches.get(name);
    if (!watch) {
      this.failNow(traceOp, `no open watch ${JSON.stringify(name)}`, onOutcome);
      return;
    }
    this.watches.delete(name);
    this.request({ do: 'cancelWatch', stream: watch.stream }, { traceOp, onDone: (outcome) => onOutcome?.(outcome) });
  }

  /** Calls `callback` at virtual time `atMs` unless the client dies first; returns a function cancelling it. */
  at(atMs: number, callback: () => void): () => void {
    const token = this.after(Math.max(atMs, this.bus.nowMs), callback);
    return () => this.timers.delete(token);
  }

  /** Called once when the client is killed (recipes stop there: their sessions end by expiry). */
  onKilled(callback: () => void): void {
    this.killListeners.push(callback);
  }

  /** The client dies: nothing more is sent, pending requests never complete, keepalives stop. */
  kill(): void {
    if (this.killed) return;
    this.killed = true;
    for (const listener of this.killListeners) listener();
    this.queue.length = 0;
    this.inflight.clear();
    this.timers.clear();
    this.keepalives.clear();
    this.watches.clear();
  }

  // ---- requests ----

  /**
   * Sends a request and follows it to its end: retried every `retryMs` (moving node with via "any"), ended by
   * the client's timeout. Returns the request id (the trace's operation id).
   */
  request(op: ClientOp, options: RequestOptions): number {
    const id = this.nextId++;
    const bus = this.bus;
    const traced = options.traceOp !== null;
    if (traced) bus.emit({ t: bus.nowMs, type: 'client', client: this.name, id, phase: 'invoke', op: options.traceOp! });
    const inflight: Inflight = {
      id, op, traced, session: options.lane === undefined ? this.name : `${this.name}/${options.lane}`,
      deadlineMs: bus.nowMs + this.timeoutMs, isRead: op.do === 'get' || op.do === 'watch' || op.do === 'watchProgress',
      once: options.once === true, attempts: 0, attemptTimer: 0, onDone: options.onDone, traceResult: options.traceResult,
    };
    this.inflight.set(id, inflight);
    this.sendAttempt(inflight);
    this.after(inflight.deadlineMs, () => {
      if (this.inflight.get(id) !== inflight) return;
      this.complete(inflight, inflight.isRead ? { phase: 'fail', error: ERR_TIMED_OUT } : { phase: 'info', error: ERR_TIMED_OUT });
    });
    return id;
  }

  /** Runs `action` at `atMs` (unless the client is killed by then). */
  private after(atMs: number, action: () => void): number {
    const token = this.nextTimer++;
    this.timers.set(token, action);
    this.bus.setTimer(atMs, this, token);
    return token;
  }

  private sendAttempt(request: Inflight): void {
    request.attempts++;
    const bus = this.bus;
    bus.send({
      type: 'ClientRequest', from: this.name, to: this.node, session: request.session, id: request.id, attempt: request.attempts, op: request.op,
      requireLeader: this.requireLeader, timeoutMs: Math.max(1, request.deadlineMs - bus.nowMs),
    });
    if (request.once) return;
    const token = this.after(bus.nowMs + this.retryMs, () => {
      if (this.inflight.get(request.id) !== request || request.attemptTimer !== token || this.bus.nowMs >= request.deadlineMs) return;
      // No answer: the node may be down, cut off, leaderless or the message lost. Try again (elsewhere).
      if (this.via === 'any') this.moveNode();
      this.sendAttempt(request);
    });
    request.attemptTimer = token;
  }

  /** A timer set by this client fired. */
  fire(timer: number): void {
    const action = this.timers.get(timer);
    if (action === undefined) return;
    this.timers.delete(timer);
    if (!this.killed) action();
  }

  /** A message for this client arrived. */
  receive(msg: ToClientMsg): void {
    if (this.killed) return;
    if (msg.type === 'ClientWatchEvents') this.onWatchEvents(msg);
    else this.onResponse(msg);
  }

  private onResponse(msg: ClientResponseMsg): void {
    const request = this.inflight.get(msg.id);
    if (!request) return; // a duplicate, or the answer to an attempt that already ended
    const outcome = msg.outcome;
    if (msg.refused !== undefined) {
      if (this.via === 'any' && msg.refused === 'notLeader' && msg.leader) {
        this.node = msg.leader;
        this.sendAttempt(request);
        return;
      }
      // A refusal proves only that this attempt had no effect: an earlier one may still commit.
      const earlierMayApply = request.attempts > 1 && !request.isRead;
      if (!earlierMayApply && !outcome.ok) this.complete(request, { phase: 'fail', error: outcome.error });
      return;
    }
    this.complete(request, outcome.ok ? { phase: 'ok', result: outcome.result as Record<string, unknown>, node: msg.from } : { phase: 'fail', error: outcome.error });
  }

  private complete(request: Inflight, outcome: ClientOutcome): void {
    if (!this.inflight.delete(request.id)) return;
    const bus = this.bus;
    if (request.traced) {
      if (outcome.phase === 'ok') {
        const result = request.traceResult ? request.traceResult(outcome.result) : outcome.result;
        bus.emit({ t: bus.nowMs, type: 'client', client: this.name, id: request.id, phase: 'ok', result });
      }
      else bus.emit({ t: bus.nowMs, type: 'client', client: this.name, id: request.id, phase: outcome.phase, error: outcome.error });
    }
    request.onDone?.(outcome);
  }

  /** An operation that fails before anything is sent (e.g. cancelWatch of a watch that is not open). */
  private failNow(traceOp: Readonly<Record<string, unknown>>, error: string, onOutcome?: (outcome: ClientOutcome) => void): void {
    const id = this.nextId++;
    const bus = this.bus;
    bus.emit({ t: bus.nowMs, type: 'client', client: this.name, id, phase: 'invoke', op: traceOp });
    bus.emit({ t: bus.nowMs, type: 'client', client: this.name, id, phase: 'fail', error });
    // Never synchronously: the caller's state must be settled when its callback runs.
    if (onOutcome) this.after(bus.nowMs, () => onOutcome({ phase: 'fail', error }));
  }

  private moveNode(): void {
    const next = this.bus.pickNode(this.node);
    if (next === this.node) return;
    this.node = next;
    // Watch streams live on the node: reopen the open ones on the new one (a create in flight is retried there).
    for (const watch of this.watches.values()) if (watch.nextSeq >= 0) this.reopenWatch(watch);
  }

  // ---- leases ----

  /** What an action's success teaches the client: lease ids, keepalive loops. */
  private afterOp(written: Readonly<Record<string, unknown>>, outcome: ClientOutcome): void {
    const lease = written.lease as string | undefined;
    if (lease === undefined) return;
    if (written.do === 'grant' && outcome.phase === 'ok') {
      this.leaseIds.set(lease, outcome.result.id as string);
      this.leaseTtlMs.set(lease, outcome.result.ttlMs as number);
    } else if (written.do === 'revoke' && outcome.phase === 'ok') {
      this.keepalives.delete(lease);
    } else if (written.do === 'keepalive') {
      if (outcome.phase === 'ok') this.startKeepaliveLoop(lease, outcome.result.ttlMs as number);
    }
  }

  /** Keeps the lease alive every ttl/3 until it is revoked or expired (a keepalive answered "lease not found"). */
  startKeepaliveLoop(lease: string, ttlMs: number): void {
    if (this.keepalives.has(lease)) return;
    this.keepalives.set(lease, { lease, busy: false });
    this.leaseTtlMs.set(lease, ttlMs);
    this.armKeepalive(lease);
  }

  private armKeepalive(lease: string): void {
    const ttlMs = this.leaseTtlMs.get(lease) ?? this.retryMs * 3;
    this.after(this.bus.nowMs + Math.max(1, Math.floor(ttlMs / 3)), () => this.sendKeepalive(lease));
  }

  private sendKeepalive(lease: string): void {
    const loop = this.keepalives.get(lease);
    if (!loop) return;
    if (loop.busy) {
      this.armKeepalive(lease);
      return;
    }
    loop.busy = true;
    this.request({ do: 'keepalive', id: this.leaseIds.get(lease) ?? UNKNOWN_LEASE_ID }, {
      traceOp: { do: 'keepalive', lease, leaseId: this.leaseIds.get(lease) ?? null },
      // A keepalive is outside the log: it needs no exactly-once lane, but must not share the main one.
      lane: 'keepalive',
      onDone: (outcome) => {
        loop.busy = false;
        if (outcome.phase === 'fail' && outcome.error === 'lease not found') {
          this.keepalives.delete(lease);
          return;
        }
        if (outcome.phase === 'ok') this.leaseTtlMs.set(lease, outcome.result.ttlMs as number);
        if (this.keepalives.get(lease) === loop) this.armKeepalive(lease);
      },
    });
  }

  // ---- watches ----

  private watchOp(watch: WatchState, startRevision: number): ClientOp {
    return {
      do: 'watch', stream: watch.stream, key: watch.key, ...(watch.rangeEnd !== undefined ? { rangeEnd: watch.rangeEnd } : {}),
      ...(watch.prefix !== undefined ? { prefix: watch.prefix } : {}), startRevision, ...(watch.prevKv !== undefined ? { prevKv: watch.prevKv } : {}),
    };
  }

  private watchOpened(watch: WatchState, result: Readonly<Record<string, unknown>>, node: NodeId): void {
    const header = result.header as { revision: number };
    if (watch.nextRevision === 0) watch.nextRevision = header.revision + 1;
    // The stream lives where the create was answered (a retried create may have reached several nodes).
    watch.node = node;
    this.resumeStream(watch, result, node);
    this.armWatchProbe();
  }

  /**
   * A create answer arrived: the stream lives on `node`, under the instance the answer names (a retried create
   * may have opened other instances, on this node, on another, or before a restart); its replay is delivered and
   * its messages count from number 1.
   */
  private resumeStream(watch: WatchState, result: Readonly<Record<string, unknown>>, node: NodeId): void {
    watch.node = node;
    watch.instance = result.instance as string;
    for (const [key, msg] of watch.early) if (msg.instance !== watch.instance) watch.early.delete(key);
    this.deliverWatchEvents(watch, result.events as readonly WatchEvent[]);
    watch.nextSeq = 1;
    this.drainEarly(watch);
  }

  private onWatchEvents(msg: ClientWatchEventsMsg): void {
    const watch = [...this.watches.values()].find((w) => w.stream === msg.stream);
    if (!watch) return; // a closed stream's
    if (watch.nextSeq < 0) {
      watch.early.set(`${msg.instance}#${msg.seq}`, msg); // the create answer has not come yet
      return;
    }
    if (msg.instance !== watch.instance || msg.seq < watch.nextSeq) return; // another instance's, or a duplicate
    if (msg.seq > watch.nextSeq) {
      watch.early.set(`${msg.instance}#${msg.seq}`, msg);
      return;
    }
    this.takeWatchMessage(watch, msg);
    this.drainEarly(watch);
  }

  private drainEarly(watch: WatchState): void {
    for (let msg = watch.early.get(`${watch.instance}#${watch.nextSeq}`); msg; msg = watch.early.get(`${watch.instance}#${watch.nextSeq}`)) {
      watch.early.delete(`${msg.instance}#${msg.seq}`);
      this.takeWatchMessage(watch, msg);
    }
  }

  private takeWatchMessage(watch: WatchState, msg: ClientWatchEventsMsg): void {
    watch.nextSeq = msg.seq + 1;
    if (msg.canceled !== undefined) {
      this.cancelWatchWith(watch, msg.canceled);
      return;
    }
    this.deliverWatchEvents(watch, msg.events);
  }

  /** Emits the events not yet delivered (a reopened stream may replay some), in order. */
  private deliverWatchEvents(watch: WatchState, events: readonly WatchEvent[]): void {
    const fresh = events.filter((e) => e.kv.modRevision >= watch.nextRevision);
    if (fresh.length === 0) return;
    watch.nextRevision = fresh[fresh.length - 1]!.kv.modRevision + 1;
    const bus = this.bus;
    const delivered = fresh.map(plainEvent);
    bus.emit({ t: bus.nowMs, type: 'watch', client: this.name, watch: watch.name, events: delivered });
    watch.handlers?.onEvents(delivered);
  }

  private cancelWatchWith(watch: WatchState, error: string): void {
    this.watches.delete(watch.name);
    const bus = this.bus;
    bus.emit({ t: bus.nowMs, type: 'watch', client: this.name, watch: watch.name, events: [], canceled: true, error });
    watch.handlers?.onCancelled(error);
  }

  private armWatchProbe(): void {
    if (this.watchProbeArmed || this.watches.size === 0) return;
    this.watchProbeArmed = true;
    this.after(this.bus.nowMs + 2 * this.retryMs, () => {
      this.watchProbeArmed = false;
      this.probeWatches();
    });
  }

  /**
   * Every 2 × retryMs: a stream still waiting for a missing message is reopened; otherwise the node is asked
   * whether it still holds the stream (a restarted node forgot it).
   */
  private probeWatches(): void {
    for (const watch of [...this.watches.values()]) {
      if (watch.reopening || watch.nextSeq < 0) continue;
      // A gap, a message sent before the last probe and still missing, or a move: the stream is reopened.
      if (watch.early.size > 0 || watch.nextSeq < watch.owedSeq || watch.node !== this.node) {
        this.reopenWatch(watch);
        continue;
      }
      const stream = watch.stream;
      this.request({ do: 'watchProgress', stream }, {
        traceOp: null, once: true,
        onDone: (outcome) => {
          if (outcome.phase !== 'ok' || this.watches.get(watch.name) !== watch || watch.stream !== stream) return;
          if (outcome.result.exists === false) this.reopenWatch(watch);
          else if (outcome.result.instance === watch.instance) watch.owedSeq = outcome.result.nextSeq as number;
        },
      });
    }
    this.armWatchProbe();
  }

  /** Opens the stream again on the current node from the next revision owed (the old one is cancelled). */
  private reopenWatch(watch: WatchState): void {
    if (watch.reopening) return;
    const old = watch.stream;
    this.request({ do: 'cancelWatch', stream: old }, { traceOp: null, once: true, onDone: () => undefined });
    watch.epoch++;
    watch.stream = `${this.name}/${watch.name}#${watch.epoch}`;
    watch.nextSeq = -1;
    watch.owedSeq = 0;
    watch.early.clear();
    watch.node = this.node;
    watch.reopening = true;
    const stream = watch.stream;
    this.request(this.watchOp(watch, watch.nextRevision), {
      traceOp: null,
      onDone: (outcome) => {
        if (this.watches.get(watch.name) !== watch || watch.stream !== stream) return;
        watch.reopening = false;
        if (outcome.phase === 'ok') {
          this.resumeStream(watch, outcome.result, outcome.node);
        } else if (outcome.error.startsWith('mvcc:')) {
          this.cancelWatchWith(watch, outcome.error);
        }
        // Otherwise (timed out) the next probe reopens it again.
      },
    });
  }

  // ---- translating actions ----

  private leaseIdOf(name: unknown): LeaseId {
    if (name === undefined || name === 0 || name === '0') return '0';
    return this.leaseIds.get(name as string) ?? UNKNOWN_LEASE_ID;
  }

  /** The request a written action becomes: lease names replaced by ids, trace-only fields dropped. */
  resolve(written: Readonly<Record<string, unknown>>): ClientOp {
    const { do: name, client: _client, at: _at, ...fields } = written;
    switch (name) {
      case 'put':
        return this.resolvePut(fields);
      case 'txn': {
        const branch = (ops: unknown) => ((ops as Record<string, Record<string, unknown>>[] | undefined) ?? []).map((op) =>
          op.put ? { put: this.resolvePut(op.put) } : op.get ? { get: op.get } : { delete: op.delete }) as never;
        const compare = ((fields.compare as Record<string, unknown>[] | undefined) ?? []).map((c) =>
          c.target === 'lease' ? { ...c, value: this.leaseIdOf(c.value) } : c) as never;
        return { do: 'txn', compare, success: branch(fields.success), failure: branch(fields.failure) };
      }
      case 'grant':
        return { do: 'grant', ttlMs: fields.ttlMs as number, name: fields.lease as string };
      case 'revoke':
      case 'keepalive':
        return { do: name, id: this.leaseIdOf(fields.lease) };
      default:
        return { do: name, ...fields } as ClientOp;
    }
  }

  private resolvePut(fields: Readonly<Record<string, unknown>>): Extract<ClientOp, { do: 'put' }> {
    const { do: _do, lease, ...rest } = fields;
    return { do: 'put', ...(rest as { key: string; value: string; prevKv?: boolean }), ...(lease !== undefined ? { lease: this.leaseIdOf(lease) } : {}) };
  }

  /** The trace's `op`: the action as written minus `at` and `client`, plus the lease id next to a lease name. */
  private traceOpOf(written: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const { at: _at, client: _client, ...op } = written;
    if (typeof op.lease === 'string' && op.do !== 'grant') return { ...op, leaseId: this.leaseIds.get(op.lease) ?? null };
    return op;
  }
}

/** A watch event as the trace writes it (KeyValue fields in the contract's order). */
function plainEvent(event: WatchEvent): WatchEvent {
  const kv = (k: KeyValue): KeyValue => ({
    key: k.key, value: k.value, createRevision: k.createRevision, modRevision: k.modRevision, version: k.version, lease: k.lease,
  });
  return event.prevKv ? { type: event.type, kv: kv(event.kv), prevKv: kv(event.prevKv) } : { type: event.type, kv: kv(event.kv) };
}
