/**
 * The appends in flight to one follower (etcd's tracker.Inflights): a fixed-size ring of the last index each
 * unacknowledged MsgApp carried. It bounds how far a leader runs ahead of a follower in replicate state, so a
 * slow or partitioned follower cannot make the leader queue an unbounded number of messages.
 */
import type { LogIndex } from './types.ts';

export class Inflights {
  /** Ring storage; allocated once (no per-message allocation). */
  private readonly ring: Float64Array;
  /** Index in `ring` of the oldest in-flight append. */
  private start = 0;
  /** Invariant: 0 <= count <= capacity. */
  private count = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new Error(`maxInflight must be >= 1, got ${capacity}`);
    this.ring = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  full(): boolean {
    return this.count === this.capacity;
  }

  /** Records an append whose last entry is `lastIndex`. Indices must be added in increasing order. */
  add(lastIndex: LogIndex): void {
    if (this.count === this.capacity) throw new Error('inflights.add: window is full');
    let slot = this.start + this.count;
    if (slot >= this.capacity) slot -= this.capacity;
    this.ring[slot] = lastIndex;
    this.count++;
  }

  /** Frees every append whose last index is <= `index` (the follower acknowledged up to `index`). */
  freeLE(index: LogIndex): void {
    while (this.count > 0 && this.ring[this.start] <= index) {
      this.start++;
      if (this.start === this.capacity) this.start = 0;
      this.count--;
    }
  }

  /** Frees the oldest append (a heartbeat reply shows the follower is alive though a reply was lost). */
  freeFirstOne(): void {
    if (this.count === 0) return;
    this.start++;
    if (this.start === this.capacity) this.start = 0;
    this.count--;
  }

  reset(): void {
    this.start = 0;
    this.count = 0;
  }
}
