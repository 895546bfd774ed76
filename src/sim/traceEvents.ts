/**
 * The events a run produces, as plain objects. The trace file (JSON Lines, contract:
 * docs/trace-format.md) is these events serialized by traceWriter.ts;
 * listeners (the UI store, the invariant checker) receive the objects themselves and never re-parse.
 *
 * `ExplainEvent` and `ReadEvent` are listener-only: they are delivered to listeners but never written to the
 * trace file, so narration and reads served to the UI do not change the trace or its hash.
 */
import type { Entry, Explanation, LogIndex, Message, NodeId, Role, Term } from '../raft/types.ts';
import type { NetworkSettings, SimConfig } from './scenario.ts';
import type { KvBusMsg } from '../etcd/index.ts';
import type { KvTraceEvent } from '../etcd/index.ts';
import type { RecipeTraceEvent } from '../etcd/index.ts';

/** Why a message did not arrive. */
export type DropReason = 'partition' | 'loss' | 'crashed';

/** The first line of a trace file. Extra fields beyond the contract's: `name`, `until`. */
export interface TraceHeader {
  readonly type: 'header';
  readonly format: 'flotilla-trace';
  readonly version: 1;
  readonly seed: number;
  readonly nodes: readonly NodeId[];
  readonly config: SimConfig;
  readonly network: NetworkSettings;
  readonly name: string;
  readonly until: number;
}

export interface StateEvent {
  readonly t: number;
  readonly type: 'state';
  readonly node: NodeId;
  readonly role: Role;
  readonly term: Term;
  readonly vote: NodeId;
  readonly leader: NodeId;
  readonly commit: LogIndex;
  /** [index, term] of the last log entry; [0, 0] for an empty log. */
  readonly last: readonly [LogIndex, Term];
}

/** A message put on the bus. Listeners get the full message; the file carries every field but from/to. */
export interface SendEvent {
  readonly t: number;
  readonly type: 'send';
  readonly id: number;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly msg: Message;
}

export interface DeliverEvent {
  readonly t: number;
  readonly type: 'deliver';
  readonly id: number;
}

export interface DropEvent {
  readonly t: number;
  readonly type: 'drop';
  readonly id: number;
  readonly reason: DropReason;
}

/** The node wrote `entries` starting at `from`, after discarding what it held at `from` or later. */
export interface AppendEvent {
  readonly t: number;
  readonly type: 'append';
  readonly node: NodeId;
  readonly from: LogIndex;
  readonly entries: readonly Entry[];
}

export interface ApplyEvent {
  readonly t: number;
  readonly type: 'apply';
  readonly node: NodeId;
  readonly index: LogIndex;
  readonly term: Term;
  readonly data: string | null;
}

export interface CrashEvent {
  readonly t: number;
  readonly type: 'crash';
  readonly node: NodeId;
}

export interface RestartEvent {
  readonly t: number;
  readonly type: 'restart';
  readonly node: NodeId;
}

/**
 * A process paused or resumed (docs/trace-format.md, "pause and resume"): a node (`node`) or a client (`client`),
 * exactly one of the two. A paused process does nothing until its `resume`; a `crash` (or a `killClient`) of a
 * paused process ends the pause too, without a `resume` event.
 */
export type PauseEvent =
  | { readonly t: number; readonly type: 'pause' | 'resume'; readonly node: NodeId }
  | { readonly t: number; readonly type: 'pause' | 'resume'; readonly client: string };

/**
 * A scenario or user action. `action` is the action as written; `node` the node it acted on (resolved when it
 * named "leader" or "lastCrashed"; for transfer, the leader asked to transfer); `from`/`to` the resolved link
 * ends of cut/restore and the resolved target of transfer (fields added to the contract).
 */
export interface ActionEvent {
  readonly t: number;
  readonly type: 'action';
  readonly action: Readonly<Record<string, unknown>>;
  readonly node?: NodeId;
  readonly from?: NodeId;
  readonly to?: NodeId;
  readonly noop?: true;
  readonly reason?: string;
}

/** Listener-only: one of the core's explanations ("why did this happen"), in the step that produced it. */
export interface ExplainEvent {
  readonly t: number;
  readonly type: 'explain';
  readonly node: NodeId;
  readonly explanation: Explanation;
}

/** Listener-only: a read confirmed (index set) or refused (reason set) by the node's ReadIndex machinery. */
export interface ReadEvent {
  readonly t: number;
  readonly type: 'read';
  readonly node: NodeId;
  readonly context: string;
  readonly index?: LogIndex;
  readonly reason?: string;
}

/**
 * A key-value message put on the bus (to or from a client, or a lease forward between nodes). Written to the
 * file as a `send` line whose `from`/`to` may name a client; listeners get it under its own type, so code that
 * reads node-to-node `send` events keeps numeric ends.
 */
export interface KvSendEvent {
  readonly t: number;
  readonly type: 'kvSend';
  readonly id: number;
  readonly msg: KvBusMsg;
}

/** Every event written to the trace file. */
export type TraceEvent =
  | StateEvent
  | SendEvent
  | DeliverEvent
  | DropEvent
  | AppendEvent
  | ApplyEvent
  | CrashEvent
  | RestartEvent
  | PauseEvent
  | ActionEvent
  | KvSendEvent
  | KvTraceEvent
  | RecipeTraceEvent;

/** Everything a listener can receive. */
export type SimEvent = TraceEvent | ExplainEvent | ReadEvent;

/** A listener of a run's events. Called synchronously, in trace order; must not mutate the event. */
export type SimListener = (event: SimEvent) => void;

/** True for the events that belong in the trace file. */
export function isTraceEvent(event: SimEvent): event is TraceEvent {
  return event.type !== 'explain' && event.type !== 'read';
}
