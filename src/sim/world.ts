/**
 * The world the nodes live in: a virtual clock, one seeded PRNG, the discrete-event queue, the network, the
 * disk model, scenario actions and the trace. The nodes themselves sit behind a NodeHost (host.ts).
 *
 * Driving it. The world is a state machine that asks for one host call at a time:
 *   - synchronously (CLI, tests, fuzzer): `world.runUntil(t, host)` with an InlineHost;
 *   - asynchronously (Web Workers): `await new AsyncRunner(host).runUntil(world, t)` (runner.ts), which asks
 *     `nextNodeWork(t)` and hands each result to `completeNodeWork`, one call or one lookahead window at a time.
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
 *
 * The parts (src/sim/world/): the state they share and its primitives (worldCore.ts), the pull loop (pullLoop.ts),
 * the queue items (queueItems.ts), the bus (bus.ts), lookahead (lookahead.ts), node failure (nodeFailure.ts), the
 * action interpreter (actionTable.ts) and the clients' wiring (clientWiring.ts). This class is their public surface.
 */
import type { NodeId, PersistentState } from '../raft/types.ts';
import type { ClientHub, ClientLayer } from '../etcd/index.ts';
import type { NodeHost, NodeSnapshot, NodeWork, StepResult } from './host.ts';
import type { Network } from './network.ts';
import type { RaftInvariantChecker } from './raftInvariantChecker.ts';
import { SyncRunner } from './runner.ts';
import { parseAction, type NodeRef, type ResolvedScenario, type ScenarioAction } from './scenario.ts';
import type { SimListener, TraceHeader } from './traceEvents.ts';
import { clientHubOf } from './world/clientWiring.ts';
import { upcomingSteps } from './world/lookahead.ts';
import { failPendingWork } from './world/nodeFailure.ts';
import { completeNodeWork, nextNodeWork } from './world/pullLoop.ts';
import { WorldCore, type LeaderRecord, type ViolationReport } from './world/worldCore.ts';

export type { LeaderRecord, ViolationReport } from './world/worldCore.ts';

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

export class World {
  readonly scenario: ResolvedScenario;
  readonly seed: number;
  readonly network: Network;
  readonly checker: RaftInvariantChecker | undefined;
  /** Every node that became leader, in order. */
  readonly leaders: LeaderRecord[];
  private readonly core: WorldCore;

  constructor(options: WorldOptions) {
    const core = new WorldCore(options.scenario, options.check !== false, options.initialState, options.clientLayer);
    this.core = core;
    this.scenario = core.scenario;
    this.seed = core.seed;
    this.network = core.network;
    this.checker = core.checker;
    this.leaders = core.leaders;
  }

  /** Virtual time in ms. Invariant: never decreases. */
  get now(): number {
    return this.core.now;
  }

  /** Trace events emitted so far (the header and listener-only events not counted). */
  get eventCount(): number {
    return this.core.eventCount;
  }

  /** The trace header for this run. */
  header(): TraceHeader {
    const s = this.scenario;
    return {
      type: 'header', format: 'flotilla-trace', version: 1, seed: s.seed,
      nodes: this.core.slots.map((_, i) => i).filter((i) => i > 0), config: s.config, network: s.network,
      name: s.name, until: s.until,
    };
  }

  /** Subscribes to every event (trace and listener-only), in order. Returns the unsubscribe function. */
  subscribe(listener: SimListener): () => void {
    const listeners = this.core.listeners;
    listeners.push(listener);
    return () => {
      const i = listeners.indexOf(listener);
      if (i >= 0) listeners.splice(i, 1);
    };
  }

  /** The first invariant violation; the run stops at it. */
  get violation(): ViolationReport | undefined {
    return this.core.violationFound;
  }

  /** True once a violation stopped the run. */
  get stopped(): boolean {
    return this.core.violationFound !== undefined;
  }

  isUp(node: NodeId): boolean {
    return this.core.slots[node]!.up;
  }

  /** True while the node is paused (up, but doing nothing). */
  isPaused(node: NodeId): boolean {
    return this.core.slots[node]!.paused;
  }

  /** True while the client is paused. */
  isClientPaused(client: string): boolean {
    return this.core.clientPauses.has(client);
  }

  /** The node's view as of its last step (also kept for a crashed node: its state when it crashed). */
  view(node: NodeId): NodeSnapshot {
    return this.core.slots[node]!.view;
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
    const core = this.core;
    if (action.at < core.now) throw new RangeError(`action.at ${action.at} is before the current time ${core.now}`);
    let i = core.actions.length;
    while (i > core.actionCursor && core.actions[i - 1]!.at > action.at) i--;
    core.actions.splice(i, 0, action);
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
    new SyncRunner(host).runUntil(this, until);
  }

  /**
   * Advances the world to its next host call with t <= until and returns it, or undefined when every event
   * up to `until` has run (the clock then reads `until`) or a violation stopped the run. The caller performs
   * the call and hands the result to completeNodeWork before asking again (world/pullLoop.ts).
   */
  nextNodeWork(until: number): NodeWork | undefined {
    return nextNodeWork(this.core, until);
  }

  /** Takes the result of the work nextNodeWork returned (undefined for a crash). */
  completeNodeWork(result: StepResult | undefined): void {
    completeNodeWork(this.core, result);
  }

  /**
   * The step works nextNodeWork will return after the pending step, in order, whatever the results of that step
   * and of each other: a host may run them all at once (in parallel on different nodes) and the world then takes
   * their results one by one, in this order, exactly as if it had asked for them one at a time (world/lookahead.ts
   * says why they are certain). Valid until the world is driven again or an action is scheduled; drivers use them
   * at once (asyncDriver.ts: runWindowAsync).
   */
  upcomingSteps(until: number): NodeWork[] {
    return upcomingSteps(this.core, until);
  }

  /**
   * The host failed to run the pending work (a node's Web Worker threw): the world treats it as a crash of that
   * node at the current time. The input is lost with the node (nothing of it is persisted, traced or sent), a
   * `crash` event is written, and from then on the node is down like any crashed node: messages to it are
   * dropped as `crashed`, `restart` (or "lastCrashed") brings it back from its persisted state. A propose,
   * timeout or transfer action that was running on it is recorded as a no-op naming the failure.
   */
  failPendingWork(error: string): void {
    failPendingWork(this.core, error);
  }

  /**
   * Supplies the client layer to a world created without one (the app loads it when the user first names a client,
   * without re-simulating the run). Nothing of the run changes: the clients are created when an action needs them.
   * Ignored when the world already has a layer.
   */
  attachClientLayer(layer: ClientLayer): void {
    this.core.clientLayer ??= layer;
  }

  /** The clients of this run (created with the first `client` action). Throws without a client layer. */
  get clientHub(): ClientHub {
    return clientHubOf(this.core);
  }

  /**
   * Resolves "leader" (the live node that believes it leads, highest term; a paused leader still believes it),
   * "lastCrashed" and "lastPaused" (the node paused most recently that is still paused); 0 if none fits.
   */
  resolveNode(ref: NodeRef): NodeId {
    return this.core.resolveNode(ref);
  }
}
