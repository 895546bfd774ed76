/**
 * The state a World's parts share (the pull loop, the queue items, the bus, the action table, node failure, the
 * client wiring) and the few operations all of them use: emit an event, begin a host call, drop a message,
 * (re)start a node, resolve "leader"/"lastCrashed"/"lastPaused". Not exported from sim: World (../world.ts) is the
 * public surface over it.
 */
import type { NodeId, PersistentState } from '../../raft/types.ts';
import type { ClientHub, ClientLayer, ClusterRecipeClient } from '../../etcd/index.ts';
import { Disk } from '../disk.ts';
import { EventQueue } from '../eventQueue.ts';
import type { NodeConfig, NodeSnapshot, NodeWork } from '../host.ts';
import { Network } from '../network.ts';
import { Prng } from '../prng.ts';
import { RaftInvariantChecker, type Violation } from '../raftInvariantChecker.ts';
import type { NodeRef, ResolvedScenario, ScenarioAction, SimConfig } from '../scenario.ts';
import type { ActionEvent, DropReason, SimEvent, SimListener, TraceEvent } from '../traceEvents.ts';
import { TICK, type ClientPause, type DeliverItem, type KvDeliverItem, type NodeSlot, type PendingWork, type QueueItem } from './queueItems.ts';

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

const INITIAL_VIEW: NodeSnapshot = { role: 'follower', term: 0, vote: 0, leader: 0, commit: 0, lastIndex: 0, lastTerm: 0 };

export class WorldCore {
  readonly seed: number;
  /** Virtual time in ms. Invariant: never decreases. */
  now = 0;
  /** Trace events emitted so far (the header and listener-only events not counted). */
  eventCount = 0;
  /** Every node that became leader, in order. */
  readonly leaders: LeaderRecord[] = [];
  readonly network: Network;
  readonly checker: RaftInvariantChecker | undefined;
  readonly prng: Prng;
  readonly queue = new EventQueue<QueueItem>();
  readonly disk: Disk;
  readonly slots: NodeSlot[] = [];
  /** Pending actions, sorted by `at` (ties: the order they were added). Invariant: actionCursor <= actions.length. */
  readonly actions: ScenarioAction[];
  actionCursor = 0;
  readonly listeners: SimListener[] = [];
  readonly nodeConfigs: NodeConfig[] = [];
  nextMessageId = 1;
  crashCount = 0;
  pauseCount = 0;
  /**
   * A resumed node's inbox: delivered next, in order, before any action or queued event. Taken by a cursor (a long
   * pause can leave a long inbox). Invariant: resumedCursor <= resumedInbox.length.
   */
  resumedInbox: (DeliverItem | KvDeliverItem)[] = [];
  resumedCursor = 0;
  /** The paused clients. */
  readonly clientPauses = new Map<string, ClientPause>();
  /** How long each client has been paused in all (over every finished pause): its timers' shift. */
  readonly clientFrozenMs = new Map<string, number>();
  /** Next node to create at t = 0; N + 1 once every node booted. */
  bootCursor = 1;
  pending: PendingWork | undefined;
  violationFound: ViolationReport | undefined;
  /** Builds the clients; undefined until given (WorldOptions.clientLayer or World.attachClientLayer). */
  clientLayer: ClientLayer | undefined;
  /** The clients, created with the first `client` action (a Raft-only run has none). */
  clients: ClientHub | undefined;
  /** Each client's recipes (docs/recipes.md), created with its first recipe action. */
  readonly recipeClients = new Map<string, ClusterRecipeClient>();
  /**
   * Per node, the first message id it did not send before its last `crash` with `dropInFlight`: its messages with a
   * lower id still on the wire are lost with it (docs/scenarios.md). 0 (or absent): nothing of it is dropped.
   */
  readonly lostWithSenderBelowId: number[] = [];

  constructor(
    readonly scenario: ResolvedScenario,
    check: boolean,
    initialState: ((node: NodeId) => PersistentState | undefined) | undefined,
    clientLayer: ClientLayer | undefined,
  ) {
    const s = scenario;
    this.seed = s.seed;
    this.prng = new Prng(s.seed);
    this.network = new Network(s.nodes, s.network);
    const initial = Array.from({ length: s.nodes + 1 }, (_, node) => (node > 0 ? initialState?.(node) : undefined));
    this.disk = new Disk(s.nodes, (node) => initial[node]);
    this.actions = s.actions.slice();
    this.checker = check ? new RaftInvariantChecker(s.nodes) : undefined;
    this.clientLayer = clientLayer;
    const peers = Array.from({ length: s.nodes }, (_, i) => i + 1);
    for (let node = 1; node <= s.nodes; node++) {
      this.slots[node] = { up: false, epoch: 0, view: INITIAL_VIEW, crashOrder: 0, paused: false, pauseOrder: 0, inbox: [] };
      this.nodeConfigs[node] = nodeConfig(s.config, node, peers);
      const state = initial[node];
      if (state && this.checker) this.checker.seed(node, state);
    }
  }

  /** Every event goes out here: counted and checked (trace events), then handed to every listener in order. */
  emit(event: SimEvent): void {
    if (event.type !== 'explain' && event.type !== 'read') {
      this.eventCount++;
      if (this.checker && !this.violationFound) {
        const v = this.checker.onEvent(event as TraceEvent);
        if (v) this.violationFound = { ...v, seed: this.seed };
      }
    }
    for (let i = 0; i < this.listeners.length; i++) this.listeners[i]!(event);
  }

  /** Makes `work` the host call in flight. */
  begin(work: NodeWork, forceState = false, action?: ActionEvent): NodeWork {
    this.pending = { work, forceState, action };
    return work;
  }

  /** (Re)starts a node from its durable state; draws its PRNG seed and tick phase from the master PRNG. */
  beginCreate(node: NodeId): NodeWork {
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

  /** Records action `base` as a no-op, saying why (`fields`: the nodes it resolved to). */
  noop(base: ActionEvent, reason: string, fields: Partial<ActionEvent> = {}): undefined {
    this.emit({ ...base, ...fields, noop: true, reason });
    return undefined;
  }

  drop(id: number, reason: DropReason): undefined {
    this.emit({ t: this.now, type: 'drop', id, reason });
    return undefined;
  }

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
}

/**
 * The action named `D`: each variant whose `do` includes `D`, narrowed to it (one variant may stand for several
 * names: `restart`, `isolate` and `timeout` share one).
 */
export type ActionOf<D extends ScenarioAction['do']> = ScenarioAction extends infer A
  ? A extends { readonly do: infer N } ? ([D & N] extends [never] ? never : A & { readonly do: D & N }) : never
  : never;

/** Why a node reference resolved to no node (the reason of the no-op action). */
export function unresolvedReason(ref: NodeRef): string {
  return ref === 'leader' ? 'no leader' : ref === 'lastPaused' ? 'no paused node' : 'no crashed node';
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
