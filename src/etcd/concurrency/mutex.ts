/**
 * A distributed lock as etcd's client/v3/concurrency mutex.go does it: the election's queue, without values.
 *
 * tryAcquire: Txn If createRevision(myKey) = 0 Then (Put myKey under the lease, Get the prefix) Else (Get
 *   myKey, Get the prefix): one round trip enqueues and tells who holds the lock (the first created key).
 * lock(): tryAcquire; if first, locked; else wait for every earlier key's deletion, watching only the immediate
 *   predecessor (keyQueue.ts), then read myKey once more: gone means the session expired (ErrSessionExpired).
 * tryLock(): tryAcquire; if not first, delete myKey and fail with ErrLocked.
 * unlock(): delete myKey, then close the session (the scenario's lock created it).
 *
 * Events (recipe `mutex`): locked, unlocked, lost. A client holds the lock from `locked` to `unlocked`/`lost`
 * in its own belief; like an election's, that belief can outlive the key (checks.ts measures it), so work
 * guarded by a lock should be fenced with the key's createRevision.
 */
import type { LeaseId, Revision } from '../../kv/index.ts';
import { firstCreated, queueKeyOf, queuePrefixOf } from './keyQueue.ts';
import { PendingDone } from './periodicTask.ts';
import { QueuePlace } from './queuePlace.ts';
import { txnGetKvs, type RecipeClient, type RecipeDone } from './recipeClient.ts';
import { ERR_SESSION_EXPIRED } from './election.ts';

/** etcd's mutex errors (client/v3/concurrency/mutex.go). */
export const ERR_LOCKED = 'mutex: Locked by another session';
export const ERR_LOCK_BUSY = 'mutex: already locking or locked';

export type MutexState = 'idle' | 'acquiring' | 'locked' | 'unlocking' | 'ended';

/** One client's use of one lock (etcd concurrency.Mutex). */
export class Mutex {
  private current: MutexState = 'idle';
  private readonly place: QueuePlace;
  private readonly lockDone = new PendingDone();
  private readonly unlockDone = new PendingDone();
  private tryOnly = false;
  // Invariant: once enqueued, myKey exists in the store with createRevision myRevision (unless the lease ended).
  private myKey: string | undefined;
  private myRevision: Revision = 0;

  /** @param watchBaseName base of the watches' names; must start with `_`. */
  constructor(
    private readonly client: RecipeClient,
    private readonly prefix: string,
    watchBaseName: string,
  ) {
    this.place = new QueuePlace(client, prefix, watchBaseName);
  }

  get state(): MutexState {
    return this.current;
  }

  /** True between `locked` and `unlocked`/`lost`, in this client's belief. */
  get believesLocked(): boolean {
    return this.current === 'locked' || this.current === 'unlocking';
  }

  get key(): string | undefined {
    return this.myKey;
  }

  /** The createRevision of myKey: a fencing token for work done under the lock. */
  get revision(): Revision {
    return this.myRevision;
  }

  /** Locks, waiting in the queue; a new session of `ttlMs` holds the place. */
  lock(ttlMs: number, done: RecipeDone): void {
    this.begin(ttlMs, false, done);
  }

  /** Locks only if nobody holds the lock now; otherwise leaves the queue and fails with ERR_LOCKED. */
  tryLock(ttlMs: number, done: RecipeDone): void {
    this.begin(ttlMs, true, done);
  }

  /** Releases the lock (deletes myKey) and closes the session. Not holding it: nothing to do. */
  unlock(done: RecipeDone): void {
    if (this.current !== 'locked') {
      this.client.at(this.client.nowMs(), () => done());
      return;
    }
    this.current = 'unlocking';
    this.unlockDone.set(done);
    this.sendUnlock();
  }

  /** The client died: stop silently. */
  stop(): void {
    this.place.stop();
    this.current = 'ended';
  }

  private begin(ttlMs: number, tryOnly: boolean, done: RecipeDone): void {
    if (this.current !== 'idle' && this.current !== 'ended') {
      this.client.at(this.client.nowMs(), () => done(ERR_LOCK_BUSY));
      return;
    }
    this.current = 'acquiring';
    this.tryOnly = tryOnly;
    this.lockDone.set(done);
    this.myKey = undefined;
    this.myRevision = 0;
    this.place.begin(ttlMs, (lease) => this.tryAcquire(lease), (reason) => this.sessionLost(reason));
  }

