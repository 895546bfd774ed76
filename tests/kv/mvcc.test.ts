import { describe, expect, it } from 'vitest';
import { ERR_COMPACTED, ERR_FUTURE_REV } from '../../src/kv/index.ts';
import { Harness, kv } from './helpers.ts';

describe('MVCC revisions (etcd mvcc: one main revision per write that changes something)', () => {
  it('starts at revision 1 and gives the first put revision 2, like a fresh etcd', () => {
    const h = new Harness();
    expect(h.sm.revision).toBe(1);
    expect(h.put('a', '1').header.revision).toBe(2);
    expect(h.get('a').kvs).toEqual([kv('a', '1', 2, 2, 1)]);
  });

  it('keeps createRevision, moves modRevision and counts versions across overwrites', () => {
    const h = new Harness();
    h.put('a', '1');
    h.put('b', 'x');
    h.put('a', '2');
    expect(h.get('a').kvs).toEqual([kv('a', '2', 2, 4, 2)]);
    expect(h.get('a').header.revision).toBe(4);
  });

  it('writes a tombstone on delete and starts a new generation on the next put', () => {
    const h = new Harness();
    h.put('a', '1'); // 2
    h.put('a', '2'); // 3
    const deleted = h.del('a', { prevKv: true }); // 4
    expect(deleted).toEqual({ header: { revision: 4 }, deleted: 1, prevKvs: [kv('a', '2', 2, 3, 2)] });
    expect(h.get('a')).toEqual({ header: { revision: 4 }, kvs: [], count: 0 });
    h.put('a', '3'); // 5
    expect(h.get('a').kvs).toEqual([kv('a', '3', 5, 5, 1)]);
  });

  it('does not move the revision for a delete that deletes nothing, or for reads', () => {
    const h = new Harness();
    h.put('a', '1');
    expect(h.del('zzz')).toEqual({ header: { revision: 2 }, deleted: 0 });
    expect(h.ok({ do: 'get', key: 'a' })).toMatchObject({ header: { revision: 2 }, count: 1 });
    expect(h.sm.revision).toBe(2);
  });

  it('moves the revision for a put of the same value (a put always writes a new version)', () => {
    const h = new Harness();
    h.put('a', '1');
    expect(h.put('a', '1').header.revision).toBe(3);
    expect(h.get('a').kvs[0].version).toBe(2);
  });

  it('returns prevKv only when asked, null when the key did not exist', () => {
    const h = new Harness();
    expect(h.put('a', '1', { prevKv: true }).prevKv).toBeNull();
    expect(h.put('a', '2').prevKv).toBeNull();
    expect(h.put('a', '3', { prevKv: true }).prevKv).toEqual(kv('a', '2', 2, 3, 2));
  });
});

describe('reads at a past revision', () => {
  it('sees each key as it was, including keys since deleted or not yet created', () => {
    const h = new Harness();
    h.put('a', '1'); // 2
    h.put('a', '2'); // 3
    h.del('a'); // 4
    h.put('b', 'x'); // 5
    expect(h.get('a', { revision: 2 }).kvs).toEqual([kv('a', '1', 2, 2, 1)]);
    expect(h.get('a', { revision: 3 }).kvs).toEqual([kv('a', '2', 2, 3, 2)]);
    expect(h.get('a', { revision: 4 }).kvs).toEqual([]);
    expect(h.get('', { prefix: true, revision: 4 }).kvs).toEqual([]);
    expect(h.get('', { prefix: true, revision: 5 }).kvs).toEqual([kv('b', 'x', 5, 5, 1)]);
    // The header always carries the current revision, as in etcd.
    expect(h.get('a', { revision: 2 }).header.revision).toBe(5);
  });

  it('refuses a future revision', () => {
    const h = new Harness();
    h.put('a', '1');
    expect(h.sm.get({ key: 'a', revision: 3 })).toEqual({ ok: false, error: ERR_FUTURE_REV });
    expect(h.error({ do: 'get', key: 'a', revision: 99 })).toBe(ERR_FUTURE_REV);
  });
});

