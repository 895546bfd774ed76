/**
 * The state of the key-value views (docs/kv-views.md): one immutable slice per view, replaced by the KV ingestor
 * (kvIngest.ts) only when what the view shows changed. Separate from the Raft store so the Raft views never
 * redraw for a key-value event, and so a Raft-only run costs nothing here.
 */
import type { NodeId } from '../../raft/types.ts';
import type { Ring } from '../ring.ts';

/** One live key as a node's replica holds it. */
export interface KvRow {
  readonly key: string;
  readonly value: string;
  readonly createRevision: number;
  readonly modRevision: number;
  readonly version: number;
  /** Lease id ("0" for none). */
  readonly lease: string;
  /** The scenario's name for the lease, when the trace told it; null for none. */
  readonly leaseName: string | null;
}

/** What one node's replica has applied. */
export interface ReplicaSummary {
  readonly node: NodeId;
  readonly revision: number;
  readonly appliedIndex: number;
  readonly crashed: boolean;
}

/** The key-value table: the store as one chosen node sees it. */
export interface TableSlice {
  /** The node shown (the chosen one, or the leader when "leader" is chosen; 0 before any node is known). */
  readonly node: NodeId;
  readonly rows: readonly KvRow[];
  /** Live keys in the replica (rows holds at most TABLE_ROW_LIMIT of them). */
  readonly keyCount: number;
  readonly revision: number;
  readonly compactRevision: number;
  readonly appliedIndex: number;
  /** The highest revision any running replica has applied: what the shown node lags behind. */
  readonly newestRevision: number;
  /**
   * Invariant: behind = newestRevision - revision >= 0. Above 0 the table is stale: a serializable read on this
   * node now returns an older store than a linearizable one would.
   */
  readonly behind: number;
  readonly replicas: readonly ReplicaSummary[];
}

export type LeaseState = 'live' | 'expired' | 'revoked';

/** One lease as the leader's lease clock counts it. */
export interface LeaseView {
  readonly id: string;
  readonly name: string;
  readonly ttlMs: number;
  readonly state: LeaseState;
  /** The client whose grant created it, when known. */
  readonly owner: string | null;
  /** Virtual ms at which the leader's clock expires it; null when no leader counts (no primary lessor). */
  readonly expiresAtMs: number | null;
  /** Last keepalive the leader answered; null before any. */
  readonly renewedAtMs: number | null;
  /** When a new leader restarted its TTL (etcd's promote: TTL + election timeout); null if never. */
  readonly resetAtMs: number | null;
  readonly keys: readonly string[];
  /** When it stopped being live (expired or revoked); null while live. */
  readonly endedAtMs: number | null;
}

export interface LeaseSlice {
  /** The node whose lease clock counts (the promoted leader); 0 when none does right now. */
  readonly clockNode: NodeId;
  /** When that node took the clock over (every TTL restarted then); null when none. */
  readonly clockSinceMs: number | null;
  readonly leases: readonly LeaseView[];
}

/** One line of the watch stream: one event a client's watch delivered, or its cancellation. */
export interface WatchLine {
  readonly seq: number;
  readonly t: number;
  readonly client: string;
  readonly watch: string;
  readonly kind: 'PUT' | 'DELETE' | 'CANCELED';
  readonly key: string;
  readonly value: string;
  readonly modRevision: number;
  /** The cancellation's error (compaction), else null. */
  readonly error: string | null;
}

export interface WatchSlice {
  /** Bumped whenever the ring changes (it is appended in place: bounded history). */
  readonly version: number;
  readonly lines: Ring<WatchLine>;
  /** Watches opened by the user or a scenario (recipe-internal ones, named "_...", excluded). */
  readonly open: readonly { readonly client: string; readonly watch: string; readonly key: string; readonly prefix: boolean }[];
}

/** One candidate in an election's (or mutex's) queue: a key under the prefix, ordered by createRevision. */
export interface QueueEntry {
  readonly key: string;
  readonly value: string;
  readonly createRevision: number;
  readonly lease: string;
  /** The client whose session lease holds the key, when known. */
  readonly owner: string | null;
}

export type QueueKind = 'election' | 'mutex' | 'cron';

export interface ElectionView {
  readonly name: string;
  readonly kind: QueueKind;
  /** Ascending createRevision: queue[0] is the leader (or lock holder) by etcd's rule. */
  readonly queue: readonly QueueEntry[];
  /**
   * Clients that believe they lead (elected, not yet resigned or lost), with since when. More than one is a
   * dual-leader belief window: possible in etcd (belief is local, leases are timed), shown, never hidden.
   */
  readonly believers: readonly { readonly client: string; readonly sinceMs: number }[];
  /** Observers and the leader value each saw last. */
  readonly observers: readonly { readonly client: string; readonly value: string; readonly atMs: number }[];
  /** Clients that campaigned (or wait for the lock) and have not left. */
  readonly candidates: readonly string[];
}

