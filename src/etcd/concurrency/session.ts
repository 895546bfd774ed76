/**
 * A session (etcd client/v3/concurrency session.go): a lease the client keeps alive. Every recipe that holds
 * something (an election key, a lock, a registration) attaches it to the session's lease, so what it holds
 * vanishes when the session does: the ephemeral-node idea of ZooKeeper, done with a lease.
 *
 * Life: `granting` (the grant is retried until it succeeds) → `alive` (one keepalive every TTL/3, as etcd's
 * lease client sends them) → `lost` or `closed`, both final.
 * - lost: no successful keepalive reply for a whole TTL since the last one (or since the grant), which is
 *   when etcd's lease client closes the keepalive channel and session.Done() fires; or a keepalive answered
 *   "lease not found" (the lease expired on the leader first: its clock started before our reply arrived).
 * - closed: the owner closed it, revoking the lease (etcd session.Close), which deletes every attached key.
 * - the client died: nothing more happens here (no callback ever comes); the lease expires on the leader.
 *
 * Belief is local and timed: a session can be `alive` here while the leader already expired its lease (the
 * lease clock on the leader started before our reply arrived), which is why recipes that act on the
 * cluster fence their writes (cron.ts).
 */
import { ERR_LEASE_NOT_FOUND, type LeaseId } from '../../kv/index.ts';
import { RetryTimer } from './periodicTask.ts';
import type { CancelTimer, RecipeClient } from './recipeClient.ts';

export type SessionState = 'granting' | 'alive' | 'lost' | 'closed';

/** What a session tells its owner. */
export interface SessionListener {
  /** The lease is granted; the session is alive. Called once. */
  onAlive(lease: LeaseId): void;
  /** The session is lost (see the file comment); called once, never after close(). */
  onLost(reason: string): void;
}

/** Why a session was lost, as the `lost` event's detail.reason says it. */
export const LOST_NO_REPLY = 'no keepalive reply for a whole TTL';
export const LOST_LEASE_GONE = 'keepalive answered: lease not found';

/** A lease this client keeps alive (etcd concurrency.Session). */
export class Session {
  private current: SessionState = 'granting';
  private leaseId: LeaseId | undefined;
  // Invariant: set once granted; the TTL as granted (the cluster may raise the requested one to its minimum).
  private grantedTtlMs = 0;
  // Virtual time of the last successful keepalive reply (or of the grant reply). Invariant: <= now.
  private lastReplyMs = 0;
  private keepaliveTimer: CancelTimer | undefined;
  private deadlineTimer: CancelTimer | undefined;
  private readonly grantRetry: RetryTimer;

  constructor(
    private readonly client: RecipeClient,
    /** The TTL asked for, in ms. */
    readonly requestedTtlMs: number,
    private readonly listener: SessionListener,
  ) {
    this.grantRetry = new RetryTimer(client);
  }

  get state(): SessionState {
    return this.current;
  }

  /** The session's lease id once granted. */
  get lease(): LeaseId | undefined {
    return this.leaseId;
  }

  /** The granted TTL in ms (0 before the grant). */
  get ttlMs(): number {
    return this.grantedTtlMs;
  }

  /** Sends the grant. */
  start(): void {
    this.client.send({ do: 'grant', ttlMs: this.requestedTtlMs }, (outcome) => {
      if (this.current !== 'granting') return;
      if (outcome.phase !== 'ok') {
        // An `info` grant may have granted a lease nobody will keep alive: it expires after its TTL.
        this.grantRetry.later(() => this.start());
        return;
      }
      this.current = 'alive';
      this.leaseId = outcome.result.id;
      this.grantedTtlMs = outcome.result.ttlMs;
      this.lastReplyMs = this.client.nowMs();
      this.armDeadline();
      this.scheduleKeepalive();
      this.listener.onAlive(outcome.result.id);
    });
  }

  /**
   * Ends the session by revoking its lease (etcd session.Close), deleting every key attached to it. Does
   * nothing unless alive. `onRevoked` reports the revoke's outcome.
   */
  close(onRevoked?: (ok: boolean) => void): void {
    this.grantRetry.cancel();
    const lease = this.leaseId;
    const wasAlive = this.current === 'alive';
    if (this.current === 'granting' || this.current === 'alive') this.current = 'closed';
    this.stopTimers();
    if (!wasAlive || lease === undefined) {
      onRevoked?.(false);
      return;
    }
    this.client.send({ do: 'revoke', lease }, (outcome) => onRevoked?.(outcome.phase === 'ok'));
  }

  /**
   * Stops keeping the lease alive without revoking it (etcd session.Orphan): for an owner that learned its
   * keys are gone anyway. The lease expires on the leader after its TTL, if it has not already.
   */
  orphan(): void {
    this.grantRetry.cancel();
    if (this.current === 'granting' || this.current === 'alive') this.current = 'closed';
    this.stopTimers();
  }

  private scheduleKeepalive(): void {
    const everyMs = Math.max(1, Math.floor(this.grantedTtlMs / 3));
    this.keepaliveTimer = this.client.at(this.client.nowMs() + everyMs, () => {
      if (this.current !== 'alive') return;
      this.sendKeepalive();
      this.scheduleKeepalive();
    });
  }

  /** Keepalives are independent requests, as in etcd's stream: a slow one does not hold back the next. */
  private sendKeepalive(): void {
    const lease = this.leaseId!;
    this.client.send({ do: 'keepalive', lease }, (outcome) => {
      if (this.current !== 'alive') return;
      if (outcome.phase === 'ok') {
        this.lastReplyMs = this.client.nowMs();
        this.armDeadline();
      } else if (outcome.phase === 'fail' && outcome.error === ERR_LEASE_NOT_FOUND) {
        this.lose(LOST_LEASE_GONE);
      }
      // Other errors (no leader, timed out) change nothing: the deadline decides.
    });
  }

  private armDeadline(): void {
    this.deadlineTimer?.();
    const replyMs = this.lastReplyMs;
    this.deadlineTimer = this.client.at(replyMs + this.grantedTtlMs, () => {
      if (this.current === 'alive' && this.lastReplyMs === replyMs) this.lose(LOST_NO_REPLY);
    });
  }

  private lose(reason: string): void {
    this.current = 'lost';
    this.stopTimers();
    this.listener.onLost(reason);
  }

  private stopTimers(): void {
    this.keepaliveTimer?.();
    this.deadlineTimer?.();
    this.keepaliveTimer = undefined;
    this.deadlineTimer = undefined;
  }
}
