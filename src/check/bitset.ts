import { mix32 } from './hashing.ts';

/**
 * The set of operations linearized so far on the current search path, as a `Uint32Array` bitset with an
 * incrementally maintained Zobrist-style hash (each operation id has a fixed pseudo-random 32-bit code; the set's
 * hash is the XOR of its members' codes), so setting or clearing a bit and re-hashing cost O(1).
 */
export class Bitset {
  readonly words: Uint32Array;
  /** Invariant: the XOR of `codeOf(i)` over every member i. */
  hash = 0;

  constructor(size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32));
  }

  /** Flips membership of `id` (callers flip only to add an absent id or remove a present one). */
  toggle(id: number): void {
    this.words[id >>> 5] ^= 1 << (id & 31);
    this.hash = (this.hash ^ codeOf(id)) >>> 0;
  }

  has(id: number): boolean {
    return (this.words[id >>> 5] & (1 << (id & 31))) !== 0;
  }

  /** A frozen copy of the members, for the cache. */
  snapshot(): Uint32Array {
    return this.words.slice();
  }

  /** Whether the members equal a snapshot taken earlier. */
  equals(snapshot: Uint32Array): boolean {
    const words = this.words;
    for (let i = 0; i < words.length; i++) if (words[i] !== snapshot[i]) return false;
    return true;
  }
}

/** The fixed code of one operation id: a bijective mix of the id, so distinct ids get distinct codes. */
function codeOf(id: number): number {
  return mix32((id + 1) * 0x9e3779b1);
}
