/**
 * The world the nodes live in: a virtual clock, one seeded PRNG, the discrete-event queue, the network, the
 * disk model, scenario actions and the trace. The nodes themselves sit behind a NodeHost (host.ts).
 *
 * Driving it. The world is a state machine that asks for one host call at a time:
 *   - synchronously (CLI, tests, fuzzer): `world.runUntil(t, host)` with an InlineHost;
 *   - asynchronously (Web Workers): `for (let w; (w = world.nextNodeWork(t)); ) world.completeNodeWork(await
 *     performWorkAsync(host, w))` (see asyncDriver.ts).
 * Both paths run the same code in the same order, so they write byte-identical traces.
 *
 * Time. Virtual milliseconds. Each node's logical clock ticks every `tickMs`, at a phase in [1, tickMs]
 * drawn when the node (re)starts, so nodes do not tick in lockstep. Events at the same millisecond run in
 * the order they were scheduled; scenario actions run before any other event of their millisecond, in file
 * order.
 *
 * Pauses (docs/scenarios.md, "Process pauses"). A paused node gets no tick and no message: its ticks are skipped
 * (its logical clock, and with it its election timer and lease clocks, stands still) and the messages that reach
 * it (after the bus applied loss and cuts) wait in its inbox, delivered in order right after its resume, before
 * anything else. A paused client's messages wait the same way and its timers are frozen: each fires as much later
 * as the client was paused. Nothing of a pause touches a host: a paused node is simply not called, so inline and
 * worker hosts write the same trace.
 *
 * Randomness. One master PRNG (prng.ts, sfc32) seeded by the scenario's seed. Per message it draws loss,
 * duplication and latency; per node (re)start it draws the node's tick phase and the seed of the node's own
 * PRNG (which the core uses for its randomized election timeout), so a node can run in a Web Worker.
 */
import type { Message, NodeId, PersistentState } from '../raft/types.ts';
import { InvariantChecker, type Violation } from './raftInvariantChecker.ts';
import { Disk } from './disk.ts';
import { EventQueue } from './eventQueue.ts';
import {
  performWork, type NodeConfig, type NodeHost, type NodeSnapshot, type NodeWork, type StepInput, type StepResult,
} from './host.ts';
import { Network } from './network.ts';
import { partitionClientLinks } from './linkRules.ts';
import { Prng } from './prng.ts';
import { parseAction, type NodeRef, type ResolvedScenario, type ScenarioAction, type SimConfig } from './scenario.ts';
import type { ActionEvent, DropReason, SimEvent, SimListener, TraceEvent, TraceHeader } from './traceEvents.ts';
import type { ClientLayer } from '../etcd/index.ts';
import type { ClientHub } from '../etcd/index.ts';
import type { ClientEndpoint } from '../etcd/index.ts';
import type { ClusterRecipeClient } from '../etcd/index.ts';
import type { KvBusMsg } from '../etcd/index.ts';
import { toPpm } from './prng.ts';

export interface WorldOptions {
  readonly scenario: ResolvedScenario;
  /** Check the invariants on every event (default true); a violation stops the run. */
  readonly check?: boolean;
  /** The durable state each node starts from (default: empty). Benchmarks use it to start from a long log. */
  readonly initialState?: (node: NodeId) => PersistentState | undefined;
  /**
   * The clients and their recipes (clientLayer.ts; the full one is `kvClients`). Injected so that code which only
   * runs Raft (the app's first load) does not carry them. Required once an action names a client (`namesClient`);
   * a run without one throws there, naming this field. May also be supplied later: `attachClientLayer`.
   */
  readonly clientLayer?: ClientLayer;
}

/** A leader as the run saw it: `node` became leader of `term` at virtual time `t`. */
export interface LeaderRecord {
  readonly term: number;
  readonly node: NodeId;
  readonly t: number;
}

/** A violation as reported by a run: the checker's report plus the seed that reproduces it. */
export interface ViolationReport extends Violation {
  readonly seed: number;
}

const TICK = 0;
const DELIVER = 1;
/** A key-value message (to or from a client, or a lease forward between nodes). */
const KV_DELIVER = 2;
/** A client's timer (a retry, a timeout, a keepalive, a watch probe). */
const CLIENT_TIMER = 3;

interface TickItem {
  readonly time: number;
  seq: number;
  readonly kind: typeof TICK;
  readonly node: NodeId;
  /** The node's incarnation that scheduled it: ticks of an earlier incarnation are stale. */
  readonly epoch: number;
}

interface DeliverItem {
  readonly time: number;
  seq: number;
  readonly kind: typeof DELIVER;
  readonly id: number;
  readonly msg: Message;
}

interface KvDeliverItem {
  readonly time: number;
  seq: number;
  readonly kind: typeof KV_DELIVER;
  readonly id: number;
  readonly msg: KvBusMsg;
}

interface ClientTimerItem {
  readonly time: number;
  seq: number;
  readonly kind: typeof CLIENT_TIMER;
  readonly client: string;
  readonly timer: number;
  /** How long the client had been paused in all when the timer was set: it fires as much later as the client was paused since. */
  readonly frozenMs: number;
}

type QueueItem = TickItem | DeliverItem | KvDeliverItem | ClientTimerItem;

