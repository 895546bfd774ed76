/**
 * The feed from the simulator into the key-value views' store. It receives every listener event (the Raft
 * events it needs to mirror each node's replica: state, apply, crash, restart, action; and the contract's client,
 * watch, lease, recipe events and key-value sends), folds them into working state, and publishes new snapshots of
 * only the slices that changed on `flush()` (one per animation frame, like the Raft store's Ingestor).
 *
 * The linearizability check is not run here: the ingestor only keeps the client history, and `checkHistory()`
 * runs the check when the caller decides (on a debounce, off the frame path: verdictScheduler.ts).
 */
import { checkTraceHistory } from '../../check/index.ts';
import type { NodeId } from '../../raft/types.ts';
import { initialKvState, type KvStore } from './createKvStore.ts';
import type {
  ClientTraceEvent, KvSendEvent, LeaseTraceEvent, RecipeTraceEvent, WatchTraceEvent,
} from './kvEvents.ts';
import type {
  ClientView, CronJob, CronMark, ElectionView, KvNarrationLine, KvRow, KvState, LeaseView, QueueEntry, QueueKind,
  ServiceView, TableSlice, VerdictSlice,
} from './kvState.ts';
import { describeOp, failureReason, narrateClientFailure, narrateLease, narrateRecipe, summarizeResult } from './kvNarration.ts';
import { NodeReplica } from './nodeReplica.ts';

/** Rows the table holds at most (the view scrolls; a run with more keys shows the first ones in key order). */
export const TABLE_ROW_LIMIT = 300;
/** Cron marks kept. */
export const CRON_MARK_CAPACITY = 400;
/** Ended (expired or revoked) leases kept on the lease panel. */
export const ENDED_LEASES_SHOWN = 8;
/** The check's step budget: enough for every example, small enough to stay well under a frame budget per 1k ops. */
export const VERDICT_MAX_STEPS = 400_000;
/**
 * Client events kept for the live verdict (the memory bound of a long run with clients). Past it the live check
 * stops and says so; `flotilla check` on the downloaded trace checks the whole history.
 */
export const HISTORY_CAPACITY = 50_000;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** What the KV ingestor needs of a listener event: its type and time; the rest is read per type. */
export interface AnyEvent {
  readonly t: number;
  readonly type: string;
}

/** A sink of narration lines about clients, leases and recipes (the Raft narration, once wired). */
export type KvNarrationSink = (line: Omit<KvNarrationLine, 'seq'>) => void;

interface LeaseRecord {
  name: string;
  owner: string | null;
  state: LeaseView['state'];
  ttlMs: number;
  renewedAtMs: number | null;
  resetAtMs: number | null;
  endedAtMs: number | null;
  keys: readonly string[];
}

interface ElectionRecord {
  readonly name: string;
  kind: QueueKind;
  /** Queue keys live under this prefix. */
  prefix: string;
  readonly believers: Map<string, number>;
  readonly observers: Map<string, { value: string; atMs: number }>;
  readonly candidates: Set<string>;
  /** The last client that left the queue's head (or its session) and why: the "why" of the next election. */
  departure: { readonly client: string; readonly why: string; readonly t: number } | null;
}

interface ServiceRecord {
  readonly name: string;
  pattern: ServiceView['pattern'];
  readonly registrants: Map<string, string>;
  readonly discoverers: Map<string, { instances: { instance: string; addr: string }[]; atMs: number }>;
}

interface PendingOp {
  readonly op: Readonly<Record<string, unknown>>;
  readonly text: string;
}

/** The queue prefix of an election or mutex name, as etcd's concurrency package builds it (`name/`). */
export function queuePrefix(name: string): string {
  return name.endsWith('/') ? name : `${name}/`;
}

