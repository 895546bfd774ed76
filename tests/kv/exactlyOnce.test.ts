import { describe, expect, it } from 'vitest';
import { ClientSessions, ERR_LEASE_NOT_FOUND, ERR_STALE_REQUEST } from '../../src/kv/index.ts';
import { Harness } from './helpers.ts';

describe('exactly-once writes (Raft thesis §6.3)', () => {
  it('answers a retried write from the cache without applying it again', () => {
    const h = new Harness();
    const first = h.applyAs('c1', 1, { do: 'put', key: 'k', value: 'v' });
    const retry = h.applyAs('c1', 1, { do: 'put', key: 'k', value: 'v' });
    expect(retry.duplicate).toBe(true);
    expect(retry.outcome).toEqual(first.outcome);
    expect(retry.events).toEqual([]);
    expect(h.sm.revision).toBe(2);
    expect(h.get('k').kvs[0].version).toBe(1);
  });

  it('caches failures too: a retry of a failed put fails the same way even if it would now succeed', () => {
    const h = new Harness();
    expect(h.applyAs('c1', 1, { do: 'put', key: 'k', value: 'v', lease: '9' }).outcome).toEqual({ ok: false, error: ERR_LEASE_NOT_FOUND });
    h.grant('9', 60_000);
    expect(h.applyAs('c1', 1, { do: 'put', key: 'k', value: 'v', lease: '9' }).outcome).toEqual({ ok: false, error: ERR_LEASE_NOT_FOUND });
    expect(h.get('k').count).toBe(0);
  });

  it('applies a client\'s next request, and refuses one older than its last', () => {
    const h = new Harness();
    h.applyAs('c1', 1, { do: 'put', key: 'k', value: '1' });
    h.applyAs('c1', 2, { do: 'put', key: 'k', value: '2' });
    const stale = h.applyAs('c1', 1, { do: 'put', key: 'k', value: '1' });
    expect(stale.outcome).toEqual({ ok: false, error: ERR_STALE_REQUEST });
    expect(h.get('k').kvs[0].value).toBe('2');
  });

  it('keeps clients apart, and never deduplicates commands without a client', () => {
    const h = new Harness();
    h.applyAs('c1', 1, { do: 'put', key: 'k', value: 'a' });
    h.applyAs('c2', 1, { do: 'put', key: 'k', value: 'b' });
    h.apply({ do: 'put', key: 'k', value: 'c' });
    h.apply({ do: 'put', key: 'k', value: 'c' });
    expect(h.get('k').kvs[0].version).toBe(4);
  });

  it('is bounded: past maxClients the least recently active client is forgotten', () => {
    const sessions = new ClientSessions(2);
    sessions.remember('a', 1, { ok: true, result: 1 }, 1);
    sessions.remember('b', 1, { ok: true, result: 2 }, 2);
    sessions.remember('a', 2, { ok: true, result: 3 }, 3);
    sessions.remember('c', 1, { ok: true, result: 4 }, 4);
    expect(sessions.lookup('b')).toBeUndefined();
    expect(sessions.lookup('a')?.requestId).toBe(2);
    expect(sessions.entries().map(([id]) => id)).toEqual(['a', 'c']);
  });

  it('is replicated state: replicas that applied different retries histories still agree', () => {
    const a = new Harness();
    const b = new Harness();
    a.applyAs('c1', 1, { do: 'put', key: 'k', value: 'v' });
    b.applyAs('c1', 1, { do: 'put', key: 'k', value: 'v' });
    expect(a.sm.digest()).toBe(b.sm.digest());
    b.applyAs('c1', 2, { do: 'get', key: 'k' });
    expect(a.sm.digest()).not.toBe(b.sm.digest());
  });
});
