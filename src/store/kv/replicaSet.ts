/**
 * The key-value views' mirror of every node's replica (nodeReplica.ts), fed the Raft events that move one:
 * `state`, `apply`, `crash`, `restart`, and a lease's renewal by its leader. It folds each event first and tells
 * the projections what moved (a ReplicaChange), so the table, the leases and the recipes, which all read the
 * replicas, decide from one answer whether their slice changed.
 */
import type { NodeId } from '../../raft/types.ts';
import type { SimEvent } from '../../sim/index.ts';
import { NodeReplica } from './nodeReplica.ts';

/** What one event did to the replicas. */
export interface ReplicaChange {
  /** A node crashed or restarted: which replicas run changed. */
  readonly crashedOrRestarted: boolean;
  /** A `state` event made a node leader: "the leader" the table follows may have changed. */
  readonly leaderState: boolean;
  /** The event's node became, or stopped being, the primary lessor (the node whose lease clock counts). */
  readonly lessorChanged: boolean;
  /** A node applied an entry that moved its store, or that carried a command. */
  readonly applied: boolean;
  /** The node that took the lease clock over by applying its first entry as leader; 0 for none. */
  readonly promoted: NodeId;
}

const NO_CHANGE: ReplicaChange = { crashedOrRestarted: false, leaderState: false, lessorChanged: false, applied: false, promoted: 0 };

export class ReplicaSet {
  private replicas: NodeReplica[] = [];
  private timeoutMs = 1000;

  /** Starts a new run of `nodeCount` nodes with the cluster's election timeout (leases extend by it). */
  reset(nodeCount: number, electionTimeoutMs: number): void {
    this.timeoutMs = electionTimeoutMs;
    this.replicas = Array.from({ length: nodeCount }, (_, i) => new NodeReplica(i + 1, electionTimeoutMs));
  }

  get electionTimeoutMs(): number {
    return this.timeoutMs;
  }

  get all(): readonly NodeReplica[] {
    return this.replicas;
  }

  get(node: NodeId): NodeReplica | undefined {
    return this.replicas[node - 1];
  }

  /** Folds one event into the replicas it moves; says what moved. */
  event(ev: SimEvent): ReplicaChange {
    switch (ev.type) {
      case 'state': {
        const r = this.get(ev.node);
        if (!r) return NO_CHANGE;
        const wasPrimary = r.isPrimaryLessor;
        r.setRole(ev.role, ev.term);
        return { ...NO_CHANGE, lessorChanged: wasPrimary !== r.isPrimaryLessor, leaderState: ev.role === 'leader' };
      }
      case 'apply': {
        const r = this.get(ev.node);
        if (!r) return NO_CHANGE;
        const before = r.revision;
        const data = ev.data ?? null;
        const promoted = r.apply(ev.index, ev.term, data, ev.t);
        return { ...NO_CHANGE, promoted: promoted ? ev.node : 0, applied: r.revision !== before || data !== null };
      }
      case 'crash':
        this.get(ev.node)?.crash();
        return { ...NO_CHANGE, crashedOrRestarted: true };
      case 'restart':
        this.get(ev.node)?.restart();
        return { ...NO_CHANGE, crashedOrRestarted: true };
      case 'lease':
        if (ev.event === 'renewed') this.get(ev.node)?.renew(ev.id, ev.t);
        return NO_CHANGE;
      default:
        return NO_CHANGE;
    }
  }

  /** The most advanced running replica: what the cluster has applied (elections and services read it). */
  reference(): NodeReplica | undefined {
    let best: NodeReplica | undefined;
    for (const r of this.replicas) if (!r.crashed && (!best || r.appliedIndex > best.appliedIndex)) best = r;
    return best;
  }

  /** The promoted leader's replica (whose lease clock counts), preferring the latest promotion. */
  clock(): NodeReplica | undefined {
    let best: NodeReplica | undefined;
    for (const r of this.replicas) {
      if (!r.crashed && r.isPrimaryLessor && (!best || (r.promotedAtMs ?? 0) > (best.promotedAtMs ?? 0))) best = r;
    }
    return best;
  }
}
