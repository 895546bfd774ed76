/**
 * A bounded, append-only history: keeps the newest `capacity` items and forgets the oldest.
 * This is what keeps the visualizer's memory flat during an endless run (see docs/ui.md, "Memory bound"):
 * the timeline and the narration hold at most `capacity` items each, whatever the run's length.
 */
export class Ring<T> {
  private readonly items: T[] = [];
  /** Index of the oldest item in `items` once the buffer has wrapped. */
  private head = 0;
  /** How many items were ever pushed; `total - size` were forgotten. */
  private pushed = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity <= 0) throw new Error(`capacity must be a positive integer, got ${capacity}`);
  }

  push(item: T): void {
    if (this.items.length < this.capacity) this.items.push(item);
    else {
      this.items[this.head] = item;
      this.head = (this.head + 1) % this.capacity;
    }
    this.pushed++;
  }

  get size(): number {
    return this.items.length;
  }

  /** Number of items ever pushed, forgotten ones included. */
  get total(): number {
    return this.pushed;
  }

  /** The i-th item held, oldest first (0 <= i < size). */
  at(i: number): T {
    return this.items[(this.head + i) % this.items.length];
  }

  /** The held items, oldest first (a new array). */
  toArray(): T[] {
    return this.items.length < this.capacity ? this.items.slice() : [...this.items.slice(this.head), ...this.items.slice(0, this.head)];
  }

  clear(): void {
    this.items.length = 0;
    this.head = 0;
    this.pushed = 0;
  }
}