/** One registered instance of a service. */
export interface InstanceView {
  readonly instance: string;
  readonly addr: string;
  readonly key: string;
  /** The registering client, when known. */
  readonly client: string | null;
}

export interface ServiceView {
  readonly name: string;
  /** Instances whose key is in the store now (ephemeral keys held by a live lease). */
  readonly live: readonly InstanceView[];
  /** Each discovering client's current list, as its last `discovered` event gave it. */
  readonly discoverers: readonly { readonly client: string; readonly instances: readonly { readonly instance: string; readonly addr: string }[]; readonly atMs: number }[];
  /** Which pattern registered it: lease-held ephemeral keys, or heartbeat timestamps. */
  readonly pattern: 'lease' | 'heartbeat';
}

export interface CronMark {
  readonly t: number;
  readonly client: string;
  readonly job: string;
  /** k for the period [at + k*everyMs, at + (k+1)*everyMs). */
  readonly period: number;
  /** A run, or a refused run (a deposed leader's fenced record). */
  readonly kind: 'run' | 'refused';
}

export interface CronJob {
  readonly job: string;
  readonly everyMs: number;
  /** The cron action's `at`: period k starts at at + k*everyMs. */
  readonly atMs: number;
}

export interface CronSlice {
  readonly jobs: readonly CronJob[];
  /** Newest last; at most CRON_MARK_CAPACITY kept. */
  readonly marks: readonly CronMark[];
  /** Periods with more than one run: must stay empty (docs/recipes.md, cron); shown if not. */
  readonly doubleRuns: readonly { readonly job: string; readonly period: number; readonly clients: readonly string[] }[];
}

export interface ClientView {
  readonly name: string;
  /** The node it talks to now (its `via`, or where a `via: any` client moved); 0 before it is attached. */
  readonly node: NodeId;
  readonly requireLeader: boolean;
  readonly killed: boolean;
  /** Paused (docs/scenarios.md, "Process pauses"): doing nothing, its timers frozen, until resumed or killed. */
  readonly paused: boolean;
  /** Directions of its own link that are cut. */
  readonly cutToNode: boolean;
  readonly cutFromNode: boolean;
  /** The operation in flight, described ("put a"); null when idle. */
  readonly pending: string | null;
  /** The last failed or unknown outcome, with the plain reason; null when the last one succeeded. */
  readonly lastError: { readonly t: number; readonly reason: string } | null;
}

export type VerdictStatus = 'none' | 'pending' | 'linearizable' | 'not-linearizable' | 'undecided';

/** The linearizability verdict of the client history so far. */
export interface VerdictSlice {
  readonly status: VerdictStatus;
  /** Operations the last check looked at. */
  readonly operations: number;
  /** Client events the last check covered (the history grows; "pending" means newer ones wait). */
  readonly checkedEvents: number;
  /** For not-linearizable / undecided: the key (partition) and the operation the search could not place. */
  readonly failingKey: string | null;
  readonly failingOp: string | null;
  /** No client saw the store revision go back (the O(n) check next to linearizability). */
  readonly revisionOrderOk: boolean;
  readonly revisionOrderMessage: string | null;
}

/** A plain-English line about a client, a lease or a recipe (merged into the narration when wired). */
export interface KvNarrationLine {
  readonly seq: number;
  readonly t: number;
  /** The node it is about, 0 when none. */
  readonly node: NodeId;
  readonly client: string | null;
  readonly text: string;
}

export interface KvNarrationSlice {
  readonly version: number;
  readonly lines: Ring<KvNarrationLine>;
}

/** One completed client operation (keepalives excluded), for the console's output and the clients list. */
export interface ClientOutcome {
  readonly seq: number;
  readonly t: number;
  readonly client: string;
  readonly id: number;
  /** The operation described ("get a --prefix"). */
  readonly op: string;
  readonly phase: 'ok' | 'fail' | 'info';
  /** etcdctl-like: "OK", "a = 1 (rev 4)", "3 deleted", or the error. */
  readonly text: string;
}

export interface OutcomeSlice {
  readonly version: number;
  readonly lines: Ring<ClientOutcome>;
}

export interface KvControls {
  /** The node whose replica the table shows; 0 = whichever node leads. */
  readonly tableNode: NodeId;
}

export interface KvState {
  readonly table: TableSlice;
  readonly leases: LeaseSlice;
  readonly watches: WatchSlice;
  readonly elections: readonly ElectionView[];
  readonly services: readonly ServiceView[];
  readonly cron: CronSlice;
  readonly clients: readonly ClientView[];
  readonly verdict: VerdictSlice;
  readonly narration: KvNarrationSlice;
  readonly outcomes: OutcomeSlice;
  readonly controls: KvControls;
}
