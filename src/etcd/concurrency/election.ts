/**
 * Leader election as etcd's client/v3/concurrency election.go does it, for one client and one election prefix.
 *
 * campaign(value): open a session; put `prefix/<lease hex>` = value under the session's lease only if absent
 *   (Txn If createRevision(key) = 0 Then Put Else Get: a retry after an unknown outcome finds its own key);
 *   the key's createRevision is the candidate's place in the queue; wait until no key created before it is
 *   left (keyQueue.ts waitDeletes, watching only the immediate predecessor); then, as etcd's mutex does, read
 *   the own key once more: if the session expired meanwhile its key is gone and the candidate is not the
 *   leader (etcd's election skips this check; its Campaign can then return for a candidate whose key expired).
 * proclaim(value): Txn If createRevision(key) = myRev Then Put(key, value): only the leader can change the value.
 * resign(): Txn If createRevision(key) = myRev Then Delete(key): the next candidate's watch fires. Then the
 *   session is closed, as etcdctl elect does when it stops.
 * leader(): the first created key of the prefix.
 *
 * Events (recipe `election`, or the owner's kind, e.g. `cron`): elected, resigned, lost. Between elected and
 * resigned/lost the client BELIEVES it leads; that belief is local and can outlive the leader key by up to
 * the time the session needs to notice (checks.ts measures such windows).
 */
import type { KeyValue, LeaseId, Revision } from '../../kv/index.ts';
import { firstCreated, queueKeyOf, queuePrefixOf } from './keyQueue.ts';
import { PendingDone } from './periodicTask.ts';
import { QueuePlace } from './queuePlace.ts';
import { txnGetKvs, type RecipeClient, type RecipeDone, type RecipeKind } from './recipeClient.ts';

/** etcd's errors for these cases (client/v3/concurrency/election.go, session.go). */
export const ERR_ELECTION_NOT_LEADER = 'election: not leader';
export const ERR_ELECTION_NO_LEADER = 'election: no leader';
export const ERR_SESSION_EXPIRED = 'session expired';
export const ERR_ALREADY_CAMPAIGNING = 'election: already campaigning';

export type ElectionState = 'idle' | 'campaigning' | 'leader' | 'resigning' | 'ended';

/** What the owner of an election hears besides the trace events (cron uses it). */
export interface ElectionListener {
  onElected?(leaderKey: string, leaderRevision: Revision): void;
  /** Belief ended without a resign: the session was lost or the key found gone. */
  onLost?(): void;
}

export interface ElectionOptions {
  /** The election prefix (etcd's `pfx`); keys go under `prefix/`. */
  readonly prefix: string;
  /** Base name of the watches this election opens; must start with `_`. */
  readonly watchBaseName: string;
  /** Kind and name its events carry (default: `election` and the prefix). */
  readonly recipe?: RecipeKind;
  readonly eventName?: string;
  readonly listener?: ElectionListener;
}

/** One client's candidacy in one election (etcd concurrency.Election). */
export class Election {
  private current: ElectionState = 'idle';
  private readonly place: QueuePlace;
  private readonly campaignDone = new PendingDone();
  private readonly resignDone = new PendingDone();
  private value = '';
  // Invariant: set from the campaign txn on; leaderRevision is the createRevision of leaderKey (the fencing token).
  private key: string | undefined;
  private revision: Revision = 0;
  private readonly recipe: RecipeKind;
  private readonly eventName: string;

  constructor(private readonly client: RecipeClient, private readonly options: ElectionOptions) {
    this.recipe = options.recipe ?? 'election';
    this.eventName = options.eventName ?? options.prefix;
    this.place = new QueuePlace(client, options.prefix, options.watchBaseName);
  }

  get state(): ElectionState {
    return this.current;
  }

  /** True between `elected` and `resigned`/`lost`: what this client believes, not what the cluster knows. */
  get believesLeader(): boolean {
    return this.current === 'leader' || this.current === 'resigning';
  }

  /** This candidate's key (set once its campaign txn succeeded). */
  get leaderKey(): string | undefined {
    return this.key;
  }

  /** The createRevision of this candidate's key: its place in the queue, and the fencing token once leader. */
  get leaderRevision(): Revision {
    return this.revision;
  }

  /** The session's lease (once granted). */
  get lease(): LeaseId | undefined {
    return this.place.session?.lease;
  }

  /** Campaigns with a new session of `ttlMs`; `done` is called when elected, or with an error when that failed. */
  campaign(value: string, ttlMs: number, done: RecipeDone): void {
    if (this.current !== 'idle' && this.current !== 'ended') {
      this.schedule(() => done(ERR_ALREADY_CAMPAIGNING));
      return;
    }
    this.current = 'campaigning';
    this.value = value;
    this.key = undefined;
    this.revision = 0;
    this.campaignDone.set(done);
    this.place.begin(ttlMs, (lease) => this.putCandidateKey(lease), (reason) => this.sessionLost(reason));
  }

  /** Changes the leader's value, only while this candidate's key is still the one it created (etcd Proclaim). */
  proclaim(value: string, done: RecipeDone): void {
    const key = this.key;
    if (this.current !== 'leader' || key === undefined) {
      this.schedule(() => done(ERR_ELECTION_NOT_LEADER));
      return;
    }
    this.client.send(
      {
        do: 'txn',
        compare: [{ key, target: 'createRevision', op: '=', value: this.revision }],
        success: [{ put: { key, value, lease: this.place.session!.lease } }],
        failure: [],
      },
      (outcome) => {
        if (outcome.phase !== 'ok') return done(outcome.error);
        if (!outcome.result.succeeded) return done(ERR_ELECTION_NOT_LEADER);
        this.value = value;
        done();
      },
    );
  }