export class KvIngestor {
  private replicas: NodeReplica[] = [];
  private electionTimeoutMs = 1000;
  private now = 0;
  private readonly leaseNames = new Map<string, string>();
  private readonly leases = new Map<string, LeaseRecord>();
  private readonly clients = new Map<string, Mutable<ClientView>>();
  private readonly pendingOps = new Map<string, PendingOp>();
  private readonly elections = new Map<string, ElectionRecord>();
  private readonly services = new Map<string, ServiceRecord>();
  private readonly cronJobs = new Map<string, CronJob>();
  /** A cron job's election prefix, by job name. */
  private readonly cronElectionOf = new Map<string, string>();
  private cronMarks: CronMark[] = [];
  private readonly cronRuns = new Map<string, Set<string>>();
  private openWatches: KvState['watches']['open'] = [];
  private history: object[] = [];
  /** Whether the history holds a client operation (a lease expiry alone has nothing to check). */
  private hasClientOps = false;
  /** Client events dropped once the history reached HISTORY_CAPACITY. */
  private historyOverflow = 0;
  private checkedEvents = 0;
  private watchSeq = 0;
  private narrationSeq = 0;
  private outcomeSeq = 0;
  private dirty = { table: false, leases: false, watches: false, recipes: false, cron: false, clients: false, narration: false, verdict: false, outcomes: false };
  private narrationSink: KvNarrationSink | null = null;

  constructor(private readonly store: KvStore) {}

  /** Sends every narration line to `sink` as well (the main narration); null stops it. */
  setNarrationSink(sink: KvNarrationSink | null): void {
    this.narrationSink = sink;
  }

  /** Starts a new run of `nodeCount` nodes with the cluster's election timeout (leases extend by it). */
  reset(nodeCount: number, electionTimeoutMs: number): void {
    this.electionTimeoutMs = electionTimeoutMs;
    this.replicas = Array.from({ length: nodeCount }, (_, i) => new NodeReplica(i + 1, electionTimeoutMs));
    this.now = 0;
    this.leaseNames.clear();
    this.leases.clear();
    this.clients.clear();
    this.pendingOps.clear();
    this.elections.clear();
    this.services.clear();
    this.cronJobs.clear();
    this.cronElectionOf.clear();
    this.cronMarks = [];
    this.cronRuns.clear();
    this.openWatches = [];
    this.history = [];
    this.hasClientOps = false;
    this.historyOverflow = 0;
    this.checkedEvents = 0;
    this.watchSeq = 0;
    this.narrationSeq = 0;
    this.outcomeSeq = 0;
    for (const k of Object.keys(this.dirty) as (keyof typeof this.dirty)[]) this.dirty[k] = false;
    this.store.setState(initialKvState(this.store.getState().controls), true);
  }

  /** Client events (and lease expiries) recorded so far: the history the verdict checks. */
  get historyLength(): number {
    return this.history.length;
  }

  /** Whether client events arrived since the last check. */
  get verdictStale(): boolean {
    return this.history.length !== this.checkedEvents;
  }

  /** Folds one listener event. Events the views do not need are ignored. */
  event(ev: AnyEvent): void {
    if (ev.t > this.now) this.now = ev.t;
    const e = ev as unknown as Record<string, unknown>;
    switch (ev.type) {
      case 'state': this.onState(e.node as NodeId, e.role as string, e.term as number); break;
      case 'apply': this.onApply(ev.t, e.node as NodeId, e.index as number, e.term as number, (e.data ?? null) as string | null); break;
      case 'crash': this.replica(e.node as NodeId)?.crash(); this.dirty.table = this.dirty.leases = this.dirty.clients = true; break;
      case 'restart': this.replica(e.node as NodeId)?.restart(); this.dirty.table = this.dirty.leases = this.dirty.clients = true; break;
      case 'action': this.onAction(ev.t, e); break;
      case 'pause':
      case 'resume': this.onPause(e.client, ev.type === 'pause'); break;
      case 'kvSend': this.onKvSend(ev as unknown as KvSendEvent); break;
      case 'client': this.onClient(ev as unknown as ClientTraceEvent); break;
      case 'watch': this.onWatch(ev as unknown as WatchTraceEvent); break;
      case 'lease': this.onLease(ev as unknown as LeaseTraceEvent); break;
      case 'recipe': this.onRecipe(ev as unknown as RecipeTraceEvent); break;
    }
  }

  /** The time the user sees (virtual ms). */
  setNow(t: number): void {
    this.now = t;
  }

