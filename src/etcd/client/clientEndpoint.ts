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
 * - Lease names are the scenario author's; the client learns each lease's id from its grant and sends ids
 *   (leaseKeeper.ts; the translation of an action into a request: actionRequest.ts).
 * - Watches deliver their events with no gap and no duplicate across lost messages, restarts and moves
 *   (watchStreams.ts).
 *
 * This module is the request machinery (send, retry, time out, answer) and the action queue; the bus
 * (ClientBus, clientPort.ts) is the world's: it traces and carries messages, keeps timers and writes events.
 */import type { LeaseId } from '../../kv/index.ts';
import type { NodeId } from '../../raft/types.ts';
import type { ClientOp, ClientResponseMsg, ToClientMsg } from '../server/messages.ts';
import { requestOf, traceOpOf } from './actionRequest.ts';
import type { CancelWatchAction, ClientAction, ClientSpec, KvAction, WatchAction } from './clientOps.ts';
import type { ClientBus, ClientCore, ClientOutcome, RequestOptions } from './clientPort.ts';
import { ERR_TIMED_OUT } from './clientTrace.ts';
import { LeaseKeeper } from './leaseKeeper.ts';
import { WatchStreams, type WatchHandlers, type WatchSpec } from './watchStreams.ts';


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
  /** Pending timers by token: what each does when it fires. */
  private readonly timers = new Map<number, () => void>();
  private nextTimer = 1;
  private readonly killListeners: (() => void)[] = [];
  private readonly leases: LeaseKeeper;
  private readonly watches: WatchStreams;

  constructor(spec: ClientSpec, private readonly bus: ClientBus, defaults: { timeoutMs: number; retryMs: number }) {
    this.name = spec.client;
    this.via = spec.via;
    this.requireLeader = spec.requireLeader;
    this.timeoutMs = spec.timeoutMs ?? defaults.timeoutMs;
    this.retryMs = spec.retryMs ?? defaults.retryMs;
    this.node = spec.via === 'any' ? bus.pickNode(0) : spec.via;
    const core: ClientCore = {
      name: this.name, retryMs: this.retryMs, bus,
      currentNode: () => this.node,
      request: (op, options) => this.request(op, options),
      after: (atMs, action) => this.after(atMs, action),
      failNow: (traceOp, error, onOutcome) => this.failNow(traceOp, error, onOutcome),
    };
    this.leases = new LeaseKeeper(core);
    this.watches = new WatchStreams(core);
  }

  /** The id the client learned for a lease name (undefined until its grant succeeded). */
  leaseId(name: string): LeaseId | undefined {
    return this.leases.idOf(name);
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

  /** Runs a client action (clientOps.ts) when the client is free. */
  run(action: ClientAction): void {
    if (action.do === 'watch') this.runWatch(action);
    else if (action.do === 'cancelWatch') this.runCancelWatch(action);
    else this.runOp(action);
  }

  /** Runs a key-value or lease action (put, get, delete, txn, grant, keepalive, revoke, compact). */
  runOp(action: KvAction): void {
    this.enqueueAction(() => {
      const op = requestOf(action, this.leases);
      const traceOp = traceOpOf(action, this.leases);
      this.request(op, {
        traceOp,
        onDone: (outcome) => {
          this.leases.learn(action, outcome);
          this.actionDone();
        },
      });
    });
  }

  /** Opens a watch (the `watch` action): ok with header.revision, then its events as `watch` trace events. */
  runWatch(action: WatchAction): void {
    this.enqueueAction(() => {
      const { do: _do, ...spec } = action;
      this.openWatch(spec, { onOutcome: () => this.actionDone() });
    });
  }

  /** Closes a watch (the `cancelWatch` action): no event of it is reported after the invoke. */
  runCancelWatch(action: CancelWatchAction): void {
    this.enqueueAction(() => this.closeWatch(action.watch, () => this.actionDone()));
  }

  /**
   * Opens a watch, traced as this client's `watch` operation (ok with header.revision) and its events as `watch`
   * events (recipes name their own watches with a leading `_`). Its events, history from `startRevision`
   * included, go to `handlers.onEvents` in revision order with no gap and no duplicate, across lost messages,
   * node restarts and moves; a cancellation by the cluster (compaction) goes to `handlers.onCancelled`.
   */
  openWatch(spec: WatchSpec, options: { handlers?: WatchHandlers; onOutcome?: (outcome: ClientOutcome) => void } = {}): void {
    this.watches.open(spec, options);
  }

  /** Closes a watch, traced as `cancelWatch`: no event of it is delivered after this call. */
  closeWatch(name: string, onOutcome?: (outcome: ClientOutcome) => void): void {
    this.watches.close(name, onOutcome);
  }

  /** Keeps the lease alive every ttl/3 until it is revoked or expired (a keepalive answered "lease not found"). */
  startKeepaliveLoop(lease: string, ttlMs: number): void {
    this.leases.startKeepaliveLoop(lease, ttlMs);
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
    this.leases.stopKeepalives();
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
    if (msg.type === 'ClientWatchEvents') this.watches.receive(msg);
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
    this.watches.moved();
  }
}
