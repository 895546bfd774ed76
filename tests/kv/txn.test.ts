import { describe, expect, it } from 'vitest';
import { ERR_DUPLICATE_KEY, ERR_FUTURE_REV, ERR_LEASE_NOT_FOUND, type Compare, type CompareOp } from '../../src/kv/index.ts';
import { Harness, kv } from './helpers.ts';

/** Key "k" at version 2, createRevision 2, modRevision 4, value "m", lease "a1"; key "other" at revision 3. */
function seeded(): Harness {
  const h = new Harness();
  h.grant('a1', 60_000);
  h.put('k', 'a'); // 2
  h.put('other', 'x'); // 3
  h.put('k', 'm', { lease: 'a1' }); // 4
  return h;
}

function holds(h: Harness, compare: Compare): boolean {
  return h.txn({ compare: [compare] }).succeeded;
}

describe('txn compares (etcd applyCompare)', () => {
  const numeric: [Compare['target'], number][] = [['version', 2], ['createRevision', 2], ['modRevision', 4]];
  for (const [target, actual] of numeric) {
    it(`compares ${target} with each operator`, () => {
      const h = seeded();
      const cases: [CompareOp, number, boolean][] = [
        ['=', actual, true], ['=', actual + 1, false],
        ['!=', actual, false], ['!=', actual - 1, true],
        ['<', actual + 1, true], ['<', actual, false],
        ['>', actual - 1, true], ['>', actual, false],
      ];
      for (const [op, value, expected] of cases) expect(holds(h, { key: 'k', target, op, value }), `${target} ${op} ${value}`).toBe(expected);
    });
  }

  it('compares values as bytes with each operator', () => {
    const h = seeded();
    expect(holds(h, { key: 'k', target: 'value', op: '=', value: 'm' })).toBe(true);
    expect(holds(h, { key: 'k', target: 'value', op: '!=', value: 'm' })).toBe(false);
    expect(holds(h, { key: 'k', target: 'value', op: '<', value: 'n' })).toBe(true);
    expect(holds(h, { key: 'k', target: 'value', op: '>', value: 'l' })).toBe(true);
    expect(holds(h, { key: 'k', target: 'value', op: '>', value: 'mm' })).toBe(false);
  });

  it('compares leases numerically, not as text ("a1" > "9f")', () => {
    const h = seeded();
    expect(holds(h, { key: 'k', target: 'lease', op: '=', value: 'a1' })).toBe(true);
    expect(holds(h, { key: 'k', target: 'lease', op: '>', value: '9f' })).toBe(true);
    expect(holds(h, { key: 'k', target: 'lease', op: '<', value: '100' })).toBe(true);
    expect(holds(h, { key: 'k', target: 'lease', op: '!=', value: '0' })).toBe(true);
    expect(holds(h, { key: 'other', target: 'lease', op: '=', value: '0' })).toBe(true);
  });

  it('compares a missing key as zeros, and a value compare on it is false whatever the operator', () => {
    const h = seeded();
    for (const target of ['version', 'createRevision', 'modRevision'] as const) {
      expect(holds(h, { key: 'missing', target, op: '=', value: 0 })).toBe(true);
      expect(holds(h, { key: 'missing', target, op: '<', value: 1 })).toBe(true);
    }
    expect(holds(h, { key: 'missing', target: 'lease', op: '=', value: '0' })).toBe(true);
    for (const op of ['=', '!=', '<', '>'] as const) {
      expect(holds(h, { key: 'missing', target: 'value', op, value: '' })).toBe(false);
    }
  });

  it('needs every compare to hold (an empty list holds)', () => {
    const h = seeded();
    expect(h.txn({}).succeeded).toBe(true);
    expect(h.txn({
      compare: [
        { key: 'k', target: 'version', op: '=', value: 2 },
        { key: 'other', target: 'version', op: '=', value: 9 },
      ],
    }).succeeded).toBe(false);
  });
});