  private tryAcquire(lease: LeaseId): void {
    if (this.current !== 'acquiring') return;
    const key = queueKeyOf(this.prefix, lease);
    const owner = { get: { key: queuePrefixOf(this.prefix), prefix: true } };
    this.client.send(
      {
        do: 'txn',
        compare: [{ key, target: 'createRevision', op: '=', value: 0 }],
        success: [{ put: { key, value: '', lease } }, owner],
        failure: [{ get: { key } }, owner],
      },
      this.place.guard((outcome) => {
        if (this.current !== 'acquiring') return;
        if (outcome.phase !== 'ok') return this.retryLater(() => this.tryAcquire(lease));
        const result = outcome.result;
        this.myKey = key;
        this.myRevision = result.succeeded ? result.header.revision : txnGetKvs(result, 0)[0]!.createRevision;
        const holder = firstCreated(txnGetKvs(result, 1));
        if (holder === undefined || holder.createRevision === this.myRevision) return this.acquired();
        if (this.tryOnly) return this.giveUp();
        this.place.waitForPredecessors(this.myRevision, () => this.confirmOwnKey());
      }),
    );
  }

  /** etcd Lock: after the wait, "make sure the session is not expired, and the owner key still exists". */
  private confirmOwnKey(): void {
    if (this.current !== 'acquiring') return;
    this.client.send({ do: 'get', key: this.myKey! }, this.place.guard((outcome) => {
      if (this.current !== 'acquiring') return;
      if (outcome.phase !== 'ok') return this.retryLater(() => this.confirmOwnKey());
      const own = outcome.result.kvs[0];
      if (own === undefined || own.createRevision !== this.myRevision) {
        this.place.session?.orphan();
        return this.endAcquire('key deleted before the lock was acquired', ERR_SESSION_EXPIRED);
      }
      this.acquired();
    }));
  }

  private acquired(): void {
    this.current = 'locked';
    this.client.emit({
      recipe: 'mutex', name: this.prefix, event: 'locked',
      detail: { key: this.myKey, createRevision: this.myRevision, lease: this.place.session!.lease },
    });
    this.finishLock();
  }

  /** tryLock found the lock held: leave the queue (delete myKey) and close the session. */
  private giveUp(): void {
    const key = this.myKey!;
    this.client.send({ do: 'delete', key }, this.place.guard(() => {
      this.place.session?.close();
      this.current = 'ended';
      this.finishLock(ERR_LOCKED);
    }));
  }

  private sendUnlock(): void {
    const key = this.myKey!;
    this.client.send({ do: 'delete', key }, this.place.guard((outcome) => {
      if (this.current !== 'unlocking') return;
      if (outcome.phase !== 'ok') return this.retryLater(() => this.sendUnlock());
      this.current = 'ended';
      this.client.emit({ recipe: 'mutex', name: this.prefix, event: 'unlocked', detail: { key, createRevision: this.myRevision } });
      this.place.session?.close();
      this.unlockDone.finish();
    }));
  }

  private sessionLost(reason: string): void {
    if (this.current === 'acquiring') {
      this.endAcquire(reason, ERR_SESSION_EXPIRED);
    } else if (this.current === 'locked' || this.current === 'unlocking') {
      this.current = 'ended';
      this.emitLost(reason);
      this.unlockDone.finish(ERR_SESSION_EXPIRED);
    }
  }

  private endAcquire(reason: string, error: string): void {
    this.place.abandon();
    this.current = 'ended';
    this.emitLost(reason);
    this.finishLock(error);
  }

  private emitLost(reason: string): void {
    this.client.emit({
      recipe: 'mutex', name: this.prefix, event: 'lost',
      detail: { key: this.myKey ?? null, createRevision: this.myRevision, lease: this.place.session?.lease ?? null, reason },
    });
  }

  private finishLock(error?: string): void {
    this.lockDone.finish(error);
  }

  private retryLater(step: () => void): void {
    this.place.retryLater(step);
  }
}
