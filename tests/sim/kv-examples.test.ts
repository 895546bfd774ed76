/**
 * The key-value teaching scenarios in examples/ show what their descriptions promise, and the lease and watch
 * behaviour behind them holds through a cluster: the lease clock across a leader change, keepalives forwarded
 * to the leader, expiry after a client dies, and watch streams from a past revision and across a node restart.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StateEvent } from '../../src/sim/traceEvents.ts';
import { checkHistory, opsOf, resultOf, runKv, type KvRun } from './kv-helpers.ts';

const example = (name: string): KvRun => {
  const scenario = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../examples', name), 'utf8')) as Record<string, unknown>;
  expect(typeof scenario.name === 'string' && typeof scenario.description === 'string').toBe(true);
  const r = runKv(scenario);
  expect(r.summary.violations).toEqual([]);
  return r;
};

const valueOf = (result: Record<string, unknown>): unknown => (result.kvs as { value: string }[])[0]?.value;

describe('examples/kv-cp-partition.json', () => {
  const r = example('kv-cp-partition.json');

  it('gives the minority errors, never a wrong answer', () => {
    expect(opsOf(r, 'writer')[0]!.end).toMatchObject({ phase: 'info', error: 'etcdserver: request timed out' });
    const [before, during, after] = opsOf(r, 'reader');
    expect(valueOf(resultOf(before!))).toBe('v1');
    expect(during!.end).toMatchObject({ phase: 'fail', error: 'etcdserver: request timed out' });
    expect(valueOf(resultOf(after!))).toBe('v2');
  });

  it('answers serializable reads on the minority from its stale copy', () => {
    const [stale, healed] = opsOf(r, 'stale');
    const majorityWrote = opsOf(r, 'majority', 'put')[1]!;
    expect(stale!.invokedAt).toBeGreaterThan(majorityWrote.end!.t);
    expect(valueOf(resultOf(stale!))).toBe('v1'); // v2 was already committed by the majority
    expect(valueOf(resultOf(healed!))).toBe('v2');
  });

  it('keeps the majority available and the history linearizable', () => {
    expect(opsOf(r, 'majority').every((o) => o.end?.phase === 'ok')).toBe(true);
    const verdict = checkHistory(r);
    expect(verdict.linearizable).toBe(true);
    expect(verdict.revisionOrder.ok).toBe(true);
  });
});

describe('examples/kv-lease-ttl-reset.json', () => {
  const r = example('kv-lease-ttl-reset.json');
  const et = r.et;

  it('expires the lease a full TTL plus an election timeout after the new leader took over, not TTL after the grant', () => {
    const granted = r.lease.find((e) => e.event === 'granted')!;
    const expired = r.lease.find((e) => e.event === 'expired')!;
    const newLeader = r.summary.leaders[1]!;
    expect(expired.node).toBe(newLeader.node);
    expect(granted.node).toBe(r.summary.leaders[0]!.node);
    const ttlMs = granted.ttlMs!;
    expect(expired.t).toBeGreaterThanOrEqual(newLeader.t + et + ttlMs);
    expect(expired.t).toBeLessThan(newLeader.t + 2 * et + ttlMs);
    expect(expired.t).toBeGreaterThan(granted.t + ttlMs + et);
  });

  it('revokes through the log: the watcher sees the DELETE, a read confirms it', () => {
    const revoked = r.lease.find((e) => e.event === 'revoked')!;
    expect(revoked.node).toBe(r.summary.leaders[1]!.node);
    const deletes = r.watch.flatMap((w) => w.events.filter((e) => e.type === 'DELETE'));
    expect(deletes.map((e) => e.kv.key)).toEqual(['svc/a']);
    expect(resultOf(opsOf(r, 'watcher', 'get')[0]!).count).toBe(0);
  });
});

describe('leases across a leader change', () => {
  const r = runKv({
    nodes: 3, seed: 21, until: 20_000,
    actions: [
      { at: 500, do: 'client', client: 'holder', via: 'any' },
      { at: 500, do: 'client', client: 'other', via: 1 },
      { at: 1500, do: 'grant', client: 'holder', lease: 'S', ttlMs: 2000 },
      { at: 1500, do: 'keepalive', client: 'holder', lease: 'S' },
      { at: 1500, do: 'put', client: 'holder', key: 'lock', value: 'holder', lease: 'S' },
      { at: 4000, do: 'crash', node: 'leader' },
      { at: 9000, do: 'killClient', client: 'holder' },
      { at: 9500, do: 'restart', node: 'lastCrashed' },
      { at: 16_000, do: 'get', client: 'other', key: 'lock' },
    ],
  });

  it('keeps a kept-alive lease through the leader change (keepalives reach the new leader)', () => {
    const renewedBy = new Set(r.lease.filter((e) => e.event === 'renewed').map((e) => e.node));
    expect(renewedBy).toEqual(new Set([r.summary.leaders[0]!.node, r.summary.leaders[1]!.node]));
    const expired = r.lease.find((e) => e.event === 'expired')!;
    expect(expired.t).toBeGreaterThan(9000);
  });

  it('expires it about a TTL after the client died, at the leader, and deletes its key', () => {
    const lastRenewal = Math.max(...r.lease.filter((e) => e.event === 'renewed').map((e) => e.t));
    const expired = r.lease.find((e) => e.event === 'expired')!;
    const leaderThen = r.events.filter((e): e is StateEvent => e.type === 'state' && e.t <= expired.t && e.role === 'leader').at(-1)!;
    expect(expired.node).toBe(leaderThen.node);
    expect(expired.t - lastRenewal).toBeGreaterThanOrEqual(2000);
    expect(expired.t - lastRenewal).toBeLessThanOrEqual(2000 + 2 * 10);
    expect(resultOf(opsOf(r, 'other', 'get')[0]!).count).toBe(0);
    expect(checkHistory(r).linearizable).toBe(true);
  });

  it('reports each lease event once, from the node that decided', () => {
    expect(r.lease.filter((e) => e.event === 'granted')).toHaveLength(1);
    expect(r.lease.filter((e) => e.event === 'expired')).toHaveLength(1);
    expect(r.lease.filter((e) => e.event === 'revoked')).toHaveLength(1);
  });
});

describe('watches through the cluster', () => {
  const r = runKv({
    nodes: 3, seed: 8, until: 16_000, network: { latencyMs: [5, 60], dropRate: 0.05 },
    actions: [
      { at: 500, do: 'client', client: 'w', via: 3 },
      { at: 500, do: 'client', client: 'p', via: 1 },
      { at: 1500, do: 'put', client: 'p', key: 'x/a', value: '1' },
      { at: 1500, do: 'put', client: 'p', key: 'y', value: 'outside' },
      { at: 1500, do: 'delete', client: 'p', key: 'x/a' },
      { at: 1500, do: 'put', client: 'p', key: 'x/b', value: '2' },
      { at: 3000, do: 'watch', client: 'w', watch: 'past', key: 'x/', prefix: true, startRevision: 2, prevKv: true },
      { at: 3000, do: 'watch', client: 'w', watch: 'live', key: 'x/', prefix: true },
      { at: 4000, do: 'crash', node: 3 },
      { at: 4000, do: 'put', client: 'p', key: 'x/c', value: '3' },
      { at: 5000, do: 'restart', node: 3 },
      ...Array.from({ length: 10 }, (_, i) => ({ at: 6000 + i * 200, do: 'put', client: 'p', key: `x/${i}`, value: `${i}` })),
    ],
  });

  it('replays history from a past revision, then follows live changes, across a restart of its node', () => {
    const events = (name: string) => r.watch.filter((w) => w.watch === name).flatMap((w) => w.events);
    const past = events('past');
    expect(past.slice(0, 3).map((e) => [e.type, e.kv.key, e.kv.modRevision])).toEqual([['PUT', 'x/a', 2], ['DELETE', 'x/a', 4], ['PUT', 'x/b', 5]]);
    expect(past[1]!.prevKv).toMatchObject({ key: 'x/a', value: '1' });
    const revisions = past.map((e) => e.kv.modRevision);
    expect(revisions).toEqual([2, 4, ...Array.from({ length: 12 }, (_, i) => 5 + i)]);
    // The live watch started after revision 5: it sees x/c and the ten later puts, once each, in order.
    expect(events('live').map((e) => e.kv.modRevision)).toEqual(Array.from({ length: 11 }, (_, i) => 6 + i));
  });
});
