/**
 * Small, fast 32-bit hashing for the search cache. Not cryptographic: collisions only cost an equality check.
 */

/** MurmurHash3's 32-bit finalizer: spreads every input bit over every output bit. */
export function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Combines a running hash with one more 32-bit value (order-sensitive). */
export function combineHash(seed: number, value: number): number {
  return mix32((Math.imul(seed ^ 0x9e3779b9, 31) + (value | 0)) | 0);
}

/** FNV-1a over the UTF-16 code units of a string, finalized with `mix32`. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}