  /**
   * Checks the client history so far for linearizability (src/check) and publishes the verdict. Costly on long
   * histories: call it on a debounce, never per frame. A history with no client operation has no verdict.
   */
  checkHistory(): void {
    const events = this.history;
    this.checkedEvents = events.length;
    let verdict: VerdictSlice;
    if (this.historyOverflow > 0) {
      verdict = {
        ...this.store.getState().verdict, status: 'undecided', checkedEvents: events.length, failingKey: null,
        failingOp: `the history outgrew the live check (${HISTORY_CAPACITY} events): run flotilla check on the downloaded trace`,
      };
    } else if (!this.hasClientOps) {
      verdict = { ...this.store.getState().verdict, status: 'none', checkedEvents: events.length };
    } else {
      try {
        const r = checkTraceHistory(events, { maxSteps: VERDICT_MAX_STEPS });
        const regression = r.revisionOrder.regressions[0];
        verdict = {
          status: r.linearizable === true ? 'linearizable' : r.linearizable === false ? 'not-linearizable' : 'undecided',
          operations: r.operations, checkedEvents: events.length,
          failingKey: r.failure?.partition ?? null, failingOp: r.failure?.blockedOperation ?? null,
          revisionOrderOk: r.revisionOrder.ok,
          revisionOrderMessage: regression
            ? `${regression.client} saw revision ${regression.revision} after ${regression.previous} (operation ${regression.id})`
            : null,
        };
      } catch (error) {
        // A malformed client event is a bug in the run, not a verdict: say so rather than guess.
        verdict = {
          status: 'undecided', operations: 0, checkedEvents: events.length, failingKey: null,
          failingOp: `the history could not be read: ${(error as Error).message}`, revisionOrderOk: true, revisionOrderMessage: null,
        };
      }
    }
    this.store.setState({ verdict });
  }

  /** Publishes the changes since the last flush. */
  flush(): void {
    const s = this.store.getState();
    const patch: Partial<Mutable<KvState>> = {};
    const stale = this.verdictStale && s.verdict.status !== 'pending' && this.hasClientOps && this.historyOverflow === 0;
    if (this.dirty.table || s.table.node !== this.tableNodeFor(s.controls.tableNode)) patch.table = this.buildTable(s.controls.tableNode);
    if (this.dirty.leases) patch.leases = this.buildLeases();
    if (this.dirty.watches) patch.watches = { ...s.watches, version: s.watches.version + 1, open: this.openWatches };
    if (this.dirty.recipes) {
      patch.elections = this.buildElections();
      patch.services = this.buildServices();
    }
    if (this.dirty.cron) patch.cron = { jobs: [...this.cronJobs.values()], marks: this.cronMarks.slice(), doubleRuns: this.doubleRuns() };
    if (this.dirty.clients) patch.clients = [...this.clients.values()].map((c) => ({ ...c }));
    if (this.dirty.narration) patch.narration = { ...s.narration, version: s.narration.version + 1 };
    if (this.dirty.outcomes) patch.outcomes = { ...s.outcomes, version: s.outcomes.version + 1 };
    if (stale) patch.verdict = { ...s.verdict, status: 'pending' };
    for (const k of Object.keys(this.dirty) as (keyof typeof this.dirty)[]) this.dirty[k] = false;
    if (Object.keys(patch).length > 0) this.store.setState(patch);
  }

  // ---- Raft events: the replicas ----

  private replica(node: NodeId): NodeReplica | undefined {
    return this.replicas[node - 1];
  }

  private onState(node: NodeId, role: string, term: number): void {
    const r = this.replica(node);
    if (!r) return;
    const wasPrimary = r.isPrimaryLessor;
    r.setRole(role as Parameters<NodeReplica['setRole']>[0], term);
    if (wasPrimary !== r.isPrimaryLessor) this.dirty.leases = true;
    // "The leader" may have changed: the table follows it when no node is chosen.
    if (role === 'leader') this.dirty.table = true;
  }

  private onApply(t: number, node: NodeId, index: number, term: number, data: string | null): void {
    const r = this.replica(node);
    if (!r) return;
    const before = r.revision;
    const promoted = r.apply(index, term, data, t);
    if (promoted) {
      for (const lease of this.leases.values()) if (lease.state === 'live') lease.resetAtMs = t;
      this.line(t, node, null, `S${node} leads and takes over the lease clock: every lease restarts its full TTL plus an election timeout (${this.electionTimeoutMs} ms), as etcd's lessor does on promotion.`);
      this.dirty.leases = true;
    }
    if (r.revision !== before || data !== null) {
      this.dirty.table = true;
      this.dirty.recipes = true;
      this.dirty.leases = true;
    }
  }

