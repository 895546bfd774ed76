/**
 * The hot-path protocol between the bus (main thread) and one node's Web Worker: raw postMessage, no Comlink
 * (a Comlink call costs ~110 µs against ~35 µs for a bare postMessage round trip; docs/workers.md). Comlink
 * serves only the rare control calls (status), on its own MessageChannel, never on the worker's own port.
 *
 * Shape. The bus sends `boot` once, then `steps` batches; the worker answers each request with exactly one
 * `Reply`, in order, so the bus needs no request ids: replies match a FIFO of requests.
 *
 * Only what changed crosses: a StepResult is encoded as a WireResult that leaves out empty lists and a view
 * equal to the previous one, and a step that did nothing at all (most ticks) is a bare `null`. Both ends keep
 * the node's last view to expand it again (ResultDecoder), so the encoding is only valid in order, per node.
 */
import type { Entry, Explanation, HardState, LogIndex, Message, NodeId, NodeStatus, ReadFailure, ReadState } from '../raft/types.ts';
import type { ProposeOutcome } from '../raft/index.ts';
import type { NodeInit, NodeSnapshot, StepInput, StepResult } from '../sim/index.ts';
import type { KvStepOutput } from '../etcd/index.ts';

/** Bus -> worker. */
export type Request =
  | {
      readonly kind: 'boot';
      readonly node: NodeId;
      readonly init: NodeInit;
      /** Test-only fault injection (`failNode`): throw while handling this input number (1-based); 0 never. */
      readonly failAtInput: number;
      /** The port Comlink serves the control API on (transferred). */
      readonly control: MessagePort;
    }
  | { readonly kind: 'steps'; readonly inputs: readonly StepInput[] };

/** Worker -> bus: the answer to one request. */
export interface Reply {
  /** One per input handled (one for `boot`: the node's first batch), in order. */
  readonly results: readonly WireResult[];
  /**
   * Set when handling input number `results.length` threw (or the node had failed before): the node is dead,
   * the inputs after it were not run. The text names the node and the error.
   */
  readonly failure?: string;
}

/** A StepResult without what did not change; `null`: nothing happened and the view is the previous one. */
export type WireResult = null | {
  /** The view, when it differs from the previous result's (always set in a node's first result). */
  readonly v?: NodeSnapshot;
  readonly hs?: HardState;
  readonly ap?: { readonly from: LogIndex; readonly entries: readonly Entry[] };
  readonly m?: readonly Message[];
  readonly c?: readonly Entry[];
  readonly rs?: readonly ReadState[];
  readonly rf?: readonly ReadFailure[];
  readonly ex?: readonly Explanation[];
  readonly po?: ProposeOutcome;
  /** The node's key-value output (answers to clients, lease forwards, lease events), when it has one. */
  readonly kv?: KvStepOutput;
};

/** The control API a node's worker serves through Comlink. */
export interface NodeControl {
  status(): NodeStatus;
}

type MutableWire = { -readonly [K in keyof NonNullable<WireResult>]?: NonNullable<WireResult>[K] };

function sameView(a: NodeSnapshot, b: NodeSnapshot): boolean {
  return (
    a.role === b.role && a.term === b.term && a.vote === b.vote && a.leader === b.leader && a.commit === b.commit &&
    a.lastIndex === b.lastIndex && a.lastTerm === b.lastTerm
  );
}

/** The worker's side: encodes one node's results in order. */
export class ResultEncoder {
  /** The view of the last encoded result; undefined before the first. */
  private lastView: NodeSnapshot | undefined;

  encode(r: StepResult): WireResult {
    const wire: MutableWire = {};
    if (!this.lastView || !sameView(this.lastView, r.view)) wire.v = r.view;
    this.lastView = r.view;
    if (r.hardState) wire.hs = r.hardState;
    if (r.append) wire.ap = r.append;
    if (r.messages.length > 0) wire.m = r.messages;
    if (r.committed.length > 0) wire.c = r.committed;
    if (r.readStates.length > 0) wire.rs = r.readStates;
    if (r.readFailures.length > 0) wire.rf = r.readFailures;
    if (r.explanations.length > 0) wire.ex = r.explanations;
    if (r.proposeOutcome) wire.po = r.proposeOutcome;
    if (r.kv) wire.kv = r.kv;
    // Most ticks change nothing: a bare null is the cheapest thing to clone.
    for (const _ in wire) return wire;
    return null;
  }
}

const NOTHING: readonly never[] = [];

/** The bus's side: expands one node's results in order (a new decoder per worker incarnation). */
export class ResultDecoder {
  private lastView: NodeSnapshot | undefined;

  constructor(private readonly node: NodeId) {}

  decode(wire: WireResult): StepResult {
    const view = wire?.v ?? this.lastView;
    if (!view) throw new Error(`worker protocol: node ${this.node}'s first result carries no view`);
    this.lastView = view;
    if (!wire) return { view, messages: NOTHING, committed: NOTHING, readStates: NOTHING, readFailures: NOTHING, explanations: NOTHING };
    return {
      view,
      hardState: wire.hs,
      append: wire.ap,
      messages: wire.m ?? NOTHING,
      committed: wire.c ?? NOTHING,
      readStates: wire.rs ?? NOTHING,
      readFailures: wire.rf ?? NOTHING,
      explanations: wire.ex ?? NOTHING,
      proposeOutcome: wire.po,
      ...(wire.kv ? { kv: wire.kv } : {}),
    };
  }
}
