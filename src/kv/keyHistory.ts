/**
 * Every recorded version of one key, oldest first (etcd's keyIndex, which keeps revisions per generation).
 * A delete records a tombstone; the next put starts a new generation (createRevision = its revision,
 * version 1). Reading at a past revision is a binary search for the last version at or below it.
 */
import { isTombstone, type KeyValue, type Revision } from './keyValue.ts';

export class KeyHistory {
  // Invariant: versions[i].modRevision strictly ascending (a key changes at most once per revision: a txn may
  // not write one key twice). subs[i] is the position of that change within its revision's txn.
  private readonly versions: KeyValue[] = [];
  private readonly subs: number[] = [];

  /** Whether nothing is recorded any more (compaction removed everything): the key can leave the index. */
  get isEmpty(): boolean {
    return this.versions.length === 0;
  }

  /** The live version now, or null if the key is deleted or was never written. */
  latest(): KeyValue | null {
    const last = this.versions[this.versions.length - 1];
    return last === undefined || isTombstone(last) ? null : last;
  }

  /** The live version as of `revision`, or null if the key did not exist then (or that part was compacted). */
  at(revision: Revision): KeyValue | null {
    const i = this.lastIndexAtOrBelow(revision);
    if (i < 0) return null;
    const kv = this.versions[i];
    return isTombstone(kv) ? null : kv;
  }

  /** Records a put (a live version) or a delete (a tombstone) made at `kv.modRevision`, `sub`-th in its txn. */
  record(kv: KeyValue, sub: number): void {
    const last = this.versions[this.versions.length - 1];
    if (last !== undefined && last.modRevision >= kv.modRevision) {
      throw new Error(`KeyHistory.record: revision ${kv.modRevision} is not above the last one, ${last.modRevision}`);
    }
    this.versions.push(kv);
    this.subs.push(sub);
  }

  /**
   * Visits the changes made at revisions >= `fromRevision`, oldest first, with the version each replaced
   * (null if the key did not exist before, or the previous version is compacted away).
   */
  forEachChangeFrom(fromRevision: Revision, visit: (kv: KeyValue, sub: number, prevKv: KeyValue | null) => void): void {
    let i = this.lastIndexAtOrBelow(fromRevision - 1) + 1;
    for (; i < this.versions.length; i++) {
      const prev = i > 0 ? this.versions[i - 1] : null;
      visit(this.versions[i], this.subs[i], prev === null || isTombstone(prev) ? null : prev);
    }
  }

  /**
   * Forgets what no read at or above `revision` can see (etcd keyIndex.compact): every version below the last
   * one at or below `revision`, and that one too if it is a tombstone from before `revision`. A tombstone made
   * at exactly `revision` is kept so a watch starting at the compacted revision still sees that delete.
   */
  compact(revision: Revision): void {
    let keepFrom = this.lastIndexAtOrBelow(revision);
    if (keepFrom < 0) return;
    const boundary = this.versions[keepFrom];
    if (isTombstone(boundary) && boundary.modRevision < revision) keepFrom += 1;
    this.versions.splice(0, keepFrom);
    this.subs.splice(0, keepFrom);
  }

  /** Position of the last version with modRevision <= revision, or -1. */
  private lastIndexAtOrBelow(revision: Revision): number {
    let lo = 0;
    let hi = this.versions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.versions[mid].modRevision <= revision) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** Every recorded version with its sub, oldest first: for digests and tests. */
  entries(): readonly { readonly kv: KeyValue; readonly sub: number }[] {
    return this.versions.map((kv, i) => ({ kv, sub: this.subs[i] }));
  }
}
