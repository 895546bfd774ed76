/**
 * What a recipe (session, election, mutex, registry, cron: etcd's client/v3/concurrency and naming packages)
 * needs from the client it runs in, and nothing more. The recipes are event-driven state machines over this
 * interface: they send contract-shaped operations and are called back with the outcome, ask to be called back
 * at a virtual time, and emit `recipe` trace events. No promises, no wall clock, no randomness: a recipe's
 * behaviour is a pure function of the callbacks it receives, so a run stays deterministic.
 *
 * Two implementations: the simulated cluster's clients (clusterAdapter.ts) and the tests' in-memory etcd.
 *
 * Contract of an implementation:
 * - Every `send` is traced as one of the client's operations (docs/clients.md, "The contract": "A recipe's own requests ... are
 *   traced as that client's operations") and ends with exactly one callback, unless the client dies first.
 * - After the client dies, no callback of any kind is ever called again (a killed client "does nothing more").
 * - Callbacks are never called synchronously from inside `send`, `watch` or `at`: a recipe's state is always
 *   consistent when a callback runs.
 */
import type {
  Compare, GetResult, GrantResult, HeaderResult, KeyValue, LeaseId, PutResult, Revision, TxnOp, TxnResult, WatchEvent,
} from '../../kv/index.ts';

/** A linearizable read of one key or a prefix (the contract's `get`, as a recipe uses it). */
export interface RecipeGet {
  readonly do: 'get';
  readonly key: string;
  readonly prefix?: boolean;
}

/** A put; `lease` is a real lease id (a recipe knows ids, not a scenario's lease names). */
export interface RecipePut {
  readonly do: 'put';
  readonly key: string;
  readonly value: string;
  readonly lease?: LeaseId;
}

export interface RecipeDelete {
  readonly do: 'delete';
  readonly key: string;
}

/** A txn; lease fields in its ops and compares are real lease ids. */
export interface RecipeTxn {
  readonly do: 'txn';
  readonly compare: readonly Compare[];
  readonly success: readonly TxnOp[];
  readonly failure: readonly TxnOp[];
}

/** A lease grant; the cluster chooses the id. */
export interface RecipeGrant {
  readonly do: 'grant';
  readonly ttlMs: number;
}

/** ONE keepalive request for a lease (the session schedules them, every TTL/3, as etcd's lease client does). */
export interface RecipeKeepalive {
  readonly do: 'keepalive';
  readonly lease: LeaseId;
}

export interface RecipeRevoke {
  readonly do: 'revoke';
  readonly lease: LeaseId;
}

/** Every request a recipe sends besides watches. */
export type RecipeRequest = RecipeGet | RecipePut | RecipeDelete | RecipeTxn | RecipeGrant | RecipeKeepalive | RecipeRevoke;

/** The ok result of each request kind (the contract's result shapes). */
export interface RecipeResults {
  get: GetResult;
  put: PutResult;
  delete: { readonly header: { readonly revision: Revision }; readonly deleted: number };
  txn: TxnResult;
  grant: GrantResult;
  keepalive: { readonly header: { readonly revision: Revision }; readonly ttlMs: number };
  revoke: HeaderResult;
}

/**
 * How an operation ended: `ok` with its result, `fail` (it certainly did not happen) or `info` (it may have
 * happened: timed out, connection lost after sending). Errors carry etcd's wording.
 */
export type RecipeOutcome<R> =
  | { readonly phase: 'ok'; readonly result: R }
  | { readonly phase: 'fail'; readonly error: string }
  | { readonly phase: 'info'; readonly error: string };

/** A watch a recipe opens for itself; its name must start with `_` (docs/clients.md). */
export interface RecipeWatch {
  readonly watch: string;
  readonly key: string;
  readonly prefix?: boolean;
  /** Inclusive; 0 = from the next revision. */
  readonly startRevision?: Revision;
}

/** Where a watch's events go once the watch is created. */
export interface WatchHandlers {
  /** Events of one delivery, in revision order (no gaps, no duplicates). */
  onEvents(events: readonly WatchEvent[]): void;
  /** The cluster cancelled the watch (e.g. its start revision was compacted); no more events follow. */
  onCancelled(error: string): void;
}

/**
 * How long a recipe waits before retrying a step whose request failed or timed out, in virtual ms. Every step a
 * recipe retries is idempotent (docs/recipes.md), and the wait keeps a recipe from flooding a leaderless node.
 */
export const RECIPE_RETRY_MS = 250;

/** Cancels a pending timer; calling it after the timer fired, or twice, does nothing. */
export type CancelTimer = () => void;

/** A `recipe` trace event as a recipe emits it; the client adds `t`, `type` and `client`. */
export interface RecipeEventBody {
  /** Which recipe: election, mutex, registry, cron or heartbeat. */
  readonly recipe: RecipeKind;
  /** The election or mutex prefix, the service prefix, or the cron job's name. */
  readonly name: string;
  readonly event: RecipeEventName;
  readonly detail: Readonly<Record<string, unknown>>;
}

export type RecipeKind = 'election' | 'mutex' | 'registry' | 'cron' | 'heartbeat';

/** The contract's recipe events (docs/trace-format.md, "Client, watch and lease events"). */
export type RecipeEventName =
  | 'elected' | 'resigned' | 'lost' | 'observed' | 'locked' | 'unlocked' | 'registered' | 'discovered' | 'run' | 'refused';

/** The client a recipe runs in. */
export interface RecipeClient {
  /** The client's name in the scenario (c1, ...). */
  readonly name: string;
  /** Virtual time, in ms. */
  nowMs(): number;
  /** Sends one operation; `onOutcome` is called once with how it ended (never if the client dies first). */
  send<K extends RecipeRequest['do']>(
    request: Extract<RecipeRequest, { do: K }>,
    onOutcome: (outcome: RecipeOutcome<RecipeResults[K]>) => void,
  ): void;
  /**
   * Opens a watch (traced as the client's `watch` operation; its events as `watch` events). `onOutcome` reports
   * the watch operation itself (ok with header.revision); events, including history replayed from
   * `startRevision`, go to `handlers` only after an ok outcome.
   */
  watch(request: RecipeWatch, handlers: WatchHandlers, onOutcome: (outcome: RecipeOutcome<HeaderResult>) => void): void;
  /** Cancels a watch this client opened (traced as `cancelWatch`); no events reach its handlers afterwards. */
  cancelWatch(watch: string): void;
  /** Calls `callback` at virtual time `atMs` (or at once, asynchronously, if it is not in the future). */
  at(atMs: number, callback: () => void): CancelTimer;
  /** Writes a `recipe` trace event for this client at the current time. */
  emit(event: RecipeEventBody): void;
}

/**
 * How a recipe action (campaign, lock, register, ...) ended, for the client's action queue: undefined when it
 * succeeded, else the error. A client runs its actions one at a time; a recipe action that blocks (campaign,
 * lock) calls this when it stops blocking.
 */
export type RecipeDone = (error?: string) => void;

/** The kvs of a txn result's `index`-th response, which must be a get (throws otherwise: a recipe bug). */
export function txnGetKvs(result: TxnResult, index: number): readonly KeyValue[] {
  const response = result.responses[index];
  if (response === undefined || !('get' in response)) {
    throw new Error(`txn response ${index} is not a get: ${JSON.stringify(response)}`);
  }
  return response.get.kvs;
}
