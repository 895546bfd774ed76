/**
 * A place in a key queue (keyQueue.ts) held by a session: what an election candidacy (election.ts) and a lock
 * attempt (mutex.ts) share, as etcd's election.go and mutex.go do. Each campaign or lock is a round with its
 * own session; every answer, retry and wait of a round is guarded so that it does nothing once a later round
 * has begun (rounds.ts). Separate so that the two recipes say only what differs: their txns and their events.
 */
import type { LeaseId, Revision } from '../../kv/index.ts';
import { PredecessorWait, queuePrefixOf } from './keyQueue.ts';
import { RetryTimer } from './periodicTask.ts';
import type { RecipeClient } from './recipeClient.ts';
import { Rounds } from './rounds.ts';
import { Session } from './session.ts';

export class QueuePlace {
  private readonly rounds = new Rounds();
  private readonly retry: RetryTimer;
  private roundSession: Session | undefined;
  private wait: PredecessorWait | undefined;
  private waits = 0;

  /** @param watchBaseName base of the waits' watches' names; must start with `_`. */
  constructor(
    private readonly client: RecipeClient,
    private readonly prefix: string,
    private readonly watchBaseName: string,
  ) {
    this.retry = new RetryTimer(client);
  }

  /** The session of the current round (undefined before the first). */
  get session(): Session | undefined {
    return this.roundSession;
  }

  /** A new round: a new session of `ttlMs`, whose callbacks count only during this round. */
  begin(ttlMs: number, onAlive: (lease: LeaseId) => void, onLost: (reason: string) => void): void {
    this.rounds.next();
    this.roundSession = new Session(this.client, ttlMs, {
      onAlive: this.rounds.guard(onAlive),
      onLost: this.rounds.guard(onLost),
    });
    this.roundSession.start();
  }

  /** `callback`, made to do nothing once a later round has begun. */
  guard<A extends unknown[]>(callback: (...args: A) => void): (...args: A) => void {
    return this.rounds.guard(callback);
  }

  /** Runs `step` again after RECIPE_RETRY_MS, unless a later round has begun by then. */
  retryLater(step: () => void): void {
    this.retry.later(this.rounds.guard(step));
  }

  /** Waits until no key created before `revision` is left under the prefix, then calls `onClear`. */
  waitForPredecessors(revision: Revision, onClear: () => void): void {
    this.wait = new PredecessorWait(
      this.client, queuePrefixOf(this.prefix), revision, `${this.watchBaseName}.w${++this.waits}`, this.rounds.guard(onClear),
    );
    this.wait.start();
  }

  /** The round ends without the place: no more waiting or retrying (the session is the caller's to end). */
  abandon(): void {
    this.wait?.stop();
    this.retry.cancel();
  }

  /** The client died: stop everything silently (the session's lease expires on the leader). */
  stop(): void {
    this.abandon();
    this.roundSession?.orphan();
  }
}
