/**
 * The key-value table's projection: the store as one chosen node's replica holds it (or the leader's when none
 * is chosen), how far that replica lags the most advanced one, and every replica's progress.
 */
import type { NodeId } from '../../raft/types.ts';
import type { KvProjection, KvPatch } from './kvProjection.ts';
import type { KvRow, KvState, TableSlice } from './kvState.ts';
import type { LeaseProjection } from './leaseProjection.ts';
import type { ReplicaChange, ReplicaSet } from './replicaSet.ts';

/** Rows the table holds at most (the view scrolls; a run with more keys shows the first ones in key order). */
export const TABLE_ROW_LIMIT = 300;

export class TableProjection implements KvProjection {
  private dirty = false;

  constructor(private readonly replicas: ReplicaSet, private readonly leases: LeaseProjection) {}

  reset(): void {
    this.dirty = false;
  }

  event(_ev: unknown, change: ReplicaChange): void {
    // "The leader" may have changed on a state event: the table follows it when no node is chosen.
    if (change.leaderState || change.applied || change.crashedOrRestarted) this.dirty = true;
  }

  publish(state: KvState, patch: KvPatch): void {
    const chosen = state.controls.tableNode;
    if (this.dirty || state.table.node !== this.nodeFor(chosen)) patch.table = this.build(chosen);
    this.dirty = false;
  }

  private nodeFor(chosen: NodeId): NodeId {
    if (chosen > 0 && chosen <= this.replicas.all.length) return chosen;
    return this.replicas.clock()?.node ?? this.replicas.reference()?.node ?? 0;
  }

  private build(chosen: NodeId): TableSlice {
    const node = this.nodeFor(chosen);
    const r = this.replicas.get(node);
    const all = this.replicas.all;
    const replicas = all.map((x) => ({ node: x.node, revision: x.revision, appliedIndex: x.appliedIndex, crashed: x.crashed }));
    const newestRevision = all.reduce((m, x) => (x.crashed ? m : Math.max(m, x.revision)), 1);
    if (!r) return { node, rows: [], keyCount: 0, revision: 1, compactRevision: 0, appliedIndex: 0, newestRevision, behind: 0, replicas };
    const kvs = r.keys();
    const rows: KvRow[] = kvs.slice(0, TABLE_ROW_LIMIT).map((kv) => ({
      key: kv.key, value: kv.value, createRevision: kv.createRevision, modRevision: kv.modRevision, version: kv.version,
      lease: kv.lease, leaseName: kv.lease === '0' ? null : this.leases.nameOf(kv.lease),
    }));
    return {
      node, rows, keyCount: kvs.length, revision: r.revision, compactRevision: r.compactRevision, appliedIndex: r.appliedIndex,
      newestRevision: Math.max(newestRevision, r.revision), behind: Math.max(0, newestRevision - r.revision), replicas,
    };
  }
}
