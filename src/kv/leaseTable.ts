/**
 * The replicated part of leases: which leases exist, their granted TTL, and which keys are attached to each
 * (etcd's lessor leaseMap and item map, without the clock). Changed only by applying committed commands, so it
 * is identical on every replica and goes into the digest. When leases expire is the clock's business
 * (lessor.ts), which is local to each node.
 */
import type { LeaseId } from './keyValue.ts';
import { compareKeys } from './keyOrder.ts';

/** A granted lease. */
export interface LeaseRecord {
  readonly id: LeaseId;
  /** The TTL as granted (already raised to the minimum). */
  readonly ttlMs: number;
}

export class LeaseTable {
  // Invariant: every key in attached.get(id) is a live key of the store whose kv.lease === id, and no key is
  // attached to two leases.
  private readonly leases = new Map<LeaseId, LeaseRecord>();
  private readonly attached = new Map<LeaseId, Set<string>>();

  has(id: LeaseId): boolean {
    return this.leases.has(id);
  }

  get(id: LeaseId): LeaseRecord | undefined {
    return this.leases.get(id);
  }

  /** Every lease, in id order as granted (Map order): for the clock and the digest. */
  all(): IterableIterator<LeaseRecord> {
    return this.leases.values();
  }

  get size(): number {
    return this.leases.size;
  }

  /** Adds a lease; the caller has checked that the id is free. */
  grant(id: LeaseId, ttlMs: number): LeaseRecord {
    const lease = { id, ttlMs };
    this.leases.set(id, lease);
    this.attached.set(id, new Set());
    return lease;
  }

  /** Removes a lease; returns the keys that were attached, in key order (they are deleted in that order). */
  revoke(id: LeaseId): string[] {
    const keys = [...(this.attached.get(id) ?? [])].sort(compareKeys);
    this.leases.delete(id);
    this.attached.delete(id);
    return keys;
  }

  /** Records that `key` now belongs to lease `id` (a put with that lease). */
  attach(id: LeaseId, key: string): void {
    this.attached.get(id)?.add(key);
  }

  /** Records that `key` no longer belongs to lease `id` (overwritten without it, or deleted). */
  detach(id: LeaseId, key: string): void {
    this.attached.get(id)?.delete(key);
  }

  /** The keys attached to a lease, in key order. */
  keysOf(id: LeaseId): string[] {
    return [...(this.attached.get(id) ?? [])].sort(compareKeys);
  }
}
