/**
 * The feed from the simulator into the key-value views' store. It receives every listener event (the Raft
 * events it needs to mirror each node's replica: state, apply, crash, restart, action; and the contract's client,
 * watch, lease, recipe events and key-value sends) and fans it out: the replicas fold it first (replicaSet.ts),
 * then each slice's projection (table, leases, clients, watches, recipes, cron, verdict) folds it into its own
 * working state. `flush()` (one per animation frame, like the Raft store's Ingestor) publishes new snapshots of
 * only the slices that changed.
 *
 * The linearizability check is not run here: the verdict's projection only keeps the client history, and
 * `checkHistory()` runs the check when the caller decides (on a debounce, off the frame path: verdictScheduler.ts).
 */
import type { SimEvent } from '../../sim/index.ts';
import { ClientProjection } from './clientProjection.ts';
import { initialKvState, type KvStore } from './createKvStore.ts';
import { CronProjection } from './cronProjection.ts';
import { KvNarrator, type KvNarrationSink } from './kvNarrator.ts';
import type { KvPatch, KvProjection } from './kvProjection.ts';
import { LeaseProjection } from './leaseProjection.ts';
import { RecipeProjection } from './recipeProjection.ts';
import { ReplicaSet } from './replicaSet.ts';
import { TableProjection } from './tableProjection.ts';
import { VerdictProjection } from './verdictProjection.ts';
import { WatchProjection } from './watchProjection.ts';


export class KvIngestor {
  private readonly replicas = new ReplicaSet();
  private readonly narrator: KvNarrator;
  private readonly verdict = new VerdictProjection();
  /** Run in this order for every event and flush: the narration lines one event causes come out in this order. */
  private readonly projections: readonly KvProjection[];

  constructor(private readonly store: KvStore) {
    this.narrator = new KvNarrator(store);
    const leases = new LeaseProjection(this.replicas, this.narrator);
    const clients = new ClientProjection(store, this.replicas, this.narrator);
    this.projections = [
      new TableProjection(this.replicas, leases),
      leases,
      new WatchProjection(store, this.narrator),
      new RecipeProjection(this.replicas, leases, clients, this.narrator),
      new CronProjection(),
      clients,
      this.verdict,
    ];
  }

  /** Sends every narration line to `sink` as well (the main narration); null stops it. */
  setNarrationSink(sink: KvNarrationSink | null): void {
    this.narrator.setSink(sink);
  }

  /** Starts a new run of `nodeCount` nodes with the cluster's election timeout (leases extend by it). */
  reset(nodeCount: number, electionTimeoutMs: number): void {
    this.replicas.reset(nodeCount, electionTimeoutMs);
    for (const p of this.projections) p.reset();
    this.narrator.reset();
    this.store.setState(initialKvState(this.store.getState().controls), true);
  }

  /** Client events (and lease expiries) recorded so far: the history the verdict checks. */
  get historyLength(): number {
    return this.verdict.historyLength;
  }

  /** Whether client events arrived since the last check. */
  get verdictStale(): boolean {
    return this.verdict.stale;
  }

  /** Folds one listener event. Events the views do not need are ignored. */
  event(ev: SimEvent): void {
    const change = this.replicas.event(ev);
    for (const p of this.projections) p.event(ev, change);
  }

  /**
   * Checks the client history so far for linearizability (src/check) and publishes the verdict. Costly on long
   * histories: call it on a debounce, never per frame. A history with no client operation has no verdict.
   */
  checkHistory(): void {
    this.store.setState({ verdict: this.verdict.check(this.store.getState().verdict) });
  }

  /** Publishes the changes since the last flush. */
  flush(): void {
    const s = this.store.getState();
    const patch: KvPatch = {};
    for (const p of this.projections) p.publish(s, patch);
    this.narrator.publish(s, patch);
    if (Object.keys(patch).length > 0) this.store.setState(patch);
  }
}
