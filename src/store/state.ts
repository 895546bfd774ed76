/**
 * The shape of the visualizer's state: one slice per concern. Every slice is an immutable snapshot; the
 * ingestor (ingest.ts) replaces only the slices, and inside them only the nodes, that changed in a frame, so
 * React components and D3 renderers subscribed to a slice redraw only when it changed.
 */
import type { Entry, LogIndex, NodeId, ProgressView, Role, Term } from '../raft/types.ts';
import type { Ring } from './ring.ts';
import type { NetworkSettings, SimConfig } from '../sim/index.ts';
import type { ScenarioActionData } from './traceEvent.ts';

/** What the cluster view shows of one node. */
export interface NodeView {
  readonly id: NodeId;
  readonly role: Role;
  readonly term: Term;
  /** The candidate it voted for in `term`, 0 for none. */
  readonly vote: NodeId;
  readonly leader: NodeId;
  readonly commit: LogIndex;
  /** Invariant: applied <= commit (the store keeps what the trace's apply events say). */
  readonly applied: LogIndex;
  readonly lastIndex: LogIndex;
  readonly lastTerm: Term;
  /** Down after a crash, until its restart. */
  readonly crashed: boolean;
  /**
   * Paused (docs/scenarios.md, "Process pauses"): up, its state kept, but doing nothing and its timers frozen,
   * from its `pause` event to its `resume` (or a crash).
   */
  readonly paused: boolean;
  /** Set when the host of this node failed (a worker that threw): the error text. */
  readonly failure: string | null;
  /** Fraction of its election timeout already elapsed, in [0, 1]; null when unknown or for a leader. */
  readonly timerFraction: number | null;
  /** Leader only: time since it last heard from a quorum, as a fraction of the election timeout; else null. */
  readonly leaseFraction: number | null;
  /** Leader only: the transfer target, else 0. */
  readonly transferee: NodeId;
  /** Leader only: per-follower progress (next/match), ascending by node; empty otherwise. */
  readonly progress: readonly ProgressView[];
}

/** One node's log as held by the store. */
export interface LogView {
  /**
   * The newest entries, ascending and contiguous. Invariant: entries[i].index === firstIndex + i.
   * At most `LOG_WINDOW` entries are kept (older ones are summarized by firstIndex), the memory bound.
   */
  readonly entries: readonly Entry[];
  readonly firstIndex: LogIndex;
  /** Entries discarded by a conflicting append, kept briefly so the log view can flash them (§5.3). */
  readonly truncated: readonly TruncatedRun[];
}

export interface TruncatedRun {
  /** Virtual ms at which they were discarded. */
  readonly t: number;
  readonly entries: readonly Entry[];
}

/** A message on the wire between two nodes. */
export interface MessageInFlight {
  readonly id: number;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly type: string;
  readonly term: Term;
  /** Whether it carries entries (an AppendEntries that is not a bare probe/heartbeat). */
  readonly entryCount: number;
  /** For replies: whether it refuses (a vote denied, an append rejected); null for requests. */
  readonly reject: boolean | null;
  readonly sentAt: number;
  /** When the bus will deliver it, if the simulator says; otherwise the renderer estimates. */
  readonly arriveAt: number | null;
}

/** A message that left the wire: kept a moment so the view can show it die or land twice. */
export interface MessageEnded extends MessageInFlight {
  readonly endedAt: number;
  readonly outcome: 'dropped' | 'duplicate';
  readonly reason: string | null;
}

/** One item of the space-time diagram. */
export type TimelineItem =
  | {
      readonly kind: 'message';
      readonly id: number;
      readonly from: NodeId;
      readonly to: NodeId;
      readonly type: string;
      readonly sentAt: number;
      /** Mutable on purpose: filled when the message ends. null while in flight. */
      endAt: number | null;
      outcome: 'inflight' | 'delivered' | 'dropped';
      /** Index (0-based count of trace events before it) of the send event: clicking it seeks there. */
      readonly eventIndex: number;
    }
  | { readonly kind: 'crash' | 'restart' | 'leader' | 'pause' | 'resume'; readonly node: NodeId; readonly t: number; readonly term: Term; readonly eventIndex: number };

/** Consecutive spans of virtual time under one highest term, for the timeline's term bands. */
export interface TermBand {
  readonly term: Term;
  readonly start: number;
}

export type NarrationCategory = 'election' | 'replication' | 'leadership' | 'client' | 'fault' | 'other';

