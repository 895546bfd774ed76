/**
 * Key order and key ranges as etcd has them: keys compare by their UTF-8 bytes, which is the order of their
 * Unicode code points (JavaScript's `<` compares UTF-16 code units, which differs above U+FFFF).
 */

/** Compares two keys by UTF-8 byte order: negative, zero or positive. */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++; // both are the same surrogate pair
  }
  return a.length - b.length;
}

/** The keys a request covers: one key, every key with a prefix, or [start, end) with end "\0" meaning "no end". */
export type KeyRange =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'prefix'; readonly prefix: string }
  | { readonly kind: 'interval'; readonly start: string; readonly end: string };

/** etcd's rangeEnd "\0": every key at or after the start key. */
export const RANGE_TO_END = '\0';

export function rangeContains(range: KeyRange, key: string): boolean {
  switch (range.kind) {
    case 'key':
      return key === range.key;
    case 'prefix':
      return key.startsWith(range.prefix);
    case 'interval':
      return compareKeys(key, range.start) >= 0 && (range.end === RANGE_TO_END || compareKeys(key, range.end) < 0);
  }
}

export function describeRange(range: KeyRange): string {
  switch (range.kind) {
    case 'key':
      return JSON.stringify(range.key);
    case 'prefix':
      return `prefix ${JSON.stringify(range.prefix)}`;
    case 'interval':
      return `[${JSON.stringify(range.start)}, ${range.end === RANGE_TO_END ? 'end' : JSON.stringify(range.end)})`;
  }
}
