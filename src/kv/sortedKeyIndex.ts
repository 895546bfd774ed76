/**
 * Every key the store holds any version of, sorted by UTF-8 bytes: what a range scan walks (etcd's treeIndex,
 * a B-tree there). A sorted array with binary search: finding a key is O(log n); adding a new key moves the
 * keys above it (a memmove, fast at the sizes a simulated cluster holds); keys leave only at compaction.
 */
import { compareKeys } from './keyOrder.ts';

export class SortedKeyIndex {
  // Invariant: strictly ascending by compareKeys, no duplicates.
  private keys: string[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** The position of the first key >= `key`. */
  lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.keys[mid], key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Adds a key not yet present (the caller knows, from its own map, that it is new). */
  insert(key: string): void {
    const at = this.lowerBound(key);
    if (this.keys[at] === key) throw new Error(`SortedKeyIndex.insert: key ${JSON.stringify(key)} is already present`);
    this.keys.splice(at, 0, key);
  }

  /** Keeps only the keys `keep` accepts, in one pass (compaction drops many keys at once). */
  retain(keep: (key: string) => boolean): void {
    this.keys = this.keys.filter(keep);
  }

  /** The key at a position, or undefined past the end. */
  at(position: number): string | undefined {
    return this.keys[position];
  }
}
