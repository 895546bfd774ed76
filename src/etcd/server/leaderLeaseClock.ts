/**
 * The leader's lease clock (etcd's Lessor as the server drives it): promoted when the new leader applies the
 * first entry of its own term, which restarts every TTL plus an election timeout (etcd's applyEntryNormal →
 * lessor.Promote), demoted as soon as the node stops leading, and while primary it revokes every lease whose TTL
 * ran out by a proposal, never locally (etcd's revokeExpiredLeases).
 */
import { encodeCommand, proposedLeaseRequest, type KvStateMachine, type LeaseId } from '../../kv/index.ts';
import type { RawNode } from '../../raft/index.ts';
import type { Entry, NodeId } from '../../raft/types.ts';
import type { LeaseNotes } from './leaseNotes.ts';
import type { NodeClock } from './nodeClock.ts';

export class LeaderLeaseClock {
  /** Term in which the lessor was promoted; 0 when it is not primary. */
  private promotedTerm = 0;
  /** Leases this node's lessor has reported expired in its current leadership. */
  private readonly reportedExpired = new Set<LeaseId>();

  constructor(
    private readonly raft: RawNode,
    private readonly machine: KvStateMachine,
    private readonly clock: NodeClock,
    private readonly notes: LeaseNotes,
    private readonly nodeId: NodeId,
    private readonly electionTimeoutMs: number,
  ) {}

  /** etcd promotes the lessor when the new leader applies the first entry of its own term. */
  promoteOnApply(entry: Entry): void {
    const raft = this.raft;
    if (raft.role === 'leader' && entry.term === raft.term && this.promotedTerm !== raft.term) {
      this.machine.lessor.promote(this.clock.leaseStartMs, this.electionTimeoutMs);
      this.promotedTerm = raft.term;
      this.reportedExpired.clear();
    }
  }

  /** A node that no longer leads stops expiring leases (etcd lessor.Demote). */
  demoteUnlessLeading(): void {
    if (this.promotedTerm !== 0 && (this.raft.role !== 'leader' || this.raft.term !== this.promotedTerm)) {
      this.machine.lessor.demote();
      this.promotedTerm = 0;
      this.reportedExpired.clear();
    }
  }

  /** Every lease whose TTL ran out is revoked through the log (reported expired once per leadership). */
  expireLeases(): void {
    if (this.promotedTerm === 0) return;
    for (const id of this.machine.lessor.expired(this.clock.nowMs)) {
      if (!this.reportedExpired.has(id)) {
        this.reportedExpired.add(id);
        this.notes.note(id, 'expired');
      }
      this.raft.propose(encodeCommand({ clientId: '', requestId: 0, request: proposedLeaseRequest({ do: 'revoke', id }, this.nodeId) }));
    }
  }
}