  /** The most advanced running replica: what the cluster has applied (elections and services read it). */
  private referenceReplica(): NodeReplica | undefined {
    let best: NodeReplica | undefined;
    for (const r of this.replicas) if (!r.crashed && (!best || r.appliedIndex > best.appliedIndex)) best = r;
    return best;
  }

  /** The promoted leader's replica (whose lease clock counts), preferring the latest promotion. */
  private clockReplica(): NodeReplica | undefined {
    let best: NodeReplica | undefined;
    for (const r of this.replicas) {
      if (!r.crashed && r.isPrimaryLessor && (!best || (r.promotedAtMs ?? 0) > (best.promotedAtMs ?? 0))) best = r;
    }
    return best;
  }

  private tableNodeFor(chosen: NodeId): NodeId {
    if (chosen > 0 && chosen <= this.replicas.length) return chosen;
    return this.clockReplica()?.node ?? this.referenceReplica()?.node ?? 0;
  }

  private buildTable(chosen: NodeId): TableSlice {
    const node = this.tableNodeFor(chosen);
    const r = this.replica(node);
    const replicas = this.replicas.map((x) => ({ node: x.node, revision: x.revision, appliedIndex: x.appliedIndex, crashed: x.crashed }));
    const newestRevision = this.replicas.reduce((m, x) => (x.crashed ? m : Math.max(m, x.revision)), 1);
    if (!r) return { node, rows: [], keyCount: 0, revision: 1, compactRevision: 0, appliedIndex: 0, newestRevision, behind: 0, replicas };
    const kvs = r.keys();
    const rows: KvRow[] = kvs.slice(0, TABLE_ROW_LIMIT).map((kv) => ({
      key: kv.key, value: kv.value, createRevision: kv.createRevision, modRevision: kv.modRevision, version: kv.version,
      lease: kv.lease, leaseName: kv.lease === '0' ? null : (this.leaseNames.get(kv.lease) ?? null),
    }));
    return {
      node, rows, keyCount: kvs.length, revision: r.revision, compactRevision: r.compactRevision, appliedIndex: r.appliedIndex,
      newestRevision: Math.max(newestRevision, r.revision), behind: Math.max(0, newestRevision - r.revision), replicas,
    };
  }

  private buildLeases(): KvState['leases'] {
    const clock = this.clockReplica();
    const source = clock ?? this.referenceReplica();
    const views: LeaseView[] = [];
    const live = new Set<string>();
    for (const l of source?.leases() ?? []) {
      live.add(l.id);
      const rec = this.leaseRecord(l.id);
      rec.ttlMs = l.ttlMs;
      rec.keys = l.keys;
      views.push({
        id: l.id, name: rec.name, ttlMs: l.ttlMs, state: rec.state === 'expired' ? 'expired' : 'live', owner: rec.owner,
        expiresAtMs: clock && Number.isFinite(l.expiresAtMs) ? l.expiresAtMs : null,
        renewedAtMs: rec.renewedAtMs, resetAtMs: rec.resetAtMs, keys: l.keys, endedAtMs: rec.endedAtMs,
      });
    }
    const ended = [...this.leases.entries()]
      .filter(([id, rec]) => !live.has(id) && rec.state !== 'live')
      .sort((a, b) => (b[1].endedAtMs ?? 0) - (a[1].endedAtMs ?? 0))
      .slice(0, ENDED_LEASES_SHOWN);
    for (const [id, rec] of ended) {
      views.push({
        id, name: rec.name, ttlMs: rec.ttlMs, state: rec.state, owner: rec.owner, expiresAtMs: null,
        renewedAtMs: rec.renewedAtMs, resetAtMs: rec.resetAtMs, keys: rec.keys, endedAtMs: rec.endedAtMs,
      });
    }
    return { clockNode: clock?.node ?? 0, clockSinceMs: clock?.promotedAtMs ?? null, leases: views };
  }

