/**
 * The discrete-event queue: a binary min-heap ordered by (time, seq). `seq` is the insertion counter, so events
 * scheduled for the same virtual millisecond run in the order they were scheduled: the tie-break that makes
 * a run deterministic without relying on any sort's stability.
 */

/** Anything the queue can hold: it only needs to know when. */
export interface Scheduled {
  /** Virtual time in ms. */
  readonly time: number;
  /** Assigned by the queue on push. */
  seq: number;
}

export class EventQueue<T extends Scheduled> {
  private readonly heap: T[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): number {
    return this.heap.length === 0 ? Infinity : this.heap[0]!.time;
  }

  push(item: T): void {
    item.seq = this.nextSeq++;
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = item;
  }

  /**
   * The events with time <= `until`, in the order pop would return them, without removing them (the lookahead
   * of World.upcomingSteps). Walks only the part of the heap at or below `until`: O(k log k) for k events.
   */
  itemsUpTo(until: number): T[] {
    const heap = this.heap;
    const out: T[] = [];
    const stack: number[] = heap.length > 0 ? [0] : [];
    while (stack.length > 0) {
      const i = stack.pop()!;
      const item = heap[i]!;
      // A heap node is never earlier than its parent, so a subtree past `until` holds nothing wanted.
      if (item.time > until) continue;
      out.push(item);
      const left = 2 * i + 1;
      if (left < heap.length) stack.push(left);
      if (left + 1 < heap.length) stack.push(left + 1);
    }
    return out.sort((x, y) => x.time - y.time || x.seq - y.seq);
  }

  /** Removes and returns the earliest event (smallest time, then smallest seq). */
  pop(): T | undefined {
    const heap = this.heap;
    if (heap.length === 0) return undefined;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      const n = heap.length;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= n) break;
        const right = left + 1;
        const child = right < n && before(heap[right]!, heap[left]!) ? right : left;
        if (!before(heap[child]!, last)) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}

function before(x: Scheduled, y: Scheduled): boolean {
  return x.time < y.time || (x.time === y.time && x.seq < y.seq);
}