export interface NarrationLine {
  /** Run-unique, increasing. */
  readonly seq: number;
  readonly t: number;
  /** The node it is about, 0 for the whole cluster (a partition, a heal). */
  readonly node: NodeId;
  readonly category: NarrationCategory;
  readonly text: string;
  /** Trace events before this line: seeking there shows the moment it happened. */
  readonly eventIndex: number;
}

/**
 * The five properties of Raft (Raft Figure 3), always listed in the safety panel. The simulator's checker also
 * checks persistence and bounds rules (Term Monotonicity, Vote Persistence, Commit Bounds, Trace Consistency);
 * those appear in the panel when one of them breaks.
 */
export const INVARIANT_NAMES = [
  'Election Safety',
  'Leader Append-Only',
  'Log Matching',
  'Leader Completeness',
  'State Machine Safety',
] as const;
export type InvariantName = string;

export interface InvariantStatus {
  readonly name: InvariantName;
  readonly ok: boolean;
  /** The first violation seen, explained with the nodes and the virtual time. */
  readonly violation: { readonly t: number; readonly nodes: readonly NodeId[]; readonly message: string } | null;
}

/** The cut directions of links, as "from>to" keys ("1>2": S1's messages to S2 are dropped). */
export type LinkCuts = ReadonlySet<string>;

export interface ClusterSlice {
  readonly nodes: readonly NodeView[];
  /** Cut directions, as "from>to" keys. */
  readonly cuts: LinkCuts;
}

export interface MessagesSlice {
  readonly inFlight: readonly MessageInFlight[];
  /** Recently dropped or duplicated, newest last; at most MAX_ENDED kept. */
  readonly ended: readonly MessageEnded[];
}

export interface TimelineSlice {
  /** Bumped whenever the ring or the bands change. The ring is mutated in place (bounded history). */
  readonly version: number;
  readonly items: Ring<TimelineItem>;
  readonly bands: readonly TermBand[];
}

export interface NarrationSlice {
  readonly version: number;
  readonly lines: Ring<NarrationLine>;
}

export interface SafetySlice {
  readonly invariants: readonly InvariantStatus[];
}

/** Playback controls. */
export interface ControlsSlice {
  /** log10 of the speed multiplier: -3 (1/1000×) .. MAX_SPEED_LOG10 (fast-forward). */
  readonly speedLog10: number;
  readonly paused: boolean;
  readonly selectedNode: NodeId;
  readonly narrationNode: NodeId;
  readonly narrationCategory: NarrationCategory | 'all';
}

export type RunPhase = 'idle' | 'loading' | 'running' | 'finished' | 'error';

/** Where the run is: the scenario, the user's actions so far, the position in virtual time and events. */
export interface RunSlice {
  readonly phase: RunPhase;
  readonly error: string | null;
  readonly scenarioName: string;
  readonly seed: number;
  readonly nodeCount: number;
  /** The run ends after every event with t <= until. */
  readonly until: number;
  /** Virtual ms shown now. */
  readonly now: number;
  /** Trace events revealed so far (header excluded). */
  readonly eventIndex: number;
  /** The largest eventIndex reached in this branch of the run (the scrubber's right end). */
  readonly horizonEvents: number;
  readonly horizonT: number;
  /**
   * The run's resolved configuration and network settings (as the scenario set them; the documented defaults
   * before any run): views that draw in virtual time read them here instead of repeating the defaults.
   */
  readonly config: SimConfig;
  readonly network: NetworkSettings;
  /** Actions the user added, in order, with `at` filled in. */
  readonly userActions: readonly ScenarioActionData[];
  /** sha256 of the trace when the run finished (hex), else null. */
  readonly traceSha256: string | null;
  readonly host: string;
  /** The run parameters (a query string with its `?`) of the run opened last: what the top bar and settings start from. */
  readonly search: string;
  /** Why the nodes run in another host than the address asked for ('' when they run where asked). */
  readonly hostBanner: string;
  /** A long job in progress (a seek, run to end), shown with a way to stop it; null when none runs. */
  readonly progress: RunProgress | null;
}

/** How far a long job got: `done` of `total` in `unit` (events or virtual ms). Pause or Escape cancels it. */
export interface RunProgress {
  readonly label: string;
  readonly done: number;
  readonly total: number;
  readonly unit: 'events' | 'ms';
}

export interface FlotillaState {
  readonly cluster: ClusterSlice;
  readonly logs: readonly LogView[];
  readonly messages: MessagesSlice;
  readonly timeline: TimelineSlice;
  readonly narration: NarrationSlice;
  readonly safety: SafetySlice;
  readonly controls: ControlsSlice;
  readonly run: RunSlice;
}