  private leaseRecord(id: string): LeaseRecord {
    let rec = this.leases.get(id);
    if (!rec) {
      rec = { name: this.leaseNames.get(id) ?? id, owner: null, state: 'live', ttlMs: 0, renewedAtMs: null, resetAtMs: null, endedAtMs: null, keys: [] };
      this.leases.set(id, rec);
    }
    return rec;
  }

  // ---- actions: clients, links, recipe names ----

  /** A client's pause or resume (a node's is the cluster view's). */
  private onPause(client: unknown, paused: boolean): void {
    const c = typeof client === 'string' ? this.clients.get(client) : undefined;
    if (!c) return;
    c.paused = paused;
    this.dirty.clients = true;
  }

  private onAction(t: number, e: Record<string, unknown>): void {
    if (e.noop) return;
    const a = e.action as Record<string, unknown>;
    const client = typeof a.client === 'string' ? a.client : null;
    switch (a.do) {
      case 'client': {
        if (!client) return;
        this.clients.set(client, {
          name: client, node: typeof e.node === 'number' ? e.node : typeof a.via === 'number' ? a.via : 0,
          requireLeader: a.requireLeader === true, killed: false, paused: false, cutToNode: false, cutFromNode: false, pending: null, lastError: null,
        });
        this.dirty.clients = true;
        return;
      }
      case 'killClient': {
        if (!client) return;
        const c = this.clients.get(client);
        if (c) {
          c.killed = true;
          c.paused = false;
          c.pending = null;
          this.dirty.clients = true;
        }
        this.line(t, c?.node ?? 0, client, `${client} is killed: it does nothing more; its pending request never completes and its sessions end when their leases expire.`);
        // A dead client believes nothing; its key stays in the queue until its session lease expires.
        for (const el of this.elections.values()) el.believers.delete(client);
        this.dirty.recipes = true;
        return;
      }
      case 'cut':
      case 'restore':
        this.clientLink(a.from, a.to, a.do === 'cut');
        return;
      case 'partition':
        this.clientPartition(a.groups);
        return;
      case 'heal':
        for (const c of this.clients.values()) c.cutToNode = c.cutFromNode = false;
        this.dirty.clients = true;
        return;
      case 'campaign':
      case 'observe':
        this.electionRecord(String(a.election), 'election');
        if (a.do === 'campaign' && client) this.electionRecord(String(a.election), 'election').candidates.add(client);
        this.dirty.recipes = true;
        return;
      case 'lock':
        if (client) this.electionRecord(String(a.mutex), 'mutex').candidates.add(client);
        this.dirty.recipes = true;
        return;
      case 'cron': {
        const job = String(a.job);
        this.cronJobs.set(job, { job, everyMs: Number(a.everyMs), atMs: Number(a.at ?? t) });
        this.cronElectionOf.set(job, String(a.election));
        const rec = this.electionRecord(String(a.election), 'cron');
        if (client) rec.candidates.add(client);
        this.dirty.cron = this.dirty.recipes = true;
        return;
      }
      case 'register':
      case 'discover':
        this.serviceRecord(String(a.service));
        this.dirty.recipes = true;
        return;
      case 'watch': {
        const watch = String(a.watch ?? '');
        if (client && !watch.startsWith('_')) {
          this.openWatches = [...this.openWatches.filter((w) => !(w.client === client && w.watch === watch)),
            { client, watch, key: String(a.key ?? ''), prefix: a.prefix === true }];
          this.dirty.watches = true;
        }
        return;
      }
      case 'cancelWatch':
        this.openWatches = this.openWatches.filter((w) => !(w.client === client && w.watch === a.watch));
        this.dirty.watches = true;
        return;
    }
  }

  /** A `cut`/`restore` naming a client as one end changes that client's own link. */
  private clientLink(from: unknown, to: unknown, cut: boolean): void {
    const name = (end: unknown) => (typeof end === 'string' ? end : typeof end === 'object' && end !== null ? String((end as { client?: unknown }).client) : null);
    const fromClient = name(from) !== null ? this.clients.get(name(from)!) : undefined;
    const toClient = name(to) !== null ? this.clients.get(name(to)!) : undefined;
    if (fromClient) fromClient.cutToNode = cut;
    if (toClient) toClient.cutFromNode = cut;
    if (fromClient || toClient) this.dirty.clients = true;
  }

