/**
 * Key order and key ranges, as etcd defines them: keys are byte strings compared by their UTF-8 bytes
 * (etcd's `bytes.Compare`), and a range is the half-open interval [key, rangeEnd).
 *
 * JavaScript compares strings by UTF-16 code units, which disagrees with UTF-8 byte order exactly when one side
 * is a surrogate (a character above U+FFFF) and the other a character in U+E000..U+FFFF: "\u{1F600}" sorts
 * before "\uFFFF" in UTF-16 but after it in UTF-8. UTF-8 byte order equals Unicode code point order, so it is
 * enough to fix up those two blocks of code units at the first difference; no string is ever encoded.
 */

/** etcd's "no upper bound" range end: `rangeEnd` "\0" means every key >= key. */
export const RANGE_END_ALL = '\0';

/**
 * Maps a UTF-16 code unit to a value whose order is the code point order of the characters it starts:
 * surrogates (which start characters >= U+10000) move above U+E000..U+FFFF.
 */
function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}

/** Compares two keys by their UTF-8 bytes: negative, zero or positive, like etcd's `bytes.Compare`. */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ua = a.charCodeAt(i);
    const ub = b.charCodeAt(i);
    if (ua !== ub) return codePointRank(ua) - codePointRank(ub);
  }
  return a.length - b.length;
}

/**
 * A set of keys: one key, every key with a prefix, or the interval [key, rangeEnd) (open above when
 * `rangeEnd` is "\0"). Prefixes are kept as prefixes rather than turned into etcd's "prefix + 1" end key,
 * because incrementing the last UTF-8 byte of a string can produce bytes that are not UTF-8.
 */
export type KeyRange =
  | { readonly kind: 'single'; readonly key: string }
  | { readonly kind: 'prefix'; readonly prefix: string }
  | { readonly kind: 'interval'; readonly key: string; readonly rangeEnd: string };

/**
 * The range a request names, with etcd's rules: `prefix` wins (an empty prefix is every key); otherwise an
 * empty or absent `rangeEnd` is the single key; "\0" is every key >= key.
 */
export function keyRangeOf(key: string, rangeEnd?: string, prefix?: boolean): KeyRange {
  if (prefix) return { kind: 'prefix', prefix: key };
  if (rangeEnd === undefined || rangeEnd === '') return { kind: 'single', key };
  return { kind: 'interval', key, rangeEnd };
}

/** The smallest key the range can hold: where a scan of the sorted keys starts. */
export function rangeStart(range: KeyRange): string {
  return range.kind === 'prefix' ? range.prefix : range.key;
}

/** Whether `key` is in the range. */
export function rangeContains(range: KeyRange, key: string): boolean {
  switch (range.kind) {
    case 'single':
      return key === range.key;
    case 'prefix':
      return key.startsWith(range.prefix);
    case 'interval':
      return compareKeys(key, range.key) >= 0 && (range.rangeEnd === RANGE_END_ALL || compareKeys(key, range.rangeEnd) < 0);
  }
}

/**
 * Whether no key at or after `key` (in key order) can be in the range: the scan of sorted keys stops there.
 * Keys with a prefix are contiguous in byte order, so a prefix range ends at the first key without it.
 */
export function rangeEndsBefore(range: KeyRange, key: string): boolean {
  switch (range.kind) {
    case 'single':
      return compareKeys(key, range.key) > 0;
    case 'prefix':
      return !key.startsWith(range.prefix);
    case 'interval':
      return range.rangeEnd !== RANGE_END_ALL && compareKeys(key, range.rangeEnd) >= 0;
  }
}

/**
 * The least key above every key with this prefix (etcd's `GetPrefixRangeEnd`, in code points rather than
 * bytes so the result is still a string): drop trailing U+10FFFF, then step the last code point up by one,
 * jumping over the surrogate block. Undefined when no such key exists (the empty prefix, or only U+10FFFF).
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const codePoints = Array.from(prefix, (ch) => ch.codePointAt(0)!);
  while (codePoints.length > 0 && codePoints[codePoints.length - 1] === 0x10ffff) codePoints.pop();
  if (codePoints.length === 0) return undefined;
  const last = codePoints.pop()!;
  codePoints.push(last + 1 === 0xd800 ? 0xe000 : last + 1);
  return String.fromCodePoint(...codePoints);
}
