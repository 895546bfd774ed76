import { describe, expect, it } from 'vitest';
import { ERR_LEASE_EXISTS, ERR_LEASE_NOT_FOUND, minLeaseTtlMsFor } from '../../src/kv/index.ts';
import { Harness, kv } from './helpers.ts';

describe('leases in the applied state', () => {
  it('grants with the proposer\'s id and the TTL as granted, without moving the revision', () => {
    const h = new Harness();
    h.put('a', '1');
    expect(h.grant('1f', 5000)).toEqual({ header: { revision: 2 }, id: '1f', ttlMs: 5000 });
    expect(h.apply({ do: 'grant', id: '1f', ttlMs: 9000 }).outcome).toEqual({ ok: false, error: ERR_LEASE_EXISTS });
  });

  it('raises a TTL below the minimum to the minimum, ceil(1.5 x election timeout) as etcd does', () => {
    expect(minLeaseTtlMsFor(1000)).toBe(1500);
    expect(minLeaseTtlMsFor(151)).toBe(227);
    const h = new Harness({ minLeaseTtlMs: 1500 });
    expect(h.grant('1', 100).ttlMs).toBe(1500);
    expect(h.grant('2', 4000).ttlMs).toBe(4000);
  });

  it('refuses a put naming a lease that was never granted, and changes nothing', () => {
    const h = new Harness();
    expect(h.error({ do: 'put', key: 'a', value: '1', lease: 'abc' })).toBe(ERR_LEASE_NOT_FOUND);
    expect(h.sm.revision).toBe(1);
  });

  it('revokes by deleting every attached key in key order, in one revision', () => {
    const h = new Harness();
    h.grant('7', 60_000);
    h.put('svc/b', 'B', { lease: '7' }); // 2
    h.put('svc/a', 'A', { lease: '7' }); // 3
    h.put('plain', 'P'); // 4
    const applied = h.apply({ do: 'revoke', id: '7' });
    expect(applied.outcome).toEqual({ ok: true, result: { header: { revision: 5 } } });
    expect(applied.events.map((e) => [e.type, e.kv.key, e.kv.modRevision])).toEqual([
      ['DELETE', 'svc/a', 5], ['DELETE', 'svc/b', 5],
    ]);
    expect(applied.leaseChange).toEqual({ kind: 'revoked', id: '7' });
    expect(h.get('', { prefix: true }).kvs.map((x) => x.key)).toEqual(['plain']);
    // Revoked means gone: a put with it, or a second revoke, fails.
    expect(h.error({ do: 'put', key: 'x', value: '1', lease: '7' })).toBe(ERR_LEASE_NOT_FOUND);
    expect(h.error({ do: 'revoke', id: '7' })).toBe(ERR_LEASE_NOT_FOUND);
  });

  it('revoking a lease with no keys leaves the revision alone', () => {
    const h = new Harness();
    h.grant('7', 60_000);
    expect(h.ok({ do: 'revoke', id: '7' })).toEqual({ header: { revision: 1 } });
  });

  it('detaches a key overwritten without the lease, or with another, or deleted', () => {
    const h = new Harness();
    h.grant('1', 60_000);
    h.grant('2', 60_000);
    h.put('moved', 'x', { lease: '1' });
    h.put('moved', 'y', { lease: '2' });
    h.put('dropped', 'x', { lease: '1' });
    h.put('dropped', 'y');
    h.put('deleted', 'x', { lease: '1' });
    h.del('deleted');
    h.put('deleted', 'again');
    h.put('stays', 'x', { lease: '1' });
    h.ok({ do: 'revoke', id: '1' });
    expect(h.get('', { prefix: true }).kvs.map((x) => [x.key, x.lease])).toEqual([
      ['deleted', '0'], ['dropped', '0'], ['moved', '2'],
    ]);
    expect(h.sm.leases.keysOf('2')).toEqual(['moved']);
  });

  it('keeps the lease on a key put again with the same lease', () => {
    const h = new Harness();
    h.grant('1', 60_000);
    h.put('k', 'a', { lease: '1' });
    h.put('k', 'b', { lease: '1' });
    expect(h.get('k').kvs).toEqual([kv('k', 'b', 2, 3, 2, '1')]);
    h.ok({ do: 'revoke', id: '1' });
    expect(h.get('k').count).toBe(0);
  });
});