  /** A partition that lists a client cuts it from its node when they land in different groups. */
  private clientPartition(groups: unknown): void {
    if (!Array.isArray(groups)) return;
    const groupOf = new Map<string, number>();
    (groups as unknown[][]).forEach((g, i) => g.forEach((m) => groupOf.set(String(m), i)));
    for (const c of this.clients.values()) {
      const mine = groupOf.get(c.name);
      if (mine === undefined) continue;
      const separated = groupOf.get(String(c.node)) !== mine;
      c.cutToNode = c.cutFromNode = separated;
      this.dirty.clients = true;
    }
  }

  private onKvSend(ev: KvSendEvent): void {
    const { from, to } = ev.msg;
    if (typeof from !== 'string' || typeof to !== 'number') return;
    const c = this.clients.get(from);
    if (c && c.node !== to) {
      c.node = to;
      this.dirty.clients = true;
    }
  }

  // ---- client events ----

  private record(ev: object): void {
    if (this.history.length >= HISTORY_CAPACITY) this.historyOverflow++;
    else this.history.push(ev);
  }

  private onClient(ev: ClientTraceEvent): void {
    this.record(ev);
    this.hasClientOps = true;
    const c = this.clients.get(ev.client);
    const opKey = `${ev.client}#${ev.id}`;
    if (ev.phase === 'invoke') {
      const text = describeOp(ev.op);
      this.pendingOps.set(opKey, { op: ev.op, text });
      if (c && ev.op.do !== 'keepalive') {
        c.pending = text;
        this.dirty.clients = true;
      }
      return;
    }
    const pending = this.pendingOps.get(opKey);
    this.pendingOps.delete(opKey);
    if (c && pending && c.pending === pending.text) c.pending = null;
    if (pending && pending.op.do !== 'keepalive') {
      this.store.getState().outcomes.lines.push({
        seq: ++this.outcomeSeq, t: ev.t, client: ev.client, id: ev.id, op: pending.text, phase: ev.phase,
        text: ev.phase === 'ok' ? summarizeResult(pending.op, ev.result) : `Error: ${ev.error}`,
      });
      this.dirty.outcomes = true;
    }
    if (ev.phase === 'ok') {
      if (pending?.op.do === 'grant' && typeof ev.result.id === 'string') {
        const id = ev.result.id;
        const name = typeof pending.op.lease === 'string' ? pending.op.lease : this.leaseNames.get(id) ?? id;
        this.leaseNames.set(id, name);
        const rec = this.leaseRecord(id);
        rec.name = name;
        rec.owner = ev.client;
        this.dirty.leases = this.dirty.recipes = true;
      }
      if (c && pending && pending.op.do !== 'keepalive') c.lastError = null;
    } else {
      const text = pending?.text ?? `operation ${ev.id}`;
      const node = c?.node ?? 0;
      if (c) c.lastError = { t: ev.t, reason: failureReason(ev.error) ?? ev.error };
      this.line(ev.t, node, ev.client, narrateClientFailure(ev.client, text, ev.phase, ev.error, node));
    }
    this.dirty.clients = true;
  }

  private onWatch(ev: WatchTraceEvent): void {
    if (ev.watch.startsWith('_')) return;
    const lines = this.store.getState().watches.lines;
    for (const w of ev.events) {
      lines.push({
        seq: ++this.watchSeq, t: ev.t, client: ev.client, watch: ev.watch, kind: w.type, key: w.kv.key,
        value: w.type === 'PUT' ? w.kv.value : '', modRevision: w.kv.modRevision, error: null,
      });
    }
    if (ev.canceled) {
      lines.push({ seq: ++this.watchSeq, t: ev.t, client: ev.client, watch: ev.watch, kind: 'CANCELED', key: '', value: '', modRevision: 0, error: ev.error ?? null });
      this.openWatches = this.openWatches.filter((w) => !(w.client === ev.client && w.watch === ev.watch));
      this.line(ev.t, 0, ev.client, `${ev.client}'s watch ${ev.watch} is cancelled: ${ev.error ?? 'no reason given'}.`);
    }
    this.dirty.watches = true;
  }