/** What the world knows of a node: whether it runs, and its view as of its last step. */
interface NodeSlot {
  up: boolean;
  /** Incremented at every (re)start. */
  epoch: number;
  view: NodeSnapshot;
  /** Order of the node's last crash (0: never crashed): `lastCrashed` picks the largest among down nodes. */
  crashOrder: number;
  /** Paused: up, but given no tick and no message until resumed (a crash ends the pause). */
  paused: boolean;
  /** Order of the node's last pause: `lastPaused` picks the largest among paused nodes. */
  pauseOrder: number;
  /** Messages that arrived while it was paused, in arrival order. */
  inbox: (DeliverItem | KvDeliverItem)[];
}

/** A paused client: since when, and what reached it meanwhile (messages, and timers that came due). */
interface ClientPause {
  readonly sinceMs: number;
  readonly held: (KvDeliverItem | ClientTimerItem)[];
}

/** The host call in flight and what to do with its result. */
interface PendingWork {
  readonly work: NodeWork;
  /** Emit a state event even if nothing changed (boot and restart). */
  readonly forceState: boolean;
  /** A propose/timeout/transfer action whose event is written when its step returns (to report a rejection). */
  readonly action?: ActionEvent;
}

const INITIAL_VIEW: NodeSnapshot = { role: 'follower', term: 0, vote: 0, leader: 0, commit: 0, lastIndex: 0, lastTerm: 0 };

export class World {
  readonly scenario: ResolvedScenario;
  readonly seed: number;
  /** Virtual time in ms. Invariant: never decreases. */
  now = 0;
  /** Trace events emitted so far (the header and listener-only events not counted). */
  eventCount = 0;
  /** Every node that became leader, in order. */
  readonly leaders: LeaderRecord[] = [];
  readonly network: Network;
  readonly checker: InvariantChecker | undefined;

  private readonly prng: Prng;
  private readonly queue = new EventQueue<QueueItem>();
  private readonly disk: Disk;
  private readonly slots: NodeSlot[] = [];
  /** Pending actions, sorted by `at` (ties: the order they were added). Invariant: actionCursor <= actions.length. */
  private readonly actions: ScenarioAction[];
  private actionCursor = 0;
  private readonly listeners: SimListener[] = [];
  private readonly nodeConfigs: NodeConfig[] = [];
  private nextMessageId = 1;
  private crashCount = 0;
  private pauseCount = 0;
  /**
   * A resumed node's inbox: delivered next, in order, before any action or queued event. Taken by a cursor (a long
   * pause can leave a long inbox). Invariant: resumedCursor <= resumedInbox.length.
   */
  private resumedInbox: (DeliverItem | KvDeliverItem)[] = [];
  private resumedCursor = 0;
  /** The paused clients. */
  private readonly clientPauses = new Map<string, ClientPause>();
  /** How long each client has been paused in all (over every finished pause): its timers' shift. */
  private readonly clientFrozenMs = new Map<string, number>();
  /** Next node to create at t = 0; N + 1 once every node booted. */
  private bootCursor = 1;
  private pending: PendingWork | undefined;
  private violationFound: ViolationReport | undefined;
  /** Builds the clients; undefined until given (options or attachClientLayer). */
  private clientLayer: ClientLayer | undefined;
  /** The clients, created with the first `client` action (a Raft-only run has none). */
  private clients: ClientHub | undefined;
  /** Each client's recipes (docs/recipes.md), created with its first recipe action. */
  private readonly recipeClients = new Map<string, ClusterRecipeClient>();
  /**
   * Per node, the first message id it did not send before its last `crash` with `dropInFlight`: its messages with a
   * lower id still on the wire are lost with it (docs/scenarios.md). 0 (or absent): nothing of it is dropped.
   */
  private readonly lostWithSenderBelowId: number[] = [];

  constructor(options: WorldOptions) {
    const s = options.scenario;
    this.scenario = s;
    this.seed = s.seed;
    this.prng = new Prng(s.seed);
    this.network = new Network(s.nodes, s.network);
    const initial = Array.from({ length: s.nodes + 1 }, (_, node) => (node > 0 ? options.initialState?.(node) : undefined));
    this.disk = new Disk(s.nodes, (node) => initial[node]);
    this.actions = s.actions.slice();
    this.checker = options.check === false ? undefined : new InvariantChecker(s.nodes);
    this.clientLayer = options.clientLayer;
    const peers = Array.from({ length: s.nodes }, (_, i) => i + 1);
    for (let node = 1; node <= s.nodes; node++) {
      this.slots[node] = { up: false, epoch: 0, view: INITIAL_VIEW, crashOrder: 0, paused: false, pauseOrder: 0, inbox: [] };
      this.nodeConfigs[node] = nodeConfig(s.config, node, peers);
      const state = initial[node];
      if (state && this.checker) this.checker.seed(node, state);
    }
  }

  /** The trace header for this run. */
  header(): TraceHeader {
    const s = this.scenario;
    return {
      type: 'header', format: 'flotilla-trace', version: 1, seed: s.seed,
      nodes: this.slots.map((_, i) => i).filter((i) => i > 0), config: s.config, network: s.network,
      name: s.name, until: s.until,
    };
  }