describe('txn branches', () => {
  it('runs the success branch in one revision, answering each op in order', () => {
    const h = seeded();
    const result = h.txn({
      compare: [{ key: 'k', target: 'value', op: '=', value: 'm' }],
      success: [
        { put: { key: 'n1', value: '1' } },
        { put: { key: 'k', value: 'z', prevKv: true } },
        { delete: { key: 'other', prevKv: true } },
        { get: { key: 'n', prefix: true } },
      ],
      failure: [{ put: { key: 'never', value: '!' } }],
    });
    expect(result).toEqual({
      header: { revision: 5 },
      succeeded: true,
      responses: [
        { put: { prevKv: null } },
        { put: { prevKv: kv('k', 'm', 2, 4, 2, 'a1') } },
        { delete: { deleted: 1, prevKvs: [kv('other', 'x', 3, 3, 1)] } },
        // A get inside a txn sees the txn's own writes.
        { get: { kvs: [kv('n1', '1', 5, 5, 1)], count: 1 } },
      ],
    });
    expect(h.get('never').count).toBe(0);
  });

  it('runs the failure branch when a compare fails', () => {
    const h = seeded();
    const result = h.txn({
      compare: [{ key: 'k', target: 'version', op: '=', value: 0 }],
      success: [{ put: { key: 'k', value: 'won' } }],
      failure: [{ get: { key: 'k' } }],
    });
    expect(result).toEqual({
      header: { revision: 4 }, succeeded: false,
      responses: [{ get: { kvs: [kv('k', 'm', 2, 4, 2, 'a1')], count: 1 } }],
    });
  });

  it('does not move the revision for a txn that only reads', () => {
    const h = seeded();
    expect(h.txn({ success: [{ get: { key: 'k' } }] }).header.revision).toBe(4);
    expect(h.sm.revision).toBe(4);
  });

  it('has no effect at all when a put of the chosen branch names a missing lease', () => {
    const h = seeded();
    const before = h.sm.digest();
    const outcome = h.apply({
      do: 'txn', compare: [],
      success: [{ put: { key: 'x', value: '1' } }, { delete: { key: 'k' } }, { put: { key: 'y', value: '2', lease: 'dead' } }],
      failure: [],
    }).outcome;
    expect(outcome).toEqual({ ok: false, error: ERR_LEASE_NOT_FOUND });
    expect(h.sm.digest()).toBe(before);
    expect(h.sm.revision).toBe(4);
  });

  it('fails as a whole when a get of the chosen branch reads a future revision', () => {
    const h = seeded();
    const outcome = h.apply({ do: 'txn', compare: [], success: [{ put: { key: 'x', value: '1' } }, { get: { key: 'k', revision: 9 } }], failure: [] }).outcome;
    expect(outcome).toEqual({ ok: false, error: ERR_FUTURE_REV });
    expect(h.get('x').count).toBe(0);
  });

  it('ignores a missing lease in the branch that does not run', () => {
    const h = seeded();
    expect(h.txn({ success: [{ put: { key: 'x', value: '1' } }], failure: [{ put: { key: 'y', value: '1', lease: 'dead' } }] }).succeeded).toBe(true);
  });

  it('rejects a branch that writes one key twice, as etcd does, even in the branch that would not run', () => {
    const h = seeded();
    const twice = { do: 'txn' as const, compare: [], success: [{ put: { key: 'x', value: '1' } }, { put: { key: 'x', value: '2' } }], failure: [] };
    expect(h.apply(twice).outcome).toEqual({ ok: false, error: ERR_DUPLICATE_KEY });
    const putInDelete = { do: 'txn' as const, compare: [], success: [], failure: [{ delete: { key: 'p/', prefix: true } }, { put: { key: 'p/1', value: '1' } }] };
    expect(h.apply(putInDelete).outcome).toEqual({ ok: false, error: ERR_DUPLICATE_KEY });
    // Two deletes may overlap: the second deletes nothing more.
    expect(h.txn({ success: [{ delete: { key: 'k' } }, { delete: { key: 'k' } }] }).responses).toEqual([
      { delete: { deleted: 1 } }, { delete: { deleted: 0 } },
    ]);
    expect(h.sm.revision).toBe(5);
  });
});
