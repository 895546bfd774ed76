/**
 * A tiny in-memory etcd for the recipe tests: one KvStateMachine + WatchHub (the real src/kv code) acting as
 * a single always-leader member, a virtual clock with a deterministic event queue, and clients that
 * implement RecipeClient with a fixed one-way latency (per client), a request timeout, cuttable links and death.
 *
 * It is a fake of the cluster, not of the recipes' contract: requests are traced as `client` events (invoke,
 * then ok/fail/info), watch deliveries as `watch` events, lease expiries as `lease` events, committed commands
 * as `apply` events (so checks.ts can replay the log), and recipe events as `recipe` events.
 *
 * Cut link: requests and replies on it are held (as a leaderless node holds a request) and travel when the link
 * is restored; a request not answered within the timeout ends as `info` (writes) or `fail` (reads) and a late
 * reply is dropped, while the request itself may still be applied: exactly the "outcome unknown" case.
 */
import {
  encodeCommand, KvStateMachine, WatchHub, type KvRequest, type Outcome, type WatchEvent,
} from '../../src/kv/index.ts';
import { EventQueue } from '../../src/sim/eventQueue.ts';
import { ClientRecipes } from '../../src/etcd/recipes/clientRecipes.ts';
import { parseRecipeAction } from '../../src/etcd/recipes/recipeActions.ts';
import type {
  CancelTimer, RecipeClient, RecipeEventBody, RecipeOutcome, RecipeRequest, RecipeResults, RecipeWatch, WatchHandlers,
} from '../../src/etcd/concurrency/recipeClient.ts';
import type { HeaderResult } from '../../src/kv/index.ts';

export interface FakeEtcdOptions {
  /** One-way client ↔ server latency, ms. */
  readonly latencyMs?: number;
  /** Client request timeout, ms (the contract's default is 5000 + 2 × election timeout). */
  readonly timeoutMs?: number;
  /** How often the leader's lessor looks for expired leases, ms. */
  readonly expiryCheckMs?: number;
}

interface Timer {
  readonly time: number;
  seq: number;
  readonly run: () => void;
  cancelled: boolean;
}

export class FakeEtcd {
  nowMs = 0;
  /** The trace, in order. */
  readonly events: Record<string, unknown>[] = [];
  readonly machine = new KvStateMachine();
  readonly hub = new WatchHub(this.machine.store);
  readonly latencyMs: number;
  readonly timeoutMs: number;
  // Same-time events run in the order they were scheduled (the queue's seq), as in the simulator.
  private readonly timers = new EventQueue<Timer>();
  private index = 0;
  private leases = 0;
  private readonly clients = new Map<string, FakeClient>();
  // Watch id in the hub → the client and its watch name.
  private readonly watchOwners = new Map<string, { client: FakeClient; watch: string }>();

  constructor(options: FakeEtcdOptions = {}) {
    this.latencyMs = options.latencyMs ?? 5;
    this.timeoutMs = options.timeoutMs ?? 7000;
    const expiryCheckMs = options.expiryCheckMs ?? 50;
    this.machine.lessor.promote(0, 0);
    const checkExpiries = (): void => {
      for (const id of this.machine.lessor.expired(this.nowMs)) {
        this.events.push({ t: this.nowMs, type: 'lease', node: 1, lease: id, id, event: 'expired' });
        this.apply('', 0, { do: 'revoke', id });
      }
      this.at(this.nowMs + expiryCheckMs, checkExpiries);
    };
    this.at(expiryCheckMs, checkExpiries);
  }

  /** The client named `name` (created on first use, with the cluster's latency unless `latencyMs` is given). */
  client(name: string, latencyMs = this.latencyMs): FakeClient {
    let client = this.clients.get(name);
    if (client === undefined) this.clients.set(name, (client = new FakeClient(this, name, latencyMs)));
    return client;
  }

  /** Schedules a contract-shaped recipe action (validated like a scenario's) on its client's action queue. */
  action(raw: Record<string, unknown>): void {
    const action = parseRecipeAction(raw, 'action');
    this.at(action.at, () => this.client(action.client).enqueue(action));
  }

  /** Kills a client at `atMs` (traced as a killClient action). */
  kill(name: string, atMs: number): void {
    this.at(atMs, () => {
      this.events.push({ t: this.nowMs, type: 'action', action: { at: atMs, do: 'killClient', client: name } });
      this.client(name).die();
    });
  }