  private onLease(ev: LeaseTraceEvent): void {
    this.leaseNames.set(ev.id, ev.lease);
    const rec = this.leaseRecord(ev.id);
    rec.name = ev.lease;
    if (ev.ttlMs !== undefined && ev.event === 'granted') rec.ttlMs = ev.ttlMs;
    switch (ev.event) {
      case 'renewed':
        this.replica(ev.node)?.renew(ev.id, ev.t);
        rec.renewedAtMs = ev.t;
        break;
      case 'expired':
        this.record(ev);
        rec.state = 'expired';
        rec.endedAtMs = ev.t;
        if (rec.owner) this.depart(rec.owner, `${rec.owner}'s session lease expired at ${(ev.t / 1000).toFixed(3)} s (no keepalive within its TTL), which deleted its key`, ev.t);
        break;
      case 'revoked':
        if (rec.state === 'live') rec.state = 'revoked';
        rec.endedAtMs ??= ev.t;
        break;
      case 'granted':
        rec.state = 'live';
        break;
    }
    const text = narrateLease(ev, rec.owner);
    if (text) this.line(ev.t, ev.node, rec.owner, text);
    this.dirty.leases = true;
  }

  // ---- recipe events ----

  private electionRecord(name: string, kind: QueueKind): ElectionRecord {
    let rec = this.elections.get(name);
    if (!rec) {
      rec = { name, kind, prefix: queuePrefix(name), believers: new Map(), observers: new Map(), candidates: new Set(), departure: null };
      this.elections.set(name, rec);
    }
    return rec;
  }

  private serviceRecord(name: string): ServiceRecord {
    let rec = this.services.get(name);
    if (!rec) {
      rec = { name, pattern: 'lease', registrants: new Map(), discoverers: new Map() };
      this.services.set(name, rec);
    }
    return rec;
  }

  private onRecipe(ev: RecipeTraceEvent): void {
    const d = ev.detail;
    let text = narrateRecipe(ev);
    if (text && (ev.event === 'elected' || ev.event === 'locked')) {
      const rec = this.elections.get(ev.name) ?? (ev.recipe === 'cron' ? this.elections.get(this.cronElectionOf.get(ev.name) ?? '') : undefined);
      const gone = rec?.departure;
      if (rec && gone && gone.client !== ev.client) text = `${text.slice(0, -1)}, because ${gone.why}.`;
      if (rec) rec.departure = null;
    }
    if (text) this.line(ev.t, this.clients.get(ev.client)?.node ?? 0, ev.client, text);
    this.dirty.recipes = true;
    switch (ev.recipe) {
      case 'registry':
      case 'heartbeat': {
        const svc = this.serviceRecord(ev.name);
        svc.pattern = ev.recipe === 'heartbeat' ? 'heartbeat' : 'lease';
        if (ev.event === 'registered' && typeof d.instance === 'string') svc.registrants.set(d.instance, ev.client);
        if (ev.event === 'discovered' && Array.isArray(d.instances)) {
          const instances = (d.instances as { instance?: unknown; addr?: unknown }[]).map((i) => ({ instance: String(i.instance), addr: String(i.addr ?? '') }));
          svc.discoverers.set(ev.client, { instances, atMs: ev.t });
        }
        return;
      }
      case 'cron': {
        if (ev.event === 'run' || ev.event === 'refused') {
          const period = Number(d.period);
          this.cronMarks.push({ t: ev.t, client: ev.client, job: ev.name, period, kind: ev.event });
          if (this.cronMarks.length > CRON_MARK_CAPACITY) this.cronMarks.shift();
          if (ev.event === 'run') {
            const key = `${ev.name}\u0000${period}`;
            const runs = this.cronRuns.get(key) ?? new Set<string>();
            runs.add(`${ev.client}@${ev.t}`);
            this.cronRuns.set(key, runs);
          }
          this.dirty.cron = true;
          return;
        }
        // The cron job's own election: its events carry the job's name; believers are kept under the job.
        this.believe(this.cronElection(ev.name), ev);
        return;
      }
      case 'mutex':
        this.believe(this.electionRecord(ev.name, 'mutex'), ev);
        return;
      default: {
        const rec = this.electionRecord(ev.name, 'election');
        if (ev.event === 'observed') rec.observers.set(ev.client, { value: String(d.value ?? ''), atMs: ev.t });
        else this.believe(rec, ev);
      }
    }
  }

