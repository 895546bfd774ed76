/**
 * The multi-version store (etcd server/storage/mvcc): every key's versions by revision, a sorted key index for
 * ranges, one store revision that rises once per write transaction that changes something, and compaction.
 * It knows nothing of leases' lives, clients or Raft: the state machine (stateMachine.ts) drives it.
 */
import { ERR_COMPACTED, ERR_FUTURE_REV } from './errors.ts';
import { KeyHistory } from './keyHistory.ts';
import { compareKeys, rangeContains, rangeEndsBefore, rangeStart, type KeyRange } from './keyOrder.ts';
import { tombstoneOf, type KeyValue, type LeaseId, type Revision, type StoreEvent } from './keyValue.ts';
import { SortedKeyIndex } from './sortedKeyIndex.ts';

/** How to read a range. */
export interface RangeOptions {
  /** 0 or absent = the current revision. */
  readonly revision?: Revision;
  /** 0 or absent = no limit. */
  readonly limit?: number;
  readonly countOnly?: boolean;
}

export interface RangeRead {
  readonly kvs: readonly KeyValue[];
  readonly count: number;
}

export class MvccStore {
  // Invariant: compactRevision <= revision. revision starts at 1, as etcd's store does (the first write is 2).
  private currentRevision: Revision = 1;
  // 0 = never compacted. Reads below it fail with ERR_COMPACTED.
  private compactedRevision: Revision = 0;
  // Invariant: a key is in `index` exactly when it has a history with at least one recorded version.
  private readonly histories = new Map<string, KeyHistory>();
  private readonly index = new SortedKeyIndex();
  // Invariant: at most one write transaction is open at a time.
  private openWrite: WriteTxn | null = null;
  // What a WriteTxn may do to the store, and nothing else may: kept off the public surface.
  private readonly writeAccess: WriteAccess = {
    historyFor: (key) => this.historyFor(key),
    liveKeys: (range) => this.liveKeys(range),
    end: (txn, changed) => this.endWrite(txn, changed),
  };

  /** The store's revision: the revision of the last write that changed something (1 when empty). */
  get revision(): Revision {
    return this.currentRevision;
  }

  /** The last compaction's revision, 0 if never compacted. */
  get compactRevision(): Revision {
    return this.compactedRevision;
  }

  /** Why a read at `revision` (0 = current) is impossible, or undefined if it is possible. */
  checkReadRevision(revision: Revision): string | undefined {
    if (revision > this.currentRevision) return ERR_FUTURE_REV;
    if (revision > 0 && revision < this.compactedRevision) return ERR_COMPACTED;
    return undefined;
  }

  /** The live version of one key now, or null. */
  get(key: string): KeyValue | null {
    return this.histories.get(key)?.latest() ?? null;
  }

  /**
   * Reads a range in key order. The caller checks the revision first (checkReadRevision); an impossible one
   * throws here, because a silently wrong answer is worse than a crash.
   */
  range(range: KeyRange, options: RangeOptions = {}): RangeRead {
    const revision = options.revision ?? 0;
    const problem = this.checkReadRevision(revision);
    if (problem !== undefined) throw new Error(`MvccStore.range: revision ${revision}: ${problem}`);
    const limit = options.limit ?? 0;
    const kvs: KeyValue[] = [];
    let count = 0;
    this.scan(range, (history) => {
      const kv = revision === 0 ? history.latest() : history.at(revision);
      if (kv === null) return;
      count++;
      if (!options.countOnly && (limit <= 0 || kvs.length < limit)) kvs.push(kv);
    });
    return { kvs, count };
  }

  /** Opens the write transaction whose changes all get revision `revision + 1` (etcd's storeTxnWrite). */
  beginWrite(): WriteTxn {
    if (this.openWrite !== null) throw new Error('MvccStore.beginWrite: a write transaction is already open');
    this.openWrite = new WriteTxn(this.writeAccess, this.currentRevision + 1);
    return this.openWrite;
  }

  /**
   * Forgets history below `revision` (etcd's Compact). Fails with ERR_COMPACTED when the revision is already
   * compacted and ERR_FUTURE_REV when the store has not reached it. Does not change the store's revision.
   */
  compact(revision: Revision): string | undefined {
    if (revision <= this.compactedRevision) return ERR_COMPACTED;
    if (revision > this.currentRevision) return ERR_FUTURE_REV;
    this.compactedRevision = revision;
    for (const [key, history] of this.histories) {
      history.compact(revision);
      if (history.isEmpty) this.histories.delete(key);
    }
    this.index.retain((key) => this.histories.has(key));
    return undefined;
  }

