/**
 * The lease clock of one node (etcd server/lease/lessor.go, the part that is not replicated). Only the
 * leader's lessor is "primary" and has finite expiries; every other node's leases never expire on their own,
 * so a lease ends only when the leader proposes its revoke through Raft and the revoke is applied everywhere.
 *
 * - promote(now, extend): the node became leader. Every lease restarts its full TTL plus `extend` (etcd passes
 *   an election timeout: the old leader may still be answering keepalives until it notices it lost). So TTLs
 *   restart on every leader change, as in etcd without its (alpha, default-off) lease checkpoints.
 * - demote(): the node is no longer leader; expiries become "forever".
 * - renew(id, now): a keepalive, answered by the leader alone, outside the log.
 * - expired(now): leases whose expiry passed; the caller proposes a revoke for each. A lease reported but not
 *   yet revoked (the proposal was lost) is reported again after `revokeRetryMs`, as etcd retries every 3 s.
 *
 * Time is virtual milliseconds passed in by the caller; nothing here reads a clock.
 */
import { ERR_LEASE_NOT_FOUND, ERR_NOT_PRIMARY } from './errors.ts';
import type { LeaseId } from './keyValue.ts';
import type { LeaseTable } from './leaseTable.ts';
import type { Outcome } from './requests.ts';

/** etcd's expiredLeaseRetryInterval: how long an expired, not yet revoked lease waits before being reported again. */
export const DEFAULT_REVOKE_RETRY_MS = 3000;

/** etcd's minimum lease TTL for an election timeout: ceil(1.5 × electionTimeout), so a lease outlives a leader change. */
export function minLeaseTtlMsFor(electionTimeoutMs: number): number {
  return Math.ceil(1.5 * electionTimeoutMs);
}

export class Lessor {
  // Invariant: primary ⇔ every lease of the table has an entry in `expiriesMs`; not primary ⇒ it is empty.
  private primary = false;
  private readonly expiriesMs = new Map<LeaseId, number>();
  // Leases reported by expired() and when; cleared when the lease is renewed, revoked or the node demoted.
  private readonly reportedAtMs = new Map<LeaseId, number>();

  constructor(
    private readonly table: LeaseTable,
    private readonly revokeRetryMs: number = DEFAULT_REVOKE_RETRY_MS,
  ) {}

  /** Whether this is the leader's lessor (the only one whose leases expire). */
  get isPrimary(): boolean {
    return this.primary;
  }

  /** The node became leader at `nowMs`: every lease gets now + extend + its full TTL (etcd lessor.Promote). */
  promote(nowMs: number, extendMs: number): void {
    this.primary = true;
    this.reportedAtMs.clear();
    for (const lease of this.table.all()) this.expiriesMs.set(lease.id, nowMs + extendMs + lease.ttlMs);
  }

  /** The node is no longer leader: no lease expires here (etcd lessor.Demote sets every expiry to forever). */
  demote(): void {
    this.primary = false;
    this.expiriesMs.clear();
    this.reportedAtMs.clear();
  }

  /**
   * A keepalive (etcd lessor.Renew): on the leader, restarts the lease's full TTL and returns it. Fails with
   * "lease not found" for an unknown lease or one whose expiry has already passed (its revoke is on its way),
   * and with "not a primary lessor" on any other node (which should forward it to the leader).
   */
  renew(id: LeaseId, nowMs: number): Outcome<{ ttlMs: number }> {
    if (!this.primary) return { ok: false, error: ERR_NOT_PRIMARY };
    const lease = this.table.get(id);
    const expiryMs = this.expiriesMs.get(id);
    if (lease === undefined || expiryMs === undefined || expiryMs <= nowMs) return { ok: false, error: ERR_LEASE_NOT_FOUND };
    this.expiriesMs.set(id, nowMs + lease.ttlMs);
    this.reportedAtMs.delete(id);
    return { ok: true, result: { ttlMs: lease.ttlMs } };
  }

  /**
   * The leases whose expiry is at or before `nowMs`, earliest first (ties by id), excluding those reported
   * less than `revokeRetryMs` ago. Empty unless primary. The caller proposes a revoke for each.
   */
  expired(nowMs: number): LeaseId[] {
    if (!this.primary) return [];
    const due: { id: LeaseId; expiryMs: number }[] = [];
    for (const [id, expiryMs] of this.expiriesMs) {
      if (expiryMs > nowMs) continue;
      const reportedMs = this.reportedAtMs.get(id);
      if (reportedMs !== undefined && nowMs - reportedMs < this.revokeRetryMs) continue;
      due.push({ id, expiryMs });
    }
    due.sort((a, b) => a.expiryMs - b.expiryMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const { id } of due) this.reportedAtMs.set(id, nowMs);
    return due.map((d) => d.id);
  }

  /** When the lease expires on this node, in virtual ms: Infinity when not primary; undefined for an unknown lease. */
  expiryMsOf(id: LeaseId): number | undefined {
    if (!this.table.has(id)) return undefined;
    return this.primary ? this.expiriesMs.get(id) : Infinity;
  }

  /** Time left before expiry (Infinity when not primary, clamped at 0); undefined for an unknown lease. */
  remainingMs(id: LeaseId, nowMs: number): number | undefined {
    const expiryMs = this.expiryMsOf(id);
    return expiryMs === undefined ? undefined : Math.max(0, expiryMs - nowMs);
  }

  /** The state machine applied a grant at `nowMs`: on the leader the lease starts its TTL now. */
  onGranted(id: LeaseId, nowMs: number): void {
    const lease = this.table.get(id);
    if (this.primary && lease !== undefined) this.expiriesMs.set(id, nowMs + lease.ttlMs);
  }

  /** The state machine applied a revoke. */
  onRevoked(id: LeaseId): void {
    this.expiriesMs.delete(id);
    this.reportedAtMs.delete(id);
  }
}