  /** Subscribes to every event (trace and listener-only), in order. Returns the unsubscribe function. */
  subscribe(listener: SimListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** The first invariant violation; the run stops at it. */
  get violation(): ViolationReport | undefined {
    return this.violationFound;
  }

  /** True once a violation stopped the run. */
  get stopped(): boolean {
    return this.violationFound !== undefined;
  }

  isUp(node: NodeId): boolean {
    return this.slots[node]!.up;
  }

  /** True while the node is paused (up, but doing nothing). */
  isPaused(node: NodeId): boolean {
    return this.slots[node]!.paused;
  }

  /** True while the client is paused. */
  isClientPaused(client: string): boolean {
    return this.clientPauses.has(client);
  }

  /** The node's view as of its last step (also kept for a crashed node: its state when it crashed). */
  view(node: NodeId): NodeSnapshot {
    return this.slots[node]!.view;
  }

  /** The cluster size N (nodes are 1..N). */
  get nodeCount(): number {
    return this.scenario.nodes;
  }

  /**
   * Adds an action (from the UI or the fuzzer) to run at `action.at`, after the actions already scheduled for
   * that millisecond. Throws if `at` is in the past.
   */
  scheduleAction(action: ScenarioAction): void {
    if (action.at < this.now) throw new RangeError(`action.at ${action.at} is before the current time ${this.now}`);
    let i = this.actions.length;
    while (i > this.actionCursor && this.actions[i - 1]!.at > action.at) i--;
    this.actions.splice(i, 0, action);
  }

  /**
   * Validates a user action (the UI's commands: the scenario action format, `at` optional) and schedules it
   * at `at`, or now when omitted (then `at` is added to what the trace shows as written). An action for the
   * current millisecond runs before the next event. Throws FieldError naming the bad field.
   */
  submitAction(json: Readonly<Record<string, unknown>>): ScenarioAction {
    const written = json.at === undefined ? { at: this.now, ...json } : json;
    const action = parseAction(written, this.scenario.nodes);
    this.scheduleAction(action);
    return action;
  }

  /** Runs every event with t <= until on a synchronous host (stops early on a violation). */
  runUntil(until: number, host: NodeHost): void {
    for (let work = this.nextNodeWork(until); work; work = this.nextNodeWork(until)) {
      this.completeNodeWork(performWork(host, work));
    }
  }

  /**
   * Advances the world to its next host call with t <= until and returns it, or undefined when every event
   * up to `until` has run (the clock then reads `until`) or a violation stopped the run. The caller performs
   * the call and hands the result to completeNodeWork before asking again.
   */
  nextNodeWork(until: number): NodeWork | undefined {
    if (this.pending) throw new Error('World.nextNodeWork: the previous work is not complete');
    while (!this.violationFound) {
      if (this.bootCursor <= this.scenario.nodes) return this.beginCreate(this.bootCursor++);
      if (this.resumedCursor < this.resumedInbox.length) {
        const item = this.resumedInbox[this.resumedCursor++]!;
        if (this.resumedCursor === this.resumedInbox.length) {
          this.resumedInbox = [];
          this.resumedCursor = 0;
        }
        const work = this.deliverFromInbox(item);
        if (work) return work;
        continue;
      }
      const action = this.actions[this.actionCursor];
      const queueTime = this.queue.peekTime();
      if (action && action.at <= until && action.at <= queueTime) {
        this.actionCursor++;
        this.forgetPastActions();
        this.now = Math.max(this.now, action.at);
        const work = this.runAction(action);
        if (work) return work;
        continue;
      }
      if (queueTime > until) break;
      const item = this.queue.pop()!;
      this.now = item.time;
      const work = this.runItem(item);
      if (work) return work;
    }
    if (!this.violationFound && until > this.now) this.now = until;
    return undefined;
  }

  /** Takes the result of the work nextNodeWork returned (undefined for a crash). */
  completeNodeWork(result: StepResult | undefined): void {
    const pending = this.pending;
    if (!pending) throw new Error('World.completeNodeWork: no work is pending');
    this.pending = undefined;
    const work = pending.work;
    if (work.op === 'crash') return;
    if (!result) throw new Error(`World.completeNodeWork: ${work.op} on node ${work.node} needs a StepResult`);
    if (pending.action) {
      const outcome = result.proposeOutcome;
      this.emit(outcome && !outcome.ok ? { ...pending.action, noop: true, reason: `rejected: ${outcome.reason}` } : pending.action);
    }
    this.applyResult(work.node, result, pending.forceState);
  }

  /**
   * The step works nextNodeWork will return after the pending step, in order, whatever the results of that step
   * and of each other: a host may run them all at once (in parallel on different nodes) and the world then takes
   * their results one by one, in this order, exactly as if it had asked for them one at a time.
   *
   * Why they are certain (conservative lookahead, as in Chandy-Misra-Bryant parallel discrete-event simulation):
   * a result at time t adds events no earlier than t + min(latency, tickMs) (its messages and its next tick),
   * and a new event sorts after every queued event of its millisecond or earlier; which queued event becomes
   * a step (cut link, crashed node, stale tick) changes only through actions. So every queued event up to
   * now + min(latency, tickMs), and before the next action, runs next in queue order. Valid until the world
   * is driven again or an action is scheduled; drivers use them at once (asyncDriver.ts: runWindowAsync).
   */
  upcomingSteps(until: number): NodeWork[] {
    const pending = this.pending;
    // A resumed node's inbox runs first, outside the queue: no window while it drains.
    if (!pending || pending.work.op !== 'step' || this.violationFound || this.resumedCursor < this.resumedInbox.length) return [];
    const lookaheadMs = Math.min(this.network.settings.latencyMs[0], this.scenario.config.tickMs);
    const horizon = Math.min(until, this.now + lookaheadMs);
    const nextAction = this.actions[this.actionCursor];
    const out: NodeWork[] = [];
    for (const item of this.queue.itemsUpTo(horizon)) {
      // Actions run before any other event of their millisecond.
      if (nextAction && nextAction.at <= item.time) break;
      // Clients act outside the host and may send at once: the window ends before them.
      if (item.kind === KV_DELIVER || item.kind === CLIENT_TIMER) break;
      if (item.kind === TICK) {
        const slot = this.slots[item.node]!;
        if (slot.up && !slot.paused && slot.epoch === item.epoch) out.push({ op: 'step', node: item.node, input: { kind: 'tick' } });
      } else {
        const { from, to } = item.msg;
        if (!this.network.isCut(from, to) && this.slots[to]!.up && !this.slots[to]!.paused && !this.lostWithSender(from, item.id)) {
          out.push({ op: 'step', node: to, input: { kind: 'message', message: item.msg } });
        }
      }
    }
    return out;
  }

  /**
   * The host failed to run the pending work (a node's Web Worker threw): the world treats it as a crash of that
   * node at the current time. The input is lost with the node (nothing of it is persisted, traced or sent), a
   * `crash` event is written, and from then on the node is down like any crashed node: messages to it are
   * dropped as `crashed`, `restart` (or "lastCrashed") brings it back from its persisted state. A propose,
   * timeout or transfer action that was running on it is recorded as a no-op naming the failure.
   */
  failPendingWork(error: string): void {
    const pending = this.pending;
    if (!pending) throw new Error('World.failPendingWork: no work is pending');
    this.pending = undefined;
    const node = pending.work.node;
    if (pending.action) this.emit({ ...pending.action, noop: true, reason: `node failed: ${error}` });
    const slot = this.slots[node]!;
    if (!slot.up) return;
    slot.up = false;
    slot.crashOrder = ++this.crashCount;
    this.emit({ t: this.now, type: 'crash', node });
  }

  /** Drops actions already run, in batches, so a long interactive session does not keep its whole history. */
  private forgetPastActions(): void {
    if (this.actionCursor >= 1024 && this.actionCursor * 2 >= this.actions.length) {
      this.actions.splice(0, this.actionCursor);
      this.actionCursor = 0;
    }
  }

  // ---- the pieces of a step ----

  private begin(work: NodeWork, forceState = false, action?: ActionEvent): NodeWork {
    this.pending = { work, forceState, action };
    return work;
  }

  /** (Re)starts a node from its durable state; draws its PRNG seed and tick phase from the master PRNG. */
  private beginCreate(node: NodeId): NodeWork {
    const slot = this.slots[node]!;
    slot.up = true;
    slot.epoch++;
    const randomSeed = this.prng.childSeed();
    const tickMs = this.scenario.config.tickMs;
    const phaseMs = 1 + this.prng.int(tickMs);
    this.queue.push({ time: this.now + phaseMs, seq: 0, kind: TICK, node, epoch: slot.epoch });
    // A fresh node loads an empty durable state, which is the same as starting fresh.
    const persisted = this.disk.load(node);
    const init = { config: this.nodeConfigs[node]!, randomSeed, persisted, tickMs, incarnation: slot.epoch };
    return this.begin({ op: 'create', node, init }, true);
  }

  private runItem(item: QueueItem): NodeWork | undefined {
    switch (item.kind) {
      case TICK: return this.runTick(item);
      case DELIVER: return this.runDelivery(item);
      case KV_DELIVER: return this.runKvDelivery(item);
      case CLIENT_TIMER:
        return this.runClientTimer(item);
    }
  }

  /** A client's timer came due: held while the client is paused, moved later by any pause since it was set. */
  private runClientTimer(item: ClientTimerItem): undefined {
    const pause = this.clientPauses.get(item.client);
    if (pause) {
      pause.held.push(item);
      return undefined;
    }
    const frozenMs = this.clientFrozenMs.get(item.client) ?? 0;
    if (item.frozenMs < frozenMs) {
      this.queue.push({ ...item, time: item.time + (frozenMs - item.frozenMs), frozenMs });
      return undefined;
    }
    this.clients?.fire(item.client, item.timer);
    return undefined;
  }

  private runTick(item: TickItem): NodeWork | undefined {
    const slot = this.slots[item.node]!;
    if (!slot.up || slot.epoch !== item.epoch) return undefined;
    this.queue.push({ time: item.time + this.scenario.config.tickMs, seq: 0, kind: TICK, node: item.node, epoch: item.epoch });
    // A paused node's clock stands still: the tick is not delivered (the chain goes on, so it resumes in phase).
    if (slot.paused) return undefined;
    return this.begin({ op: 'step', node: item.node, input: { kind: 'tick' } });
  }

  private runDelivery(item: DeliverItem): NodeWork | undefined {
    const { from, to } = item.msg;
    if (this.lostWithSender(from, item.id)) return this.drop(item.id, 'crashed');
    if (this.network.isCut(from, to)) return this.drop(item.id, 'partition');
    const slot = this.slots[to]!;
    if (!slot.up) return this.drop(item.id, 'crashed');
    if (slot.paused) {
      slot.inbox.push(item);
      return undefined;
    }
    this.emit({ t: this.now, type: 'deliver', id: item.id });
    return this.begin({ op: 'step', node: to, input: { kind: 'message', message: item.msg } });
  }

  /**
   * A message from a resumed node's inbox: it passed the link when it arrived, so only a crash since (a failed
   * worker while the inbox drains) stops it now.
   */
  private deliverFromInbox(item: DeliverItem | KvDeliverItem): NodeWork | undefined {
    const to = item.msg.to as NodeId;
    if (!this.slots[to]!.up) return this.drop(item.id, 'crashed');
    this.emit({ t: this.now, type: 'deliver', id: item.id });
    const input: StepInput = item.kind === DELIVER ? { kind: 'message', message: item.msg } : { kind: 'kv', message: item.msg };
    return this.begin({ op: 'step', node: to, input });
  }

  /** A key-value message arrives: at a node (a step) or at a client (handled here, no host call). */
  private runKvDelivery(item: KvDeliverItem): NodeWork | undefined {
    const { from, to } = item.msg;
    if (typeof from === 'number' && this.lostWithSender(from, item.id)) return this.drop(item.id, 'crashed');
    if (this.isKvLinkCut(from, to)) return this.drop(item.id, 'partition');
    if (typeof to === 'number') {
      const slot = this.slots[to]!;
      if (!slot.up) return this.drop(item.id, 'crashed');
      if (slot.paused) {
        slot.inbox.push(item);
        return undefined;
      }
      this.emit({ t: this.now, type: 'deliver', id: item.id });
      return this.begin({ op: 'step', node: to, input: { kind: 'kv', message: item.msg } });
    }
    const clients = this.clients!;
    if (clients.isGone(to)) return this.drop(item.id, 'crashed');
    const pause = this.clientPauses.get(to);
    if (pause) {
      pause.held.push(item);
      return undefined;
    }
    this.emit({ t: this.now, type: 'deliver', id: item.id });
    clients.deliver(item.msg as Extract<KvBusMsg, { to: string }>);
    return undefined;
  }

  /** True when message `id` of `from` was still on the wire when `from` crashed with `dropInFlight`. */
  private lostWithSender(from: NodeId, id: number): boolean {
    return id < (this.lostWithSenderBelowId[from] ?? 0);
  }

  private isKvLinkCut(from: NodeId | string, to: NodeId | string): boolean {
    if (typeof from === 'number' && typeof to === 'number') return this.network.isCut(from, to);
    return this.clients !== undefined && this.clients.isCut(from, to);
  }

  /** Puts a key-value message on the bus, like send(): client links take the network's current settings. */
  private sendKv(msg: KvBusMsg): void {
    const id = this.nextMessageId++;
    const { from, to } = msg;
    this.emit({ t: this.now, type: 'kvSend', id, msg });
    if (this.isKvLinkCut(from, to)) {
      this.drop(id, 'partition');
      return;
    }
    const net = this.network;
    const nodeLink = typeof from === 'number' && typeof to === 'number';
    const settings = net.settings;
    if (this.prng.chancePpm(nodeLink ? net.lossPpm(from, to) : toPpm(settings.dropRate))) {
      this.drop(id, 'loss');
      return;
    }
    const copies = this.prng.chancePpm(nodeLink ? net.duplicationPpm(from, to) : toPpm(settings.duplicateRate)) ? 2 : 1;
    const min = nodeLink ? net.latencyMin(from, to) : settings.latencyMs[0];
    const max = nodeLink ? net.latencyMax(from, to) : settings.latencyMs[1];
    for (let c = 0; c < copies; c++) {
      const delayMs = min === max ? min : this.prng.intBetween(min, max);
      this.queue.push({ time: this.now + delayMs, seq: 0, kind: KV_DELIVER, id, msg });
    }
  }

  /**
   * Supplies the client layer to a world created without one (the app loads it when the user first names a client,
   * without re-simulating the run). Nothing of the run changes: the clients are created when an action needs them.
   * Ignored when the world already has a layer.
   */
  attachClientLayer(layer: ClientLayer): void {
    this.clientLayer ??= layer;
  }

  /** The clients of this run (created with the first `client` action). Throws without a client layer. */
  get clientHub(): ClientHub {
    if (!this.clients) {
      const layer = this.clientLayer;
      if (!layer) throw new Error('WorldOptions.clientLayer: this run names a client, but the world was created without a client layer (pass kvClients from src/etcd/kvClients.ts)');
      const now = (): number => this.now;
      this.clients = layer.createHub({
        get nowMs() {
          return now();
        },
        nodeCount: this.scenario.nodes,
        sendKv: (msg) => this.sendKv(msg),
        setClientTimer: (atMs, client, timer) => this.queue.push({
          time: atMs, seq: 0, kind: CLIENT_TIMER, client, timer, frozenMs: this.clientFrozenMs.get(client) ?? 0,
        }),
        emit: (event) => this.emit(event),
        drawInt: (n) => this.prng.int(n),
      }, this.scenario.config.electionTimeoutMs);
    }
    return this.clients;
  }

  private drop(id: number, reason: DropReason): undefined {
    this.emit({ t: this.now, type: 'drop', id, reason });
    return undefined;
  }

  /** Persist, then trace, then send: the Ready contract (nothing leaves before what it depends on is durable). */
  private applyResult(node: NodeId, r: StepResult, forceState: boolean): void {
    const t = this.now;
    if (r.hardState) this.disk.saveHardState(node, r.hardState);
    if (r.append) {
      this.disk.append(node, r.append.from, r.append.entries);
      this.emit({ t, type: 'append', node, from: r.append.from, entries: r.append.entries });
    }
    for (const e of r.committed) this.emit({ t, type: 'apply', node, index: e.index, term: e.term, data: e.data });
    const slot = this.slots[node]!;
    const v = r.view;
    const old = slot.view;
    slot.view = v;
    if (
      forceState || v.role !== old.role || v.term !== old.term || v.vote !== old.vote || v.leader !== old.leader ||
      v.commit !== old.commit || v.lastIndex !== old.lastIndex || v.lastTerm !== old.lastTerm
    ) {
      this.emit({ t, type: 'state', node, role: v.role, term: v.term, vote: v.vote, leader: v.leader, commit: v.commit, last: [v.lastIndex, v.lastTerm] });
      if (v.role === 'leader' && (old.role !== 'leader' || old.term !== v.term)) this.recordLeader(node, v.term);
    }
    if (this.listeners.length > 0) {
      for (const explanation of r.explanations) this.emit({ t, type: 'explain', node, explanation });
      for (const rs of r.readStates) this.emit({ t, type: 'read', node, context: rs.context, index: rs.index });
      for (const rf of r.readFailures) this.emit({ t, type: 'read', node, context: rf.context, reason: rf.reason });
    }
    for (const msg of r.messages) this.send(msg);
    if (r.kv) {
      for (const note of r.kv.leases) this.emit({ t, type: 'lease', ...note });
      for (const msg of r.kv.messages) this.sendKv(msg);
    }
  }

  private recordLeader(node: NodeId, term: number): void {
    this.leaders.push({ term, node, t: this.now });
  }

  /** Puts a message on the bus: traced, then dropped (cut link or loss) or scheduled (once, or twice if duplicated). */
  private send(msg: Message): void {
    const id = this.nextMessageId++;
    const { from, to } = msg;
    this.emit({ t: this.now, type: 'send', id, from, to, msg });
    const net = this.network;
    if (net.isCut(from, to)) {
      this.drop(id, 'partition');
      return;
    }
    if (this.prng.chancePpm(net.lossPpm(from, to))) {
      this.drop(id, 'loss');
      return;
    }
    const copies = this.prng.chancePpm(net.duplicationPpm(from, to)) ? 2 : 1;
    const min = net.latencyMin(from, to);
    const max = net.latencyMax(from, to);
    for (let c = 0; c < copies; c++) {
      const delayMs = min === max ? min : this.prng.intBetween(min, max);
      this.queue.push({ time: this.now + delayMs, seq: 0, kind: DELIVER, id, msg });
    }
  }

  private emit(event: SimEvent): void {
    if (event.type !== 'explain' && event.type !== 'read') {
      this.eventCount++;
      if (this.checker && !this.violationFound) {
        const v = this.checker.onEvent(event as TraceEvent);
        if (v) this.violationFound = { ...v, seed: this.seed };
      }
    }
    for (let i = 0; i < this.listeners.length; i++) this.listeners[i]!(event);
  }

  // ---- actions ----

  /**
   * Resolves "leader" (the live node that believes it leads, highest term; a paused leader still believes it),
   * "lastCrashed" and "lastPaused" (the node paused most recently that is still paused); 0 if none fits.
   */
  resolveNode(ref: NodeRef): NodeId {
    if (typeof ref === 'number') return ref;
    let best = 0;
    for (let node = 1; node <= this.scenario.nodes; node++) {
      const slot = this.slots[node]!;
      if (ref === 'lastPaused') {
        if (slot.paused && (best === 0 || slot.pauseOrder > this.slots[best]!.pauseOrder)) best = node;
      } else if (ref === 'leader') {
        if (slot.up && slot.view.role === 'leader' && (best === 0 || slot.view.term > this.slots[best]!.view.term)) best = node;
      } else if (!slot.up && slot.crashOrder > 0 && (best === 0 || slot.crashOrder > this.slots[best]!.crashOrder)) {
        best = node;
      }
    }
    return best;
  }

  /** Runs one action; returns the host call it needs, if any. Wrong-state actions are recorded as no-ops. */
  private runAction(a: ScenarioAction): NodeWork | undefined {
    const t = this.now;
    const base: ActionEvent = { t, type: 'action', action: a.written };
    const noop = (reason: string, fields: Partial<ActionEvent> = {}): undefined => {
      this.emit({ ...base, ...fields, noop: true, reason });
      return undefined;
    };
    const unresolved = (ref: NodeRef): string => (ref === 'leader' ? 'no leader' : ref === 'lastPaused' ? 'no paused node' : 'no crashed node');
    switch (a.do) {
      case 'crash': {
        const node = this.resolveNode(a.node);
        if (node === 0) return noop(unresolved(a.node));
        const slot = this.slots[node]!;
        if (!slot.up) return noop('node is already crashed', { node });
        this.emit({ ...base, node });
        if (a.dropInFlight) this.lostWithSenderBelowId[node] = this.nextMessageId;
        slot.up = false;
        slot.crashOrder = ++this.crashCount;
        this.emit({ t, type: 'crash', node });
        this.discardInbox(slot);
        return this.begin({ op: 'crash', node });
      }
      case 'restart': {
        const node = this.resolveNode(a.node);
        if (node === 0) return noop(unresolved(a.node));
        if (this.slots[node]!.paused) return noop('node is paused, not crashed', { node });
        if (this.slots[node]!.up) return noop('node is running', { node });
        this.emit({ ...base, node });
        this.emit({ t, type: 'restart', node });
        return this.beginCreate(node);
      }
      case 'timeout':
      case 'propose': {
        const node = this.resolveNode(a.node);
        if (node === 0) return noop(unresolved(a.node));
        const slot = this.slots[node]!;
        if (!slot.up) return noop('node is crashed', { node });
        if (slot.paused) return noop('node is paused', { node });
        if (a.do === 'propose') {
          return this.begin({ op: 'step', node, input: { kind: 'propose', data: a.data } }, false, { ...base, node });
        }
        if (slot.view.role === 'leader') return noop('node is the leader', { node });
        return this.begin({ op: 'step', node, input: { kind: 'timeout' } }, false, { ...base, node });
      }
      case 'transfer': {
        const leader = this.resolveNode('leader');
        if (leader === 0) return noop('no leader');
        if (this.slots[leader]!.paused) return noop('the leader is paused', { node: leader });
        const to = this.resolveNode(a.to);
        if (to === 0) return noop(unresolved(a.to), { node: leader });
        if (to === leader) return noop('target is the leader', { node: leader, to });
        if (!this.slots[to]!.up) return noop('target is crashed', { node: leader, to });
        return this.begin({ op: 'step', node: leader, input: { kind: 'transfer', to } }, false, { ...base, node: leader, to });
      }
      case 'isolate': {
        const node = this.resolveNode(a.node);
        if (node === 0) return noop(unresolved(a.node));
        this.network.isolate(node);
        this.emit({ ...base, node });
        return undefined;
      }
      case 'cut':
      case 'restore': {
        if (typeof a.from === 'object' || typeof a.to === 'object') return this.runClientLinkAction(a, base);
        const from = this.resolveNode(a.from);
        if (from === 0) return noop(unresolved(a.from));
        const to = this.resolveNode(a.to);
        if (to === 0) return noop(unresolved(a.to), { from });
        if (from === to) return noop('both ends are the same node', { from, to });
        this.network.setCut(from, to, a.do === 'cut');
        this.emit({ ...base, from, to });
        return undefined;
      }
      case 'partition':
        this.network.partition(a.groups.map((group) => group.filter((m): m is NodeId => typeof m === 'number')));
        if (a.groups.some((group) => group.some((m) => typeof m === 'string'))) this.clientHub.cutAll(partitionClientLinks(a.groups, this.nodeCount));
        this.emit(base);
        return undefined;
      case 'heal':
        this.network.heal();
        this.clients?.heal();
        this.emit(base);
        return undefined;
      case 'network':
        this.network.update(a.settings);
        this.emit(base);
        return undefined;
      case 'pause':
      case 'resume':
        return 'client' in a ? this.runClientPause(a, base) : this.runNodePause(a, base);
      case 'client': {
        const created = this.clientHub.create(a.spec);
        if (typeof created === 'string') return noop(created);
        this.emit({ ...base, node: created.node });
        return undefined;
      }
      default:
        return this.runClientAction(a, base);
    }
  }

  /** `pause`/`resume` of a node. Wrong-state actions (already paused, not paused, crashed) are no-ops, as for crash/restart. */
  private runNodePause(a: Extract<ScenarioAction, { do: 'pause' | 'resume'; node: NodeRef }>, base: ActionEvent): undefined {
    const noop = (reason: string, node?: NodeId): undefined => {
      this.emit({ ...base, ...(node ? { node } : {}), noop: true, reason });
      return undefined;
    };
    const node = this.resolveNode(a.node);
    if (node === 0) return noop(a.node === 'leader' ? 'no leader' : a.node === 'lastPaused' ? 'no paused node' : 'no crashed node');
    const slot = this.slots[node]!;
    if (!slot.up) return noop('node is crashed', node);
    const t = this.now;
    if (a.do === 'pause') {
      if (slot.paused) return noop('node is already paused', node);
      this.emit({ ...base, node });
      slot.paused = true;
      slot.pauseOrder = ++this.pauseCount;
      this.emit({ t, type: 'pause', node });
      return undefined;
    }
    if (!slot.paused) return noop('node is not paused', node);
    this.emit({ ...base, node });
    slot.paused = false;
    this.emit({ t, type: 'resume', node });
    // What waited in its inbox is delivered now, in order, before anything else (nextNodeWork).
    for (const item of slot.inbox) this.resumedInbox.push(item);
    slot.inbox = [];
    return undefined;
  }

  /** A crashed node's inbox goes with it. */
  private discardInbox(slot: NodeSlot): void {
    slot.paused = false;
    const inbox = slot.inbox;
    slot.inbox = [];
    for (const item of inbox) this.drop(item.id, 'crashed');
  }

  /** `pause`/`resume` of a client: its messages wait, its timers stand still. */
  private runClientPause(a: Extract<ScenarioAction, { do: 'pause' | 'resume'; client: string }>, base: ActionEvent): undefined {
    const noop = (reason: string): undefined => {
      this.emit({ ...base, noop: true, reason });
      return undefined;
    };
    const name = a.client;
    const client = this.clients?.get(name);
    if (!client) return noop(`unknown client ${name}`);
    if (client.killed) return noop(`client ${name} was killed`);
    const pause = this.clientPauses.get(name);
    const t = this.now;
    if (a.do === 'pause') {
      if (pause) return noop(`client ${name} is already paused`);
      this.emit(base);
      this.clientPauses.set(name, { sinceMs: t, held: [] });
      this.emit({ t, type: 'pause', client: name });
      return undefined;
    }
    if (!pause) return noop(`client ${name} is not paused`);
    this.emit(base);
    this.clientPauses.delete(name);
    const frozenMs = (this.clientFrozenMs.get(name) ?? 0) + (t - pause.sinceMs);
    this.clientFrozenMs.set(name, frozenMs);
    this.emit({ t, type: 'resume', client: name });
    // Messages first, in arrival order; the timers that came due go back on the queue, frozen for the pause.
    for (const item of pause.held) {
      if (item.kind === CLIENT_TIMER) this.queue.push({ ...item, time: item.time + (frozenMs - item.frozenMs), frozenMs });
      else if (!client.killed) {
        this.emit({ t, type: 'deliver', id: item.id });
        this.clients!.deliver(item.msg as Extract<KvBusMsg, { to: string }>);
      }
    }
    return undefined;
  }

  /** `cut`/`restore` of a link between a client and a node. */
  private runClientLinkAction(a: Extract<ScenarioAction, { do: 'cut' | 'restore' }>, base: ActionEvent): undefined {
    const end = (e: typeof a.from): NodeId | string => (typeof e === 'object' ? e.client : this.resolveNode(e));
    const from = end(a.from);
    const to = end(a.to);
    if (from === 0 || to === 0) {
      const unresolved = from === 0 ? a.from : a.to;
      this.emit({ ...base, noop: true, reason: unresolved === 'leader' ? 'no leader' : 'no crashed node' });
      return undefined;
    }
    this.clientHub.setCut(from, to, a.do === 'cut');
    this.emit({ ...base, ...(typeof from === 'number' ? { from } : {}), ...(typeof to === 'number' ? { to } : {}) });
    return undefined;
  }

  /** The recipes of a client (they run in it, through its requests and timers). */
  private recipeClientOf(client: ClientEndpoint): ClusterRecipeClient {
    let recipes = this.recipeClients.get(client.name);
    if (!recipes) {
      // A client exists, so the hub, and with it the layer, does too.
      recipes = this.clientLayer!.createRecipes(client, (event) => this.emit(event), () => this.now);
      this.recipeClients.set(client.name, recipes);
    }
    return recipes;
  }

  /** An action run by a client: queued behind its running action, traced when its request is sent. */
  private runClientAction(a: Extract<ScenarioAction, { client: string }>, base: ActionEvent): undefined {
    const client = this.clients?.get(a.client);
    if (!client) {
      this.emit({ ...base, noop: true, reason: `unknown client ${a.client}` });
      return undefined;
    }
    if (client.killed) {
      this.emit({ ...base, noop: true, reason: `client ${a.client} was killed` });
      return undefined;
    }
    const pause = this.clientPauses.get(a.client);
    if (pause && a.do !== 'killClient') {
      this.emit({ ...base, noop: true, reason: `client ${a.client} is paused` });
      return undefined;
    }
    this.emit(base);
    switch (a.do) {
      case 'killClient':
        client.kill();
        if (pause) {
          // Its inbox dies with it.
          this.clientPauses.delete(a.client);
          for (const item of pause.held) if (item.kind === KV_DELIVER) this.drop(item.id, 'crashed');
        }
        break;
      case 'watch':
        client.runWatch(a.written);
        break;
      case 'cancelWatch':
        client.runCancelWatch(a.written);
        break;
      default:
        if ('recipe' in a) this.recipeClientOf(client).runAction(a.recipe);
        else client.runOp(a.written);
        break;
    }
    return undefined;
  }
}

/** The core's configuration for one node. electionTick = electionTimeoutMs / tickMs: the core draws each
 * randomized timeout in [electionTick, 2 * electionTick) ticks, i.e. [base, 2 * base) ms (Raft §5.2). */
function nodeConfig(c: SimConfig, node: NodeId, peers: readonly NodeId[]): NodeConfig {
  const unsafe = { forgetVote: false, commitOldTerm: false, skipUpToDateCheck: false, noTruncate: false };
  for (const name of c.unsafe) unsafe[name] = true;
  return {
    id: node, peers, electionTick: c.electionTimeoutMs / c.tickMs, heartbeatTick: c.heartbeatMs / c.tickMs,
    preVote: c.preVote, checkQuorum: c.checkQuorum, readOnly: c.readOnly, maxInflight: c.maxInflight,
    maxEntriesPerMsg: c.maxEntriesPerMsg, disableProposalForwarding: c.disableProposalForwarding, unsafe,
  };
}
