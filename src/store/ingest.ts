/**
 * The feed from the simulator into the store. The driver hands it trace events (exactly as the trace contract
 * writes them), the core's explanations and the nodes' live status; it folds them into mutable working copies
 * and publishes, on `flush()`, new immutable snapshots of only the slices and nodes that changed. One flush per
 * animation frame keeps React and D3 work proportional to what changed, not to the number of events.
 */
import type { Explanation, NodeId, NodeStatus } from '../raft/types.ts';
import { applyLinkChange, linkChangeOf, type DirectedLink } from '../sim/index.ts';
import { explanationCategory } from './explanationCategory.ts';
import { nodeName, narrateTraceEvent } from './narrateTrace.ts';
import { initialState, type FlotillaStore } from './createFlotillaStore.ts';
import type {
  FlotillaState,
  InvariantName,
  LogView,
  NarrationCategory,
  NodeView,
  TermBand,
  TimelineItem,
} from './state.ts';
import type { ActionEvent, SimEvent, TraceEvent } from './traceEvent.ts';
import { MessageLedger } from './messageLedger.ts';

/** Entries kept per node in the store (the log view's memory bound); older ones are only counted. */
export const LOG_WINDOW = 2000;
/** Truncated runs kept per node for the flash. */
export const MAX_TRUNCATED_RUNS = 4;
/** Term bands kept for the timeline. */
const MAX_BANDS = 400;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type ExplanationFormatter = (e: Explanation) => string;

/**
 * Another view's ingestor fed alongside this one (the key-value views): it sees every revealed event, is reset
 * with each run and flushed with each frame.
 */
export interface IngestFeed {
  reset(nodeCount: number): void;
  event(ev: SimEvent): void;
  flush(): void;
}

export class Ingestor {
  private nodes: Mutable<NodeView>[] = [];
  private logs: Mutable<LogView>[] = [];
  private readonly dirtyNodes = new Set<number>();
  private readonly dirtyLogs = new Set<number>();
  private readonly messages = new MessageLedger({
    add: (item) => this.timelineItem(item),
    changed: () => (this.timelineDirty = true),
  });
  private timelineDirty = false;
  private narrationDirty = false;
  private narrationSeq = 0;
  private cuts = new Set<string>();
  private cutsDirty = false;
  private maxTerm = 0;
  private bands: TermBand[] = [];
  private eventIndex = 0;
  private now = 0;
  /** The last readConfirmed explanation, so the read event of the same step is not narrated twice. */
  private lastReadConfirmed: { readonly t: number; readonly node: NodeId; readonly context: string | undefined } | undefined;
  private lastEventT = 0;
  private safetyDirty = false;
  private safety = new Map<InvariantName, FlotillaState['safety']['invariants'][number]>();

  private readonly feeds = new Set<IngestFeed>();

  constructor(
    private readonly store: FlotillaStore,
    private readonly formatExplanation: ExplanationFormatter,
  ) {}

  /**
   * Starts a new run of `nodeCount` nodes: clears every slice but the controls and keeps the given run fields.
   */
  reset(nodeCount: number, run: Partial<FlotillaState['run']> = {}): void {
    const prev = this.store.getState();
    const fresh = initialState(nodeCount, prev.controls, { ...prev.run, ...run, eventIndex: 0, now: 0 });
    this.nodes = fresh.cluster.nodes.map((n) => ({ ...n }));
    this.logs = fresh.logs.map((l) => ({ ...l, entries: [], truncated: [] }));
    this.dirtyNodes.clear();
    this.dirtyLogs.clear();
    this.messages.reset();
    this.cuts = new Set();
    this.maxTerm = 0;
    this.bands = [];
    this.eventIndex = 0;
    this.now = 0;
    this.lastEventT = 0;
    this.narrationSeq = 0;
    this.safety = new Map(fresh.safety.invariants.map((i) => [i.name, i]));
    this.timelineDirty = this.narrationDirty = this.cutsDirty = this.safetyDirty = false;
    this.store.setState(fresh, true);
    for (const feed of this.feeds) feed.reset(nodeCount);
  }

