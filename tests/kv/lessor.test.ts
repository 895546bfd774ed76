import { describe, expect, it } from 'vitest';
import { ERR_LEASE_NOT_FOUND, ERR_NOT_PRIMARY } from '../../src/kv/index.ts';
import { Harness } from './helpers.ts';

/** A node's state machine with two leases granted while it was a follower (no clock running). */
function follower(): Harness {
  const h = new Harness();
  h.grant('a', 5000);
  h.grant('b', 2000);
  return h;
}

describe('the lessor: only the leader\'s lease clock runs (etcd lessor Promote/Demote/Renew)', () => {
  it('never expires leases on a follower, and refuses keepalives there', () => {
    const h = follower();
    expect(h.sm.lessor.isPrimary).toBe(false);
    expect(h.sm.lessor.expired(1e12)).toEqual([]);
    expect(h.sm.lessor.remainingMs('a', 1e12)).toBe(Infinity);
    expect(h.sm.lessor.renew('a', 0)).toEqual({ ok: false, error: ERR_NOT_PRIMARY });
  });

  it('on promotion restarts every lease\'s full TTL plus the extension', () => {
    const h = follower();
    h.sm.lessor.promote(10_000, 1000);
    expect(h.sm.lessor.expiryMsOf('a')).toBe(16_000);
    expect(h.sm.lessor.expiryMsOf('b')).toBe(13_000);
    expect(h.sm.lessor.expired(12_999)).toEqual([]);
    expect(h.sm.lessor.expired(13_000)).toEqual(['b']);
  });

  it('restarts TTLs on every leader change, even for a lease that was about to expire', () => {
    const h = follower();
    h.sm.lessor.promote(0, 0);
    expect(h.sm.lessor.remainingMs('b', 1900)).toBe(100);
    h.sm.lessor.demote();
    expect(h.sm.lessor.expired(5000)).toEqual([]);
    h.sm.lessor.promote(5000, 1000);
    expect(h.sm.lessor.remainingMs('b', 5000)).toBe(3000);
  });

  it('starts a lease granted on the leader at the time of the apply', () => {
    const h = new Harness();
    h.sm.lessor.promote(0, 1000);
    h.nowMs = 700;
    h.grant('c', 3000);
    expect(h.sm.lessor.expiryMsOf('c')).toBe(3700);
  });

  it('renews on the leader with the full TTL and refuses unknown or already expired leases', () => {
    const h = follower();
    h.sm.lessor.promote(0, 0);
    expect(h.sm.lessor.renew('b', 1500)).toEqual({ ok: true, result: { ttlMs: 2000 } });
    expect(h.sm.lessor.expiryMsOf('b')).toBe(3500);
    expect(h.sm.lessor.renew('zz', 1500)).toEqual({ ok: false, error: ERR_LEASE_NOT_FOUND });
    expect(h.sm.lessor.renew('b', 3500)).toEqual({ ok: false, error: ERR_LEASE_NOT_FOUND });
  });

  it('reports expired leases earliest first, once, then again after the retry interval until revoked', () => {
    const h = new Harness({ revokeRetryMs: 3000 });
    h.grant('b', 2000);
    h.grant('a', 2000);
    h.grant('c', 1000);
    h.sm.lessor.promote(0, 0);
    expect(h.sm.lessor.expired(2000)).toEqual(['c', 'a', 'b']);
    expect(h.sm.lessor.expired(2500)).toEqual([]);
    h.ok({ do: 'revoke', id: 'a' });
    expect(h.sm.lessor.expired(5000)).toEqual(['c', 'b']);
    expect(h.sm.lessor.expiryMsOf('a')).toBeUndefined();
  });

  it('forgets expiries on demotion', () => {
    const h = follower();
    h.sm.lessor.promote(0, 0);
    h.sm.lessor.demote();
    expect(h.sm.lessor.expiryMsOf('a')).toBe(Infinity);
    expect(h.sm.lessor.expired(1e9)).toEqual([]);
  });

  it('is outside the replicated state: the digest ignores the clock', () => {
    const leader = follower();
    const other = follower();
    leader.sm.lessor.promote(0, 1000);
    leader.sm.lessor.renew('a', 50);
    expect(leader.sm.digest()).toBe(other.sm.digest());
  });
});