describe('compaction', () => {
  it('keeps reads at and above the compacted revision, refuses those below', () => {
    const h = new Harness();
    h.put('a', '1'); // 2
    h.put('a', '2'); // 3
    h.put('b', '1'); // 4
    h.put('a', '3'); // 5
    expect(h.ok({ do: 'compact', revision: 4 })).toEqual({ header: { revision: 5 } });
    expect(h.sm.get({ key: 'a', revision: 3 })).toEqual({ ok: false, error: ERR_COMPACTED });
    expect(h.get('a', { revision: 4 }).kvs).toEqual([kv('a', '2', 2, 3, 2)]);
    expect(h.get('', { prefix: true, revision: 4 }).kvs).toEqual([kv('a', '2', 2, 3, 2), kv('b', '1', 4, 4, 1)]);
    expect(h.get('a').kvs).toEqual([kv('a', '3', 2, 5, 3)]);
  });

  it('forgets keys deleted before the compacted revision entirely', () => {
    const h = new Harness();
    h.put('gone', '1'); // 2
    h.del('gone'); // 3
    h.put('kept', '1'); // 4
    h.ok({ do: 'compact', revision: 4 });
    expect(h.get('', { prefix: true, revision: 4 })).toMatchObject({ count: 1 });
    // A key forgotten by compaction can be created again as a new generation.
    h.put('gone', '2');
    expect(h.get('gone').kvs).toEqual([kv('gone', '2', 5, 5, 1)]);
  });

  it('refuses to compact twice at one revision, or in the future, without changing anything', () => {
    const h = new Harness();
    h.put('a', '1');
    h.put('a', '2');
    h.ok({ do: 'compact', revision: 2 });
    expect(h.error({ do: 'compact', revision: 2 })).toBe(ERR_COMPACTED);
    expect(h.error({ do: 'compact', revision: 1 })).toBe(ERR_COMPACTED);
    expect(h.error({ do: 'compact', revision: 4 })).toBe(ERR_FUTURE_REV);
    expect(h.sm.revision).toBe(3);
    expect(h.ok({ do: 'compact', revision: 3 })).toEqual({ header: { revision: 3 } });
  });
});

describe('ranges', () => {
  function seeded(): Harness {
    const h = new Harness();
    for (const key of ['a', 'b', 'b/1', 'b/2', 'c', 'd']) h.put(key, key.toUpperCase());
    return h;
  }
  const keysOf = (r: { kvs: readonly { key: string }[] }) => r.kvs.map((x) => x.key);

  it('reads [key, rangeEnd) in key order', () => {
    expect(keysOf(seeded().get('b', { rangeEnd: 'c' }))).toEqual(['b', 'b/1', 'b/2']);
  });

  it('reads every key >= key with rangeEnd "\\0", and every key with key "" and rangeEnd "\\0"', () => {
    expect(keysOf(seeded().get('c', { rangeEnd: '\0' }))).toEqual(['c', 'd']);
    expect(keysOf(seeded().get('', { rangeEnd: '\0' }))).toEqual(['a', 'b', 'b/1', 'b/2', 'c', 'd']);
  });

  it('reads a prefix, and everything for the empty prefix', () => {
    expect(keysOf(seeded().get('b/', { prefix: true }))).toEqual(['b/1', 'b/2']);
    expect(keysOf(seeded().get('b', { prefix: true }))).toEqual(['b', 'b/1', 'b/2']);
    expect(keysOf(seeded().get('', { prefix: true }))).toHaveLength(6);
  });

  it('returns nothing for an empty or inverted interval', () => {
    expect(seeded().get('c', { rangeEnd: 'c' }).count).toBe(0);
    expect(seeded().get('d', { rangeEnd: 'a' }).count).toBe(0);
  });

  it('limits kvs but counts every match; countOnly returns the count alone', () => {
    expect(seeded().get('', { prefix: true, limit: 2 })).toMatchObject({ count: 6 });
    expect(keysOf(seeded().get('', { prefix: true, limit: 2 }))).toEqual(['a', 'b']);
    expect(seeded().get('b', { prefix: true, countOnly: true })).toEqual({ header: { revision: 7 }, kvs: [], count: 3 });
  });

  it('deletes a prefix or an interval, in key order, in one revision', () => {
    const h = seeded();
    const result = h.del('b', { prefix: true, prevKv: true });
    expect(result.deleted).toBe(3);
    expect(result.prevKvs!.map((x) => x.key)).toEqual(['b', 'b/1', 'b/2']);
    expect(result.header.revision).toBe(8);
    expect(h.del('c', { rangeEnd: '\0' })).toEqual({ header: { revision: 9 }, deleted: 2 });
    expect(keysOf(h.get('', { prefix: true }))).toEqual(['a']);
  });

  it('sorts keys by UTF-8 bytes, not UTF-16 code units: U+1F600 comes after U+FFFF', () => {
    const h = new Harness();
    h.put('\u{1F600}', 'emoji');
    h.put('\uFFFF', 'bmp-last');
    h.put('\uE000', 'private-use');
    h.put('z', 'ascii');
    expect(keysOf(h.get('', { prefix: true }))).toEqual(['z', '\uE000', '\uFFFF', '\u{1F600}']);
    // A range ending at U+FFFF excludes the emoji, which JavaScript's own order would have included.
    expect(keysOf(h.get('z', { rangeEnd: '\uFFFF' }))).toEqual(['z', '\uE000']);
  });
});