  /** Feeds another ingestor with the same events, resets and flushes. Returns the function that removes it. */
  addFeed(feed: IngestFeed): () => void {
    this.feeds.add(feed);
    return () => this.feeds.delete(feed);
  }

  /** Adds a narration line from another view (its sentences join the narration, filterable like the rest). */
  addLine(t: number, node: NodeId, category: NarrationCategory, text: string): void {
    this.line(t, node, category, text);
  }

  /** Trace events revealed so far. */
  get events(): number {
    return this.eventIndex;
  }

  /** Virtual time shown (ms): the last event's, or later while time runs between events. */
  get time(): number {
    return this.now;
  }

  /** Virtual time of the last event revealed. */
  get lastT(): number {
    return this.lastEventT;
  }

  /**
   * Folds one listener event into the working state: a trace event (counted as one step) or a listener-only
   * explanation or read (narrated, not counted).
   */
  sim(ev: SimEvent): void {
    for (const feed of this.feeds) feed.event(ev);
    if (ev.type === 'explain') this.explanation(ev.t, ev.explanation);
    else if (ev.type === 'read') this.read(ev);
    else this.event(ev);
  }

  /** Folds one trace event (not the header) into the working state: one handler per kind. */
  event(ev: TraceEvent): void {
    this.eventIndex++;
    this.lastEventT = ev.t;
    if (ev.t > this.now) this.now = ev.t;
    switch (ev.type) {
      case 'state': return this.onState(ev);
      case 'send': return this.messages.send(ev, this.eventIndex);
      case 'deliver': return this.messages.deliver(ev);
      case 'drop': return this.messages.drop(ev);
      case 'append': return this.onAppend(ev);
      case 'apply': this.node(ev.node).applied = ev.index; return;
      case 'crash': return this.onCrash(ev);
      case 'restart': return this.onRestart(ev);
      case 'pause':
      case 'resume': return this.onPause(ev);
      case 'action': return this.onAction(ev);
    }
  }

  private onState(ev: Extract<TraceEvent, { type: 'state' }>): void {
    const n = this.node(ev.node);
    const becameLeader = ev.role === 'leader' && (n.role !== 'leader' || n.term !== ev.term);
    n.role = ev.role;
    n.term = ev.term;
    n.vote = ev.vote;
    n.leader = ev.leader;
    n.commit = ev.commit;
    n.lastIndex = ev.last[0];
    n.lastTerm = ev.last[1];
    if (ev.role === 'leader') n.timerFraction = null;
    else { n.leaseFraction = null; n.progress = []; n.transferee = 0; }
    if (ev.term > this.maxTerm) {
      this.maxTerm = ev.term;
      this.bands.push({ term: ev.term, start: ev.t });
      if (this.bands.length > MAX_BANDS) this.bands.shift();
      this.timelineDirty = true;
    }
    if (becameLeader) this.timelineItem({ kind: 'leader', node: ev.node, t: ev.t, term: ev.term, eventIndex: this.eventIndex });
  }

  private onAppend(ev: Extract<TraceEvent, { type: 'append' }>): void {
    const log = this.log(ev.node);
    const keep = Math.max(0, ev.from - log.firstIndex);
    const removed = log.entries.slice(keep);
    // A conflicting append discards the follower's entries from `from` on (Raft §5.3): keep them to flash.
    if (removed.length > 0) {
      log.truncated = [...log.truncated, { t: ev.t, entries: removed }].slice(-MAX_TRUNCATED_RUNS);
    }
    const entries = log.entries.slice(0, keep).concat(ev.entries);
    if (ev.from < log.firstIndex) log.firstIndex = ev.from;
    const excess = entries.length - LOG_WINDOW;
    log.entries = excess > 0 ? entries.slice(excess) : entries;
    if (excess > 0) log.firstIndex += excess;
  }

