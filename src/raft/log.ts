/**
 * The replicated log of one node (Raft §5.3), kept in memory as an array indexed by `index - 1`, plus the
 * bookkeeping the Ready batch needs: which suffix was rewritten since the host last persisted, and how far
 * the log is committed and applied.
 *
 * There is no compaction (no snapshots yet), so the array holds every entry from index 1.
 */
import { InvariantError } from './assert.ts';
import type { Entry, LogIndex, Term } from './types.ts';

/** Sentinel for "nothing written since the last Ready". */
const CLEAN = Number.POSITIVE_INFINITY;

export class RaftLog {
  /** Invariant: entries[i].index === i + 1, and terms never decrease along the array (Raft §5.3). */
  private readonly entries: Entry[];
  /**
   * Highest index known committed. Invariant: commit <= lastIndex; never decreases (§5.4), except when an unsafe
   * switch lets a committed entry be truncated. Read it freely; move it only with commitTo(), which checks.
   */
  commit: LogIndex;
  /**
   * Lowest index written (appended or truncated) since the host last took the log write from a Ready,
   * or CLEAN. Everything from here to the end of the log must be persisted before dependent messages leave.
   */
  private dirtyFrom: LogIndex = CLEAN;

  /**
   * Restores a log from persisted entries (copied, so the host's disk model is never aliased).
   * `unsafeMode`: an unsafe switch is on, so a committed entry may legitimately (for the demonstration) be
   * overwritten; the log then lowers its commit index instead of throwing, and the damage is left visible.
   */
  constructor(entries: readonly Entry[] = [], commit: LogIndex = 0, readonly unsafeMode = false) {
    this.entries = entries.slice();
    this.commit = commit;
    if (commit < 0 || commit > this.entries.length) throw new InvariantError(`log: commit ${commit} is outside [0, ${this.entries.length}]`);
  }

  /** Raises the commit index to `index`. Invariant kept: commit <= lastIndex, and it never decreases (§5.4). */
  commitTo(index: LogIndex): void {
    if (index > this.entries.length || index < this.commit) {
      throw new InvariantError(`log.commitTo: ${index} is outside [commit ${this.commit}, lastIndex ${this.entries.length}]`);
    }
    this.commit = index;
  }

  get lastIndex(): LogIndex {
    return this.entries.length;
  }

  get lastTerm(): Term {
    const n = this.entries.length;
    return n === 0 ? 0 : this.entries[n - 1].term;
  }

  /** The term of the entry at `index`: 0 for index 0 (the empty prefix), undefined beyond the end. */
  termAt(index: LogIndex): Term | undefined {
    if (index === 0) return 0;
    if (index < 0 || index > this.entries.length) return undefined;
    return this.entries[index - 1].term;
  }

  entryAt(index: LogIndex): Entry | undefined {
    return index >= 1 && index <= this.entries.length ? this.entries[index - 1] : undefined;
  }

  /** The consistency check of AppendEntries (§5.3): do we hold an entry at `index` with `term`? */
  matchTerm(index: LogIndex, term: Term): boolean {
    return this.termAt(index) === term;
  }

  /**
   * The election restriction (§5.4.1): is a log ending at (lastTerm, lastIndex) at least as up to date as
   * ours? Compare last terms first; with equal last terms, the longer log wins.
   */
  isUpToDate(lastIndex: LogIndex, lastTerm: Term): boolean {
    const myTerm = this.lastTerm;
    return lastTerm > myTerm || (lastTerm === myTerm && lastIndex >= this.entries.length);
  }

  /** Entries [from, to] inclusive, clipped to the log. Allocates a new array (it goes into a message). */
  slice(from: LogIndex, to: LogIndex): Entry[] {
    const end = Math.min(to, this.entries.length);
    return from > end ? [] : this.entries.slice(from - 1, end);
  }

  /**
   * The position in `incoming` of the first entry we do not already hold (absent, or same index with another
   * term), or undefined when we hold them all. `incoming` must be contiguous.
   */
  findConflict(incoming: readonly Entry[]): number | undefined {
    for (let i = 0; i < incoming.length; i++) {
      const e = incoming[i];
      if (this.termAt(e.index) !== e.term) return i;
    }
    return undefined;
  }

  /**
   * The first index of the run of entries with the same term as the entry at `index`: the "fast backup"
   * hint a follower returns with a rejection (§5.3, end). Never scans below the commit index, which the
   * leader is known to share.
   */
  firstIndexOfTerm(index: LogIndex): LogIndex {
    const term = this.termAt(index);
    let i = index;
    while (i - 1 > this.commit && this.termAt(i - 1) === term) i--;
    return i;
  }

  /** The last index holding `term`, or undefined. Used by the leader to interpret a backup hint. */
  lastIndexOfTerm(term: Term, atOrBelow: LogIndex): LogIndex | undefined {
    for (let i = Math.min(atOrBelow, this.entries.length); i >= 1; i--) {
      const t = this.entries[i - 1].term;
      if (t === term) return i;
      if (t < term) return undefined;
    }
    return undefined;
  }

  /** Appends one entry at lastIndex + 1. Invariant kept: entry.index === lastIndex + 1. */
  push(entry: Entry): void {
    const n = this.entries.length;
    if (entry.index !== n + 1) {
      throw new InvariantError(`log.push: entry.index ${entry.index} is not lastIndex + 1 (${n + 1})`);
    }
    // Terms never decrease along the log (§5.3); only the unsafe noTruncate variant breaks this, on purpose.
    if (n > 0 && entry.term < this.entries[n - 1].term && !this.unsafeMode) {
      throw new InvariantError(`log.push: entry ${entry.index} has term ${entry.term}, below the previous entry's ${this.entries[n - 1].term}`);
    }
    if (entry.index < this.dirtyFrom) this.dirtyFrom = entry.index;
    this.entries.push(entry);
  }

  /**
   * Discards every entry at index >= from (§5.3: "delete the existing entry and all that follow it").
   * A committed entry can never conflict with a legitimate leader, so truncating one is a bug.
   */
  truncateFrom(from: LogIndex): void {
    if (from <= this.commit) {
      if (!this.unsafeMode) throw new InvariantError(`log.truncateFrom: index ${from} is committed (commit ${this.commit})`);
      this.commit = from - 1;
    }
    if (from > this.entries.length) return;
    this.entries.length = from - 1;
    if (from < this.dirtyFrom) this.dirtyFrom = from;
  }

  /** True when a log write is waiting to be persisted. O(1). */
  hasUnpersisted(): boolean {
    return this.dirtyFrom !== CLEAN;
  }

  /**
   * Takes the pending log write: truncate at `from`, then write `entries` (which start at `from`, possibly
   * empty when only a truncation happened). Marks the log clean.
   */
  takeUnpersisted(): { from: LogIndex; entries: Entry[] } | undefined {
    if (this.dirtyFrom === CLEAN) return undefined;
    const from = this.dirtyFrom;
    this.dirtyFrom = CLEAN;
    return { from, entries: this.entries.slice(from - 1) };
  }
}