  /** The election a cron job campaigns in: the cron action's `election` prefix (its events carry the job's name). */
  private cronElection(job: string): ElectionRecord {
    return this.electionRecord(this.cronElectionOf.get(job) ?? job, 'cron');
  }

  /** A client's session ended: the elections it stood in remember it as the reason for the next leader. */
  private depart(client: string, why: string, t: number): void {
    for (const rec of this.elections.values()) {
      if (!rec.candidates.has(client) && !rec.believers.has(client)) continue;
      rec.departure = { client, why, t };
      rec.candidates.delete(client);
      rec.believers.delete(client);
      this.dirty.recipes = true;
    }
  }

  private believe(rec: ElectionRecord, ev: RecipeTraceEvent): void {
    switch (ev.event) {
      case 'elected':
      case 'locked':
        rec.believers.set(ev.client, ev.t);
        rec.candidates.add(ev.client);
        break;
      case 'resigned':
      case 'unlocked':
      case 'lost':
        rec.believers.delete(ev.client);
        rec.candidates.delete(ev.client);
        if (!rec.departure || rec.departure.client !== ev.client) {
          rec.departure = { client: ev.client, why: ev.event === 'lost' ? `${ev.client} lost its session${ev.detail.reason ? ` (${String(ev.detail.reason)})` : ''}` : `${ev.client} ${ev.event}`, t: ev.t };
        }
        break;
    }
  }

  private buildElections(): ElectionView[] {
    const ref = this.referenceReplica();
    const keys = ref?.keys() ?? [];
    const owners = new Map<string, string>();
    for (const [id, rec] of this.leases) if (rec.owner) owners.set(id, rec.owner);
    return [...this.elections.values()].map((rec) => {
      const queue: QueueEntry[] = keys
        .filter((kv) => kv.key.startsWith(rec.prefix))
        .map((kv) => ({ key: kv.key, value: kv.value, createRevision: kv.createRevision, lease: kv.lease, owner: owners.get(kv.lease) ?? null }))
        .sort((a, b) => a.createRevision - b.createRevision);
      return {
        name: rec.name, kind: rec.kind, queue,
        believers: [...rec.believers].map(([client, sinceMs]) => ({ client, sinceMs })),
        observers: [...rec.observers].map(([client, o]) => ({ client, value: o.value, atMs: o.atMs })),
        candidates: [...rec.candidates],
      };
    });
  }

  private buildServices(): ServiceView[] {
    const keys = this.referenceReplica()?.keys() ?? [];
    return [...this.services.values()].map((svc) => ({
      name: svc.name, pattern: svc.pattern,
      live: keys.filter((kv) => kv.key.startsWith(svc.name)).map((kv) => {
        const instance = kv.key.slice(svc.name.length);
        return { instance, addr: addrOf(kv.value), key: kv.key, client: svc.registrants.get(instance) ?? null };
      }),
      discoverers: [...svc.discoverers].map(([client, v]) => ({ client, instances: v.instances, atMs: v.atMs })),
    }));
  }

  private doubleRuns(): CronState['doubleRuns'] {
    const out = [];
    for (const [key, runs] of this.cronRuns) {
      if (runs.size < 2) continue;
      const [job, period] = key.split('\u0000');
      out.push({ job, period: Number(period), clients: [...runs].map((r) => r.split('@')[0]) });
    }
    return out;
  }

  private line(t: number, node: NodeId, client: string | null, text: string): void {
    this.store.getState().narration.lines.push({ seq: ++this.narrationSeq, t, node, client, text });
    this.dirty.narration = true;
    this.narrationSink?.({ t, node, client, text });
  }
}

type CronState = KvState['cron'];

/** The address in a registration's value ({"addr": ...} as etcd's endpoints write it), or the raw value. */
function addrOf(value: string): string {
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { addr?: unknown }).addr === 'string') return (parsed as { addr: string }).addr;
  } catch {
    // A heartbeat value or a plain string: shown as it is.
  }
  return value;
}