  private onCrash(ev: Extract<TraceEvent, { type: 'crash' }>): void {
    const n = this.node(ev.node);
    n.crashed = true;
    n.paused = false;
    n.timerFraction = null;
    n.leaseFraction = null;
    n.progress = [];
    this.timelineItem({ kind: 'crash', node: ev.node, t: ev.t, term: n.term, eventIndex: this.eventIndex });
    this.narrate(ev);
  }

  private onRestart(ev: Extract<TraceEvent, { type: 'restart' }>): void {
    const n = this.node(ev.node);
    n.crashed = false;
    n.failure = null;
    n.applied = 0;
    this.timelineItem({ kind: 'restart', node: ev.node, t: ev.t, term: n.term, eventIndex: this.eventIndex });
    this.narrate(ev);
  }

  private onPause(ev: Extract<TraceEvent, { type: 'pause' | 'resume' }>): void {
    // A client's pause is the key-value views' (kvIngest); a node's is drawn frozen, its state kept.
    if ('node' in ev) {
      const n = this.node(ev.node);
      n.paused = ev.type === 'pause';
      this.timelineItem({ kind: ev.type, node: ev.node, t: ev.t, term: n.term, eventIndex: this.eventIndex });
    }
    this.narrate(ev);
  }

  /** Mirrors the bus's links between nodes by the simulator's own link rules, so the view can draw cut links. */
  private onAction(ev: ActionEvent): void {
    const change = linkChangeOf(ev, this.nodes.length);
    if (change) {
      applyLinkChange(this.cuts, change, betweenNodes);
      this.cutsDirty = true;
    }
    this.narrate(ev);
  }

  /** Tells the time the user sees (virtual ms); it may run ahead of the last event. */
  setNow(t: number): void {
    this.now = t;
  }

  /** One of the core's decisions, narrated in plain English. */
  explanation(t: number, e: Explanation): void {
    this.line(t, e.node, explanationCategory(e), this.formatExplanation(e));
    if (e.kind === 'readConfirmed') this.lastReadConfirmed = { t, node: e.node, context: e.context };
  }

  /**
   * A read's outcome on the node that asked. A leader's own confirmed read was just narrated by its explanation
   * (same node, time and context), so only a follower's (it learned the read index from the leader) or a refusal
   * gets a line of its own.
   */
  private read(ev: Extract<SimEvent, { type: 'read' }>): void {
    const confirmed = this.lastReadConfirmed;
    if (ev.index !== undefined && confirmed && confirmed.t === ev.t && confirmed.node === ev.node && confirmed.context === ev.context) return;
    this.line(ev.t, ev.node, 'client', ev.index !== undefined
      ? `${nodeName(ev.node)} learns read index ${ev.index}: it serves the read once it has applied that entry.`
      : `${nodeName(ev.node)} refuses a read: ${ev.reason ?? 'unknown reason'}.`);
  }

  /** The nodes' live status (election timer, lease, progress). `electionTick` scales the lease. */
  statuses(statuses: readonly NodeStatus[], electionTick: number): void {
    for (const s of statuses) {
      const n = this.node(s.id);
      if (n.crashed) continue;
      n.timerFraction = s.role === 'leader' || s.randomizedElectionTimeout <= 0 ? null : Math.min(1, s.electionElapsed / s.randomizedElectionTimeout);
      n.leaseFraction = s.role === 'leader' ? Math.min(1, s.leaseElapsed / Math.max(1, electionTick)) : null;
      n.transferee = s.transferee;
      if (s.role === 'leader' || n.progress.length > 0) n.progress = s.role === 'leader' ? s.progress : [];
    }
  }

  /** A node's host failed (a worker that threw): the node is shown failed with the error; others go on. */
  nodeFailed(node: NodeId, error: string): void {
    const n = this.node(node);
    n.failure = error;
    n.crashed = true;
    this.line(this.now, node, 'fault', `${nodeName(node)} failed: ${error}`);
  }