  /** Gives up leadership (etcd Resign) and closes the session. Not the leader: nothing to do. */
  resign(done: RecipeDone): void {
    if (this.current !== 'leader') {
      this.schedule(() => done());
      return;
    }
    this.current = 'resigning';
    this.resignDone.set(done);
    this.sendResign();
  }

  /** The current leader's key-value (etcd Leader), or ERR_ELECTION_NO_LEADER. */
  leader(onLeader: (leader: KeyValue | undefined, error?: string) => void): void {
    this.client.send({ do: 'get', key: queuePrefixOf(this.options.prefix), prefix: true }, (outcome) => {
      if (outcome.phase !== 'ok') return onLeader(undefined, outcome.error);
      const first = firstCreated(outcome.result.kvs);
      onLeader(first, first === undefined ? ERR_ELECTION_NO_LEADER : undefined);
    });
  }

  /** The client died: stop everything silently (its lease expires on the leader). */
  stop(): void {
    this.place.stop();
    this.current = 'ended';
  }

  private putCandidateKey(lease: LeaseId): void {
    if (this.current !== 'campaigning') return;
    const key = queueKeyOf(this.options.prefix, lease);
    this.client.send(
      {
        do: 'txn',
        compare: [{ key, target: 'createRevision', op: '=', value: 0 }],
        success: [{ put: { key, value: this.value, lease } }],
        failure: [{ get: { key } }],
      },
      this.place.guard((outcome) => {
        if (this.current !== 'campaigning') return;
        // Unknown or failed: the txn is idempotent (the else branch finds our key), so send it again; if the
        // lease is gone, the session reports it lost and the campaign ends there.
        if (outcome.phase !== 'ok') return this.retryLater(() => this.putCandidateKey(lease));
        const result = outcome.result;
        this.key = key;
        if (result.succeeded) {
          this.revision = result.header.revision;
        } else {
          const own = txnGetKvs(result, 0)[0]!;
          this.revision = own.createRevision;
          // etcd proclaims when the existing key holds another value; here the key is this session's own,
          // written by an earlier attempt of this same txn, so the value is ours already.
        }
        this.waitForPredecessors();
      }),
    );
  }

  private waitForPredecessors(): void {
    this.place.waitForPredecessors(this.revision, () => this.confirmOwnKey());
  }

  /** No predecessor is left; lead only if the own key still exists (etcd mutex.go's ErrSessionExpired check). */
  private confirmOwnKey(): void {
    if (this.current !== 'campaigning') return;
    const key = this.key!;
    this.client.send({ do: 'get', key }, this.place.guard((outcome) => {
      if (this.current !== 'campaigning') return;
      if (outcome.phase !== 'ok') return this.retryLater(() => this.confirmOwnKey());
      const own = outcome.result.kvs[0];
      if (own === undefined || own.createRevision !== this.revision) {
        this.place.session?.orphan();
        this.endCampaign('key deleted before election', ERR_SESSION_EXPIRED);
        return;
      }
      this.current = 'leader';
      this.emit('elected', { key, createRevision: this.revision, value: this.value, lease: this.place.session!.lease });
      this.options.listener?.onElected?.(key, this.revision);
      this.campaignDone.finish();
    }));
  }

  private sendResign(): void {
    const key = this.key!;
    this.client.send(
      {
        do: 'txn',
        compare: [{ key, target: 'createRevision', op: '=', value: this.revision }],
        success: [{ delete: { key } }],
        failure: [],
      },
      this.place.guard((outcome) => {
        if (this.current !== 'resigning') return;
        if (outcome.phase !== 'ok') return this.retryLater(() => this.sendResign());
        this.current = 'ended';
        this.emit('resigned', { key, createRevision: this.revision });
        this.place.session?.close();
        this.resignDone.finish();
      }),
    );
  }

  private sessionLost(reason: string): void {
    if (this.current === 'campaigning') {
      this.endCampaign(reason, ERR_SESSION_EXPIRED);
    } else if (this.current === 'leader' || this.current === 'resigning') {
      this.current = 'ended';
      this.emit('lost', { key: this.key, createRevision: this.revision, lease: this.place.session?.lease, reason });
      this.options.listener?.onLost?.();
      this.resignDone.finish(ERR_SESSION_EXPIRED);
    }
  }

  /** A campaign that will not lead: `lost`, and the campaign action ends with `error`. */
  private endCampaign(reason: string, error: string): void {
    this.place.abandon();
    this.current = 'ended';
    this.emit('lost', { key: this.key ?? null, createRevision: this.revision, lease: this.place.session?.lease ?? null, reason });
    this.options.listener?.onLost?.();
    this.campaignDone.finish(error);
  }

  private retryLater(step: () => void): void {
    this.place.retryLater(step);
  }

  private schedule(step: () => void): void {
    this.client.at(this.client.nowMs(), step);
  }

  private emit(event: 'elected' | 'resigned' | 'lost', detail: Record<string, unknown>): void {
    this.client.emit({ recipe: this.recipe, name: this.eventName, event, detail });
  }
}
