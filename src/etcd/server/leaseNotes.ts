/**
 * The trace's `lease` events as one node tells them (docs/trace-format.md, "Client, watch and lease events"),
 * under the scenario's names for the leases. Every node learns the names from the grants it applies (they are
 * replicated), so whichever node reports a change can name the lease.
 */
import type { LeaseId } from '../../kv/index.ts';
import type { NodeId } from '../../raft/types.ts';
import type { LeaseNote } from './messages.ts';
import type { ServerOutbox } from './outbox.ts';

export class LeaseNotes {
  /** Lease names by id, from applied grants. */
  private readonly names = new Map<LeaseId, string>();

  constructor(private readonly nodeId: NodeId, private readonly outbox: ServerOutbox) {}

  /** Remembers the name a grant gave its lease. */
  named(id: LeaseId, name: string): void {
    this.names.set(id, name);
  }

  /** Notes a lease's change under its name (the id when no name is known). */
  note(id: LeaseId, event: LeaseNote['event'], ttlMs?: number): void {
    this.outbox.note({ node: this.nodeId, lease: this.names.get(id) ?? id, id, event, ...(ttlMs !== undefined ? { ttlMs } : {}) });
  }
}
