/**
 * The boundary between the world and the nodes. The world never touches a RawNode: it sends one input at a time
 * to a NodeHost and gets back one plain-data StepResult. Everything that crosses is structured-clone safe, so
 * the same world drives nodes in-process (InlineHost, synchronous, the fast path of the CLI and the tests) or
 * one Web Worker per node (an AsyncNodeHost, in the browser), and writes the same trace bytes either way.
 */
import type {
  LogIndex, Message, NodeId, NodeStatus, PersistentState, RaftConfig, Ready, Role, Term,
} from '../raft/types.ts';
import type { ProposeOutcome } from '../raft/index.ts';
import type { KvBusMsg, KvStepOutput } from '../etcd/index.ts';

/** One input to one node. */
export type StepInput =
  | { readonly kind: 'tick' }
  | { readonly kind: 'message'; readonly message: Message }
  | { readonly kind: 'propose'; readonly data: string }
  /** The election timer fires now (scenario action `timeout`). */
  | { readonly kind: 'timeout' }
  /** Ask this node (the leader) to hand leadership to `to` (thesis §3.10). */
  | { readonly kind: 'transfer'; readonly to: NodeId }
  /** A linearizable read request (ReadIndex, thesis §6.4); answered in a later StepResult's readStates. */
  | { readonly kind: 'read'; readonly context: string }
  /** A key-value message: a client's request, or a lease request or answer from another node. */
  | { readonly kind: 'kv'; readonly message: KvBusMsg };

/**
 * The worker's snapshot of a node: the cheap part of its state, reported after every input (what `state` trace
 * events carry). Not the store's NodeView, which is what the cluster view draws of a node.
 */
export interface NodeSnapshot {
  readonly role: Role;
  readonly term: Term;
  readonly vote: NodeId;
  readonly leader: NodeId;
  readonly commit: LogIndex;
  readonly lastIndex: LogIndex;
  readonly lastTerm: Term;
}

/**
 * What one input made the node do: the contents of its Ready batch (every field as Ready documents it; the
 * committed entries have been applied by the node) plus its view afterwards.
 */
export interface StepResult extends Ready {
  readonly view: NodeSnapshot;
  /** Set for a `propose` input: what the core said. */
  readonly proposeOutcome?: ProposeOutcome;
  /** What the node's key-value server produced (answers to clients, lease forwards, lease events), if anything. */
  readonly kv?: KvStepOutput;
}

/** The core's configuration without its random source, which the host builds from `randomSeed`. */
export type NodeConfig = Omit<RaftConfig, 'random'>;

/** Everything needed to (re)create a node. */
export interface NodeInit {
  readonly config: NodeConfig;
  /** Seed of the node's own PRNG (sim/prng.ts), drawn by the world from its master PRNG at (re)start. */
  readonly randomSeed: number;
  /**
   * Which life of the node this is: 1 at its first start, one more at every restart (the world counts them).
   * The node names what it sends for a later answer (read contexts, watch stream instances) with it, so an answer
   * addressed to an earlier life can never be taken for one to this life (docs/clients.md). Default 1.
   */
  readonly incarnation?: number;
  /** The durable state to recover from (a restart), or nothing for a fresh node. */
  readonly persisted?: PersistentState;
  /** Virtual ms per tick: the key-value server's clock (leases) counts ticks. Default 10. */
  readonly tickMs?: number;
}

/** A synchronous host of nodes (in-process). */
export interface NodeHost {
  /** (Re)creates the node; the result holds its first batch (a restarted node re-applies its committed log). */
  create(node: NodeId, init: NodeInit): StepResult;
  step(node: NodeId, input: StepInput): StepResult;
  /** Throws the node's volatile state away. */
  crash(node: NodeId): void;
  status(node: NodeId): NodeStatus;
}

/** The same host with asynchronous calls (a Web Worker per node). */
export interface AsyncNodeHost {
  create(node: NodeId, init: NodeInit): Promise<StepResult>;
  step(node: NodeId, input: StepInput): Promise<StepResult>;
  crash(node: NodeId): Promise<void>;
  status(node: NodeId): Promise<NodeStatus>;
}

/** One call the world needs a host to make, in order (see World.nextNodeWork). */
export type NodeWork =
  | { readonly op: 'create'; readonly node: NodeId; readonly init: NodeInit }
  | { readonly op: 'step'; readonly node: NodeId; readonly input: StepInput }
  | { readonly op: 'crash'; readonly node: NodeId };

/**
 * Performs `work` on a host: the StepResult, or undefined for a crash; from an asynchronous host, a promise of
 * the same. One dispatch for both kinds of host (the runners in runner.ts call it).
 */
export function performWork(host: NodeHost, work: NodeWork): StepResult | undefined;
export function performWork(host: AsyncNodeHost, work: NodeWork): Promise<StepResult | undefined>;
export function performWork(host: NodeHost | AsyncNodeHost, work: NodeWork): StepResult | undefined | Promise<StepResult | undefined> {
  switch (work.op) {
    case 'create':
      return host.create(work.node, work.init);
    case 'step':
      return host.step(work.node, work.input);
    case 'crash':
      // A crash answers nothing: undefined, or a promise of it (World.completeNodeWork ignores it either way).
      return host.crash(work.node) as undefined | Promise<undefined>;
  }
}
