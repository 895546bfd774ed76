/**
 * The simulator's one source of randomness.
 *
 * Algorithm: sfc32 (Chris Doty-Humphrey's "Small Fast Chaotic" generator, 128-bit state, from PractRand),
 * seeded through splitmix32 so that neighbouring seeds (1, 2, 3, ...) give unrelated streams. sfc32 passes
 * PractRand and BigCrush, needs only 32-bit integer operations (exact in JavaScript through `| 0` and
 * `Math.imul`), and is fast enough to draw once per simulated message.
 *
 * The API is integers only (as TigerBeetle's stdx PRNG, "to remove floating point from the API, to ensure
 * determinism"): probabilities are parts per million, ranges are integer bounds. A run is reproducible from
 * the seed alone, in Node.js and in every browser.
 */
import type { RandomSource } from '../raft/types.ts';

/** Probabilities are expressed in parts per million: 1_000_000 means "always". */
export const PPM = 1_000_000;

/** The largest seed a scenario or the CLI accepts (seeds are exact integers in a JavaScript number). */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

/** Converts a probability in [0, 1] to parts per million, rounding to the nearest integer. */
export function toPpm(probability: number): number {
  return Math.round(probability * PPM);
}

/** One splitmix32 step: returns [output, nextState]. Used only to expand a seed into sfc32's state. */
function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [z >>> 0, next];
}

/** A seeded sfc32 generator. Also a RandomSource, so a node's core can draw from its own instance. */
export class Prng implements RandomSource {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** @param seed an integer in [0, MAX_SEED]; its low and high 32-bit halves both feed the state. */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be an integer in [0, ${MAX_SEED}], got ${seed}`);
    const low = seed >>> 0;
    const high = Math.floor(seed / 0x1_0000_0000) >>> 0;
    let state = low ^ Math.imul(high, 0x27d4eb2f);
    let out: number;
    [out, state] = splitmix32(state);
    this.a = out | 0;
    [out, state] = splitmix32(state ^ high);
    this.b = out | 0;
    [out] = splitmix32(state);
    this.c = out | 0;
    this.d = 1; // the counter word; sfc32 starts it at 1
    // Discard the first outputs: sfc32's state needs a few rounds to mix a low-entropy seed.
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform integer in [0, maxExclusive), without modulo bias (rejection sampling). */
  int(maxExclusive: number): number {
    if (!Number.isInteger(maxExclusive) || maxExclusive <= 0 || maxExclusive > 0x1_0000_0000) {
      throw new RangeError(`int(maxExclusive): maxExclusive must be an integer in [1, 2^32], got ${maxExclusive}`);
    }
    // Reject the top sliver of the 32-bit range that does not divide evenly by maxExclusive.
    const limit = 0x1_0000_0000 - (0x1_0000_0000 % maxExclusive);
    let x = this.nextU32();
    while (x >= limit) x = this.nextU32();
    return x % maxExclusive;
  }

  /** A uniform integer in [min, max], both inclusive. */
  intBetween(min: number, max: number): number {
    if (max < min) throw new RangeError(`intBetween(${min}, ${max}): max < min`);
    return min + this.int(max - min + 1);
  }

  /** True with probability ppm / 1_000_000. Draws nothing when the outcome is certain (0 or PPM). */
  chancePpm(ppm: number): boolean {
    if (ppm <= 0) return false;
    if (ppm >= PPM) return true;
    return this.int(PPM) < ppm;
  }

  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick: empty array');
    return items[this.int(items.length)]!;
  }

  /** A new array with the items in a uniformly random order (Fisher–Yates). */
  shuffled<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = out[i]!;
      out[i] = out[j]!;
      out[j] = tmp;
    }
    return out;
  }

  /** A seed for a child generator (a node's core): one 32-bit draw, so the child is fixed by this stream. */
  childSeed(): number {
    return this.nextU32();
  }
}