  /**
   * Every change to keys in `range` at revisions >= `fromRevision`, in revision order and, within a revision,
   * in the order its txn made them: what a watch starting in the past replays. The caller checks that
   * `fromRevision` is not compacted.
   */
  changesSince(range: KeyRange, fromRevision: Revision): StoreEvent[] {
    const found: { event: StoreEvent; sub: number }[] = [];
    this.scan(range, (history) => {
      history.forEachChangeFrom(fromRevision, (kv, sub, prevKv) => {
        const type = kv.version === 0 ? 'DELETE' : 'PUT';
        found.push({ event: { type, kv, prevKv }, sub });
      });
    });
    found.sort((a, b) => a.event.kv.modRevision - b.event.kv.modRevision || a.sub - b.sub);
    return found.map((f) => f.event);
  }

  /** Visits every key's history in key order: for digests and tests. */
  forEachHistory(visit: (key: string, history: KeyHistory) => void): void {
    for (let i = 0; i < this.index.size; i++) {
      const key = this.index.at(i)!;
      visit(key, this.histories.get(key)!);
    }
  }

  /** Visits the histories of the keys in `range`, in key order. */
  private scan(range: KeyRange, visit: (history: KeyHistory, key: string) => void): void {
    if (range.kind === 'single') {
      const history = this.histories.get(range.key);
      if (history !== undefined) visit(history, range.key);
      return;
    }
    for (let i = this.index.lowerBound(rangeStart(range)); i < this.index.size; i++) {
      const key = this.index.at(i)!;
      if (rangeEndsBefore(range, key)) break;
      if (rangeContains(range, key)) visit(this.histories.get(key)!, key);
    }
  }

  /** The history of `key`, created (and indexed) if new. */
  private historyFor(key: string): KeyHistory {
    let history = this.histories.get(key);
    if (history === undefined) {
      history = new KeyHistory();
      this.histories.set(key, history);
      this.index.insert(key);
    }
    return history;
  }

  /** The live keys of a range, in key order. */
  private liveKeys(range: KeyRange): string[] {
    const keys: string[] = [];
    this.scan(range, (history, key) => {
      if (history.latest() !== null) keys.push(key);
    });
    return keys;
  }

  /** Closes the open transaction, moving the revision up iff it changed something. */
  private endWrite(txn: WriteTxn, changed: boolean): void {
    if (this.openWrite !== txn) throw new Error('MvccStore.endWrite: not the open transaction');
    this.openWrite = null;
    if (changed) this.currentRevision = txn.revision;
  }
}

/** The store's internals a write transaction uses. */
interface WriteAccess {
  historyFor(key: string): KeyHistory;
  liveKeys(range: KeyRange): string[];
  end(txn: WriteTxn, changed: boolean): void;
}

/**
 * One write transaction: all its changes share one revision and are numbered in order (etcd's sub revision),
 * and reads through the store inside it see them. A key may change at most once: the txn layer rejects a
 * request that would write a key twice before anything is written.
 */
export class WriteTxn {
  private readonly events: StoreEvent[] = [];
  private ended = false;

  constructor(
    private readonly store: WriteAccess,
    /** The revision every change of this transaction gets. */
    readonly revision: Revision,
  ) {}

  /** Writes a new version of `key`; returns the version it replaced, or null. */
  put(key: string, value: string, lease: LeaseId): KeyValue | null {
    this.assertOpen();
    const history = this.store.historyFor(key);
    const prevKv = history.latest();
    const kv: KeyValue = {
      key,
      value,
      createRevision: prevKv === null ? this.revision : prevKv.createRevision,
      modRevision: this.revision,
      version: prevKv === null ? 1 : prevKv.version + 1,
      lease,
    };
    history.record(kv, this.events.length);
    this.events.push({ type: 'PUT', kv, prevKv });
    return prevKv;
  }

  /** Deletes every live key of the range, in key order; returns the deleted versions. */
  deleteRange(range: KeyRange): KeyValue[] {
    this.assertOpen();
    const deleted: KeyValue[] = [];
    for (const key of this.store.liveKeys(range)) {
      const history = this.store.historyFor(key);
      const prevKv = history.latest()!;
      const tombstone = tombstoneOf(key, this.revision);
      history.record(tombstone, this.events.length);
      this.events.push({ type: 'DELETE', kv: tombstone, prevKv });
      deleted.push(prevKv);
    }
    return deleted;
  }

  /** Deletes the given keys in key order (etcd sorts a revoked lease's keys the same way); absent ones are skipped. */
  deleteKeys(keys: readonly string[]): KeyValue[] {
    const deleted: KeyValue[] = [];
    for (const key of [...keys].sort(compareKeys)) deleted.push(...this.deleteRange({ kind: 'single', key }));
    return deleted;
  }

  /** Closes the transaction; returns its changes in order (empty if it changed nothing). */
  end(): readonly StoreEvent[] {
    this.assertOpen();
    this.ended = true;
    this.store.end(this, this.events.length > 0);
    return this.events;
  }

  private assertOpen(): void {
    if (this.ended) throw new Error('WriteTxn: already ended');
  }
}
