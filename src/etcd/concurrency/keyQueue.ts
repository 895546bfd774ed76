/**
 * The waiting queue elections and mutexes share (etcd client/v3/concurrency key.go): every contender owns one
 * key `prefix/<lease id in hex>` attached to its session's lease, the contenders are ordered by the key's
 * createRevision, the first one holds the election or the lock, and each other contender waits for the
 * deletion of its immediate predecessor only (waitDeletes), so one deletion wakes one waiter: no thundering
 * herd (the ZooKeeper lock recipe's rule, done with revisions instead of sequence nodes).
 */
import type { KeyValue, Revision } from '../../kv/index.ts';
import { RetryTimer } from './periodicTask.ts';
import { RecipeWatch } from './recipeWatch.ts';
import type { RecipeClient } from './recipeClient.ts';

/** A contender's key in a queue: the queue prefix, "/", and its session's lease id in hex (etcd election.go). */
export function queueKeyOf(prefix: string, lease: string): string {
  return `${queuePrefixOf(prefix)}${lease}`;
}

/** The prefix every contender key of a queue starts with: etcd appends "/" to the election or mutex name. */
export function queuePrefixOf(prefix: string): string {
  return prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/** The first contender (lowest createRevision): etcd's `Get(pfx, WithFirstCreate())`. Undefined when empty. */
export function firstCreated(kvs: readonly KeyValue[]): KeyValue | undefined {
  let first: KeyValue | undefined;
  for (const kv of kvs) if (first === undefined || kv.createRevision < first.createRevision) first = kv;
  return first;
}

/**
 * The immediate predecessor of a contender whose key was created at `myRevision`: the key with the largest
 * createRevision below it (etcd's `Get(pfx, WithLastCreate(), WithMaxCreateRev(myRevision - 1))`). Undefined
 * when the contender is first.
 */
export function predecessorOf(kvs: readonly KeyValue[], myRevision: Revision): KeyValue | undefined {
  let best: KeyValue | undefined;
  for (const kv of kvs) {
    if (kv.createRevision >= myRevision) continue;
    if (best === undefined || kv.createRevision > best.createRevision) best = kv;
  }
  return best;
}

/**
 * One waitDeletes (etcd key.go): read the queue, and while some contender precedes `myRevision`, watch the
 * immediate predecessor until it is deleted, then read again (a deleted predecessor may itself have had one).
 *
 * etcd's Get carries WithLastCreate and WithMaxCreateRev and the server picks the predecessor. The contract's
 * `get` has no sort or createRevision filter, so this reads the prefix and picks the predecessor itself; the
 * answer is the same, and what matters for the herd, one watch per waiter on its predecessor alone, is kept.
 *
 * A failed read or watch is retried after RECIPE_RETRY_MS (the queue may have changed meanwhile: the loop
 * starts over with a read). `stop()` abandons the wait and cancels its watch.
 */
export class PredecessorWait {
  private readonly retry: RetryTimer;
  private readonly watch: RecipeWatch;
  private stopped = false;

  /**
   * @param watchBaseName the wait's watches are named `${watchBaseName}.${n}`; it must start with `_`.
   * @param onClear called once, when no contender precedes `myRevision` any more.
   */
  constructor(
    private readonly client: RecipeClient,
    private readonly prefix: string,
    private readonly myRevision: Revision,
    watchBaseName: string,
    private readonly onClear: () => void,
  ) {
    this.retry = new RetryTimer(client);
    this.watch = new RecipeWatch(client, watchBaseName, () => this.stopped, () => this.retryLater());
  }

  start(): void {
    this.readQueue();
  }

  /** Abandons the wait: no more requests, no callback. */
  stop(): void {
    this.stopped = true;
    this.retry.cancel();
    this.watch.cancel();
  }

  private readQueue(): void {
    if (this.stopped) return;
    this.client.send({ do: 'get', key: this.prefix, prefix: true }, (outcome) => {
      if (this.stopped) return;
      if (outcome.phase !== 'ok') return this.retryLater();
      const predecessor = predecessorOf(outcome.result.kvs, this.myRevision);
      if (predecessor === undefined) {
        this.stopped = true;
        this.onClear();
        return;
      }
      this.watchDeletion(predecessor.key, outcome.result.header.revision);
    });
  }

  /** etcd waitDelete: watch the key from the read's revision, so a deletion right after the read is not missed. */
  private watchDeletion(key: string, fromRevision: Revision): void {
    this.watch.open({ key, startRevision: fromRevision }, (events) => {
      if (!events.some((event) => event.type === 'DELETE')) return;
      this.watch.cancel();
      this.readQueue();
    });
  }

  private retryLater(): void {
    this.retry.later(() => this.readQueue());
  }
}