  /**
   * Cuts a client's link at `fromMs` and restores it at `toMs` (traced as cut/restore actions): both directions,
   * or only the client's requests (`requestsOnly`: answers already on their way still arrive).
   */
  cut(name: string, fromMs: number, toMs: number, requestsOnly = false): void {
    this.at(fromMs, () => {
      this.events.push({ t: this.nowMs, type: 'action', action: { at: fromMs, do: 'cut', from: name, to: 1 } });
      if (!requestsOnly) this.events.push({ t: this.nowMs, type: 'action', action: { at: fromMs, do: 'cut', from: 1, to: name } });
      this.client(name).setCut(true, !requestsOnly);
    });
    this.at(toMs, () => {
      this.events.push({ t: this.nowMs, type: 'action', action: { at: toMs, do: 'restore', from: name, to: 1 } });
      if (!requestsOnly) this.events.push({ t: this.nowMs, type: 'action', action: { at: toMs, do: 'restore', from: 1, to: name } });
      this.client(name).setCut(false, false);
    });
  }

  /** Calls `run` at virtual time `time` (never before now), after everything already scheduled for then. */
  at(time: number, run: () => void): CancelTimer {
    const timer: Timer = { time: Math.max(time, this.nowMs), seq: 0, run, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Runs every event with time <= `untilMs`; the clock then reads `untilMs`. */
  runUntil(untilMs: number): void {
    while (this.timers.peekTime() <= untilMs) {
      const timer = this.timers.pop()!;
      this.nowMs = timer.time;
      if (!timer.cancelled) timer.run();
    }
    this.nowMs = untilMs;
  }

  /** The recipe events so far, optionally of one kind. */
  recipeEvents(event?: string): Record<string, unknown>[] {
    return this.events.filter((e) => e.type === 'recipe' && (event === undefined || e.event === event));
  }

  // ---- the server side ----

  /** Applies a write as a committed entry: traced, published to the watchers. */
  apply(clientId: string, requestId: number, request: KvRequest): Outcome<unknown> {
    const data = encodeCommand({ clientId, requestId, request });
    this.index++;
    this.events.push({ t: this.nowMs, type: 'apply', node: 1, index: this.index, term: 1, data });
    const applied = this.machine.applyEntryData(data, { index: this.index, nowMs: this.nowMs });
    if (applied.leaseChange?.kind === 'revoked' && clientId !== '') {
      this.events.push({ t: this.nowMs, type: 'lease', node: 1, lease: applied.leaseChange.id, id: applied.leaseChange.id, event: 'revoked' });
    }
    for (const delivery of this.hub.publish(applied.events)) {
      const owner = this.watchOwners.get(delivery.watchId);
      owner?.client.deliverWatch(owner.watch, delivery.events);
    }
    return applied.outcome;
  }

  /** Serves one request as the leader would. */
  serve(client: FakeClient, requestId: number, request: RecipeRequest): Outcome<unknown> {
    switch (request.do) {
      case 'get':
        return this.machine.get({ key: request.key, prefix: request.prefix });
      case 'grant': {
        const id = `694d77aa9e38${(++this.leases).toString(16).padStart(4, '0')}`;
        return this.apply(client.name, requestId, { do: 'grant', id, ttlMs: request.ttlMs });
      }
      case 'keepalive': {
        const renewed = this.machine.lessor.renew(request.lease, this.nowMs);
        if (!renewed.ok) return renewed;
        return { ok: true, result: { header: { revision: this.machine.revision }, ttlMs: renewed.result.ttlMs } };
      }
      case 'revoke':
        return this.apply(client.name, requestId, { do: 'revoke', id: request.lease });
      default:
        return this.apply(client.name, requestId, request);
    }
  }

  openWatch(client: FakeClient, request: RecipeWatch): Outcome<{ header: { revision: number }; events: readonly WatchEvent[] }> {
    const hubId = `${client.name}/${request.watch}`;
    const created = this.hub.watch(hubId, { key: request.key, prefix: request.prefix, startRevision: request.startRevision });
    if (!created.ok) return { ok: false, error: created.error };
    this.watchOwners.set(hubId, { client, watch: request.watch });
    return { ok: true, result: { header: created.header, events: created.events } };
  }

  closeWatch(client: FakeClient, watch: string): void {
    const hubId = `${client.name}/${watch}`;
    this.hub.cancel(hubId);
    this.watchOwners.delete(hubId);
  }
}

/** A client of the fake cluster: implements RecipeClient and runs its actions one at a time. */
export class FakeClient implements RecipeClient {
  readonly recipes: ClientRecipes;
  private alive = true;
  private requestsCut = false;
  private repliesCut = false;
  // Messages waiting for the link to come back, in order.
  private held: (() => void)[] = [];
  private requests = 0;
  private readonly handlers = new Map<string, WatchHandlers>();
  private readonly queue: Parameters<ClientRecipes['run']>[0][] = [];
  private busy = false;

  constructor(private readonly etcd: FakeEtcd, readonly name: string, private readonly latencyMs: number) {
    this.recipes = new ClientRecipes(this);
  }

  get isAlive(): boolean {
    return this.alive;
  }

  nowMs(): number {
    return this.etcd.nowMs;
  }

  send<K extends RecipeRequest['do']>(
    request: Extract<RecipeRequest, { do: K }>,
    onOutcome: (outcome: RecipeOutcome<RecipeResults[K]>) => void,
  ): void {
    const id = ++this.requests;
    this.trace({ type: 'client', client: this.name, id, phase: 'invoke', op: request });
    let settled = false;
    const settle = (outcome: RecipeOutcome<unknown>): void => {
      if (settled || !this.alive) return;
      settled = true;
      const { phase } = outcome;
      this.trace(phase === 'ok'
        ? { type: 'client', client: this.name, id, phase, result: outcome.result }
        : { type: 'client', client: this.name, id, phase, error: outcome.error });
      onOutcome(outcome as RecipeOutcome<RecipeResults[K]>);
    };
    const isRead = request.do === 'get';
    this.etcd.at(this.nowMs() + this.etcd.timeoutMs, () => settle({ phase: isRead ? 'fail' : 'info', error: 'etcdserver: request timed out' }));
    this.travel(() => {
      const outcome = this.etcd.serve(this, id, request);
      this.travelBack(() => settle(outcome.ok ? { phase: 'ok', result: outcome.result } : { phase: 'fail', error: outcome.error }));
    });
  }

  watch(request: RecipeWatch, handlers: WatchHandlers, onOutcome: (outcome: RecipeOutcome<HeaderResult>) => void): void {
    const id = ++this.requests;
    this.trace({ type: 'client', client: this.name, id, phase: 'invoke', op: { do: 'watch', ...request } });
    this.travel(() => {
      const created = this.etcd.openWatch(this, request);
      this.travelBack(() => {
        if (!this.alive) return;
        if (!created.ok) {
          this.trace({ type: 'client', client: this.name, id, phase: 'fail', error: created.error });
          onOutcome({ phase: 'fail', error: created.error });
          return;
        }
        this.trace({ type: 'client', client: this.name, id, phase: 'ok', result: { header: created.result.header } });
        this.handlers.set(request.watch, handlers);
        onOutcome({ phase: 'ok', result: { header: created.result.header } });
        if (created.result.events.length > 0) this.receiveWatch(request.watch, created.result.events);
      });
    });
  }

  cancelWatch(watch: string): void {
    const id = ++this.requests;
    this.handlers.delete(watch);
    this.trace({ type: 'client', client: this.name, id, phase: 'invoke', op: { do: 'cancelWatch', watch } });
    this.travel(() => {
      this.etcd.closeWatch(this, watch);
      this.travelBack(() => {
        if (this.alive) this.trace({ type: 'client', client: this.name, id, phase: 'ok', result: { header: { revision: this.etcd.machine.revision } } });
      });
    });
  }

  at(atMs: number, callback: () => void): CancelTimer {
    return this.etcd.at(atMs, () => {
      if (this.alive) callback();
    });
  }

  emit(event: RecipeEventBody): void {
    this.trace({ type: 'recipe', client: this.name, ...event });
  }

  /** Server → client: a watch delivery travels like a reply. */
  deliverWatch(watch: string, events: readonly WatchEvent[]): void {
    this.travelBack(() => this.receiveWatch(watch, events));
  }

  enqueue(action: Parameters<ClientRecipes['run']>[0]): void {
    this.queue.push(action);
    this.next();
  }

  die(): void {
    this.alive = false;
    this.held = [];
    this.recipes.stop();
  }

  setCut(requests: boolean, replies: boolean): void {
    this.requestsCut = requests;
    this.repliesCut = replies;
    if (requests || replies) return;
    const held = this.held;
    this.held = [];
    for (const message of held) this.etcd.at(this.nowMs() + this.latencyMs, message);
  }

  private next(): void {
    if (this.busy || !this.alive) return;
    const action = this.queue.shift();
    if (action === undefined) return;
    this.busy = true;
    this.trace({ type: 'action', action: { ...action } });
    this.recipes.run(action, () => {
      this.busy = false;
      this.next();
    });
  }

  private receiveWatch(watch: string, events: readonly WatchEvent[]): void {
    const handlers = this.handlers.get(watch);
    if (!this.alive || handlers === undefined) return;
    this.trace({ type: 'watch', client: this.name, watch, events });
    handlers.onEvents(events);
  }

  /** Client → server, over the link (held while cut). */
  private travel(message: () => void): void {
    if (!this.alive) return;
    if (this.requestsCut) this.held.push(message);
    else this.etcd.at(this.nowMs() + this.latencyMs, message);
  }

  /** Server → client. */
  private travelBack(message: () => void): void {
    const arrive = (): void => {
      if (!this.alive) return;
      if (this.repliesCut) this.held.push(message);
      else message();
    };
    this.etcd.at(this.nowMs() + this.latencyMs, arrive);
  }

  private trace(event: Record<string, unknown>): void {
    this.etcd.events.push({ t: this.nowMs(), ...event });
  }
}
