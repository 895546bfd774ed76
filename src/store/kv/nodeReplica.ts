/**
 * A mirror of one node's key-value replica, rebuilt in the UI from what that node applied: the same state
 * machine (src/kv) fed the same committed entries, in the same order, from the trace's `apply` events. A node
 * applies exactly what its log committed, so the mirror holds what a serializable read on that node returns
 * (stale on a lagging follower) without asking the node (its worker may be busy or far away).
 *
 * The mirror also runs the node's lease clock the way the node's key-value server does (docs/kv.md): the lessor is
 * promoted when the node, as leader, applies the first entry of its own term (etcd applyEntryNormal → Promote:
 * every lease restarts its TTL plus an election timeout), demoted when it stops leading, and renewed when the
 * trace says this node answered a keepalive. That is what the lease panel shows "as the leader counts them".
 */
import { KvStateMachine, minLeaseTtlMsFor, type KeyValue, type LeaseId } from '../../kv/index.ts';
import type { LogIndex, NodeId, Role, Term } from '../../raft/types.ts';

export class NodeReplica {
  private machine: KvStateMachine;
  private role: Role = 'follower';
  private term: Term = 0;
  /** The term in which this node's lessor was promoted; 0 while it is not the primary lessor. */
  private promotedTerm: Term = 0;
  /** Virtual ms of the last promotion (the moment every lease's TTL restarted here); null before any. */
  promotedAtMs: number | null = null;
  crashed = false;

  constructor(readonly node: NodeId, private readonly electionTimeoutMs: number) {
    this.machine = this.freshMachine();
  }

  /** The node restarted: it re-applies its log from the start, into a fresh state machine. */
  restart(): void {
    this.machine = this.freshMachine();
    this.role = 'follower';
    this.promotedTerm = 0;
    this.crashed = false;
  }

  crash(): void {
    this.crashed = true;
    this.demote();
  }

  get appliedIndex(): LogIndex {
    return this.machine.appliedIndex;
  }

  get revision(): number {
    return this.machine.revision;
  }

  get compactRevision(): number {
    return this.machine.store.compactRevision;
  }

  /** Whether this node's lease clock is the one that expires leases (it is the leader and promoted). */
  get isPrimaryLessor(): boolean {
    return this.machine.lessor.isPrimary;
  }

  /** The node's role and term changed (a `state` event): a lessor that stops leading is demoted. */
  setRole(role: Role, term: Term): void {
    this.role = role;
    this.term = term;
    if (this.promotedTerm !== 0 && (role !== 'leader' || term !== this.promotedTerm)) this.demote();
  }

  /**
   * Applies one committed entry (an `apply` event). Re-delivered indexes are ignored. Returns true when the
   * entry promoted this node's lessor (a new leader took over the lease clock).
   */
  apply(index: LogIndex, entryTerm: Term, data: string | null, nowMs: number): boolean {
    if (index <= this.machine.appliedIndex) return false;
    this.machine.applyEntryData(data, { index, nowMs });
    // etcd promotes the lessor when the new leader applies the first entry of its own term.
    if (this.role === 'leader' && entryTerm === this.term && this.promotedTerm !== this.term) {
      this.machine.lessor.promote(nowMs, this.electionTimeoutMs);
      this.promotedTerm = this.term;
      this.promotedAtMs = nowMs;
      return true;
    }
    return false;
  }

  /** This node answered a keepalive (a `renewed` lease event): its clock restarts the lease's TTL. */
  renew(id: LeaseId, nowMs: number): void {
    this.machine.lessor.renew(id, nowMs);
  }

  /** Every live key, in key order (UTF-8 bytes, as etcd sorts). */
  keys(): readonly KeyValue[] {
    const read = this.machine.get({ key: '', prefix: true });
    return read.ok ? read.result.kvs : [];
  }

  /** The granted leases with their TTL and, on the primary lessor, their expiry (Infinity elsewhere). */
  leases(): { id: LeaseId; ttlMs: number; expiresAtMs: number; keys: readonly string[] }[] {
    const out = [];
    for (const lease of this.machine.leases.all()) {
      out.push({
        id: lease.id, ttlMs: lease.ttlMs, expiresAtMs: this.machine.lessor.expiryMsOf(lease.id) ?? Infinity,
        keys: this.machine.leases.keysOf(lease.id),
      });
    }
    return out;
  }

  private demote(): void {
    this.machine.lessor.demote();
    this.promotedTerm = 0;
  }

  private freshMachine(): KvStateMachine {
    return new KvStateMachine({ minLeaseTtlMs: minLeaseTtlMsFor(this.electionTimeoutMs) });
  }
}