  /** An invariant violation found by the simulator's checker. Only the first one per invariant is kept. */
  violation(name: InvariantName, t: number, nodes: readonly NodeId[], message: string): void {
    const cur = this.safety.get(name);
    if (cur && !cur.ok) return;
    this.safety.set(name, { name, ok: false, violation: { t, nodes, message } });
    this.safetyDirty = true;
    this.line(t, nodes[0] ?? 0, 'fault', `SAFETY VIOLATED: ${name}: ${message}`);
  }

  /** Publishes the changes since the last flush as new snapshots of the changed slices. */
  flush(extraRun: Partial<FlotillaState['run']> = {}): void {
    const s = this.store.getState();
    const patch: Partial<Mutable<FlotillaState>> = {};
    if (this.dirtyNodes.size > 0 || this.cutsDirty) {
      const nodes = s.cluster.nodes.slice();
      for (const i of this.dirtyNodes) nodes[i] = { ...this.nodes[i] };
      patch.cluster = { nodes, cuts: this.cutsDirty ? new Set(this.cuts) : s.cluster.cuts };
      this.dirtyNodes.clear();
      this.cutsDirty = false;
    }
    if (this.dirtyLogs.size > 0) {
      const logs = s.logs.slice();
      for (const i of this.dirtyLogs) logs[i] = { ...this.logs[i] };
      patch.logs = logs;
      this.dirtyLogs.clear();
    }
    const messages = this.messages.publish();
    if (messages) patch.messages = messages;
    if (this.timelineDirty) {
      patch.timeline = { ...s.timeline, version: s.timeline.version + 1, bands: this.bands.slice() };
      this.timelineDirty = false;
    }
    if (this.narrationDirty) {
      patch.narration = { ...s.narration, version: s.narration.version + 1 };
      this.narrationDirty = false;
    }
    if (this.safetyDirty) {
      patch.safety = { invariants: Array.from(this.safety.values()) };
      this.safetyDirty = false;
    }
    const horizonEvents = Math.max(s.run.horizonEvents, this.eventIndex);
    const horizonT = Math.max(s.run.horizonT, this.now);
    if (s.run.eventIndex !== this.eventIndex || s.run.now !== this.now || Object.keys(extraRun).length > 0 || horizonEvents !== s.run.horizonEvents) {
      patch.run = { ...s.run, eventIndex: this.eventIndex, now: this.now, horizonEvents, horizonT, ...extraRun };
    }
    if (Object.keys(patch).length > 0) this.store.setState(patch);
    for (const feed of this.feeds) feed.flush();
  }

  private node(id: NodeId): Mutable<NodeView> {
    const i = id - 1;
    const n = this.nodes[i];
    if (!n) throw new Error(`node ${id} is not in this cluster of ${this.nodes.length}`);
    this.dirtyNodes.add(i);
    return n;
  }

  private log(id: NodeId): Mutable<LogView> {
    const i = id - 1;
    const l = this.logs[i];
    if (!l) throw new Error(`node ${id} is not in this cluster of ${this.logs.length}`);
    this.dirtyLogs.add(i);
    return l;
  }

  private timelineItem(item: TimelineItem): void {
    this.store.getState().timeline.items.push(item);
    this.timelineDirty = true;
  }

  private line(t: number, node: NodeId, category: NarrationCategory, text: string): void {
    this.store.getState().narration.lines.push({ seq: ++this.narrationSeq, t, node, category, text, eventIndex: this.eventIndex });
    this.narrationDirty = true;
  }

  private narrate(ev: TraceEvent): void {
    const n = narrateTraceEvent(ev);
    if (n) this.line(ev.t, n.node, n.category, n.text);
  }
}

/** The cluster view draws the links between nodes; a client's own links are the key-value views'. */
function betweenNodes(link: DirectedLink): boolean {
  return typeof link[0] === 'number' && typeof link[1] === 'number';
}
