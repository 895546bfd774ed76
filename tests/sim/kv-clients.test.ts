/**
 * Clients on the bus against a simulated cluster (docs/clients.md, "The contract"): results shaped as the
 * contract says, timeouts (info for writes, fail for reads), no-leader and requireLeader, retries applied once,
 * via "any" failover, one action at a time, killClient, and linearizable histories throughout.
 */
import { describe, expect, it } from 'vitest';
import { checkHistory, opsOf, resultOf, runKv } from './kv-helpers.ts';

const ET = 1000;
const base = { nodes: 3, seed: 11, config: { electionTimeoutMs: ET } };

describe('clients: results and ordering', () => {
  const r = runKv({
    ...base, until: 8000,
    actions: [
      { at: 1000, do: 'client', client: 'c1', via: 2 },
      { at: 1100, do: 'put', client: 'c1', key: 'a', value: '1' },
      { at: 1100, do: 'put', client: 'c1', key: 'a', value: '2', prevKv: true },
      { at: 1100, do: 'get', client: 'c1', key: 'a' },
      { at: 1100, do: 'delete', client: 'c1', key: 'a', prevKv: true },
      { at: 1100, do: 'txn', client: 'c1', compare: [{ key: 'a', target: 'version', op: '=', value: 0 }], success: [{ put: { key: 'a', value: 'x' } }], failure: [{ get: { key: 'a' } }] },
      { at: 1100, do: 'get', client: 'c1', key: 'a', serializable: true },
    ],
  });
  const ops = opsOf(r, 'c1');

  it('runs one action at a time, writing each invoke when its request is sent', () => {
    expect(ops.map((o) => o.op.do)).toEqual(['put', 'put', 'get', 'delete', 'txn', 'get']);
    for (let i = 1; i < ops.length; i++) expect(ops[i]!.invokedAt).toBe(ops[i - 1]!.end!.t);
    // The first request waited for the first leader (a node with no leader holds it).
    expect(ops[0]!.end!.t).toBeGreaterThan(r.summary.leaders[0]!.t);
  });

  it('answers in the contract\'s shapes, with header.revision and raftTerm', () => {
    const term = r.summary.leaders[0]!.term;
    expect(resultOf(ops[0]!)).toEqual({ header: { revision: 2, raftTerm: term }, prevKv: null });
    expect(resultOf(ops[1]!)).toEqual({
      header: { revision: 3, raftTerm: term },
      prevKv: { key: 'a', value: '1', createRevision: 2, modRevision: 2, version: 1, lease: '0' },
    });
    expect(resultOf(ops[2]!)).toEqual({
      header: { revision: 3, raftTerm: term }, kvs: [{ key: 'a', value: '2', createRevision: 2, modRevision: 3, version: 2, lease: '0' }], count: 1,
    });
    expect(resultOf(ops[3]!)).toMatchObject({ header: { revision: 4 }, deleted: 1, prevKvs: [{ key: 'a', value: '2', version: 2 }] });
    expect(resultOf(ops[4]!)).toEqual({ header: { revision: 5, raftTerm: term }, succeeded: true, responses: [{ put: { prevKv: null } }] });
    expect(resultOf(ops[5]!)).toMatchObject({ kvs: [{ key: 'a', value: 'x', createRevision: 5, version: 1 }] });
  });

  it('leaves a linearizable history whose revisions never go back', () => {
    const verdict = checkHistory(r);
    expect(verdict.linearizable).toBe(true);
    expect(verdict.revisionOrder.ok).toBe(true);
  });

  it('traces every client message as a send whose msg.type starts with Client', () => {
    const clientLines = r.lines.filter((l) => l.includes('"type":"send"') && l.includes('"from":"c1"'));
    expect(clientLines.length).toBeGreaterThanOrEqual(ops.length);
    for (const line of clientLines) expect(JSON.parse(line).msg.type).toMatch(/^Client/);
  });
});

describe('clients: no leader, timeouts, requireLeader', () => {
  // Node 3 is cut off from the other nodes (not from its clients): it loses its leader and holds requests.
  const r = runKv({
    ...base, until: 16_000,
    actions: [
      { at: 500, do: 'client', client: 'held', via: 3, timeoutMs: 4000 },
      { at: 500, do: 'client', client: 'eager', via: 3, requireLeader: true },
      { at: 500, do: 'client', client: 'ok', via: 1 },
      { at: 2000, do: 'isolate', node: 3 },
      { at: 5000, do: 'put', client: 'held', key: 'k', value: 'lost?' },
      { at: 5000, do: 'get', client: 'held', key: 'k' },
      { at: 5000, do: 'get', client: 'held', key: 'k', serializable: true },
      { at: 5000, do: 'put', client: 'eager', key: 'k', value: 'no' },
      { at: 5000, do: 'get', client: 'eager', key: 'k' },
      { at: 5000, do: 'put', client: 'ok', key: 'k', value: 'majority' },
    ],
  });

  it('ends an unanswered write as info and an unanswered read as fail, after the client\'s timeout', () => {
    const [put, get, stale] = opsOf(r, 'held');
    expect(put!.end).toMatchObject({ phase: 'info', error: 'etcdserver: request timed out' });
    expect(put!.end!.t - put!.invokedAt).toBe(4000);
    expect(get!.end).toMatchObject({ phase: 'fail', error: 'etcdserver: request timed out' });
    // A serializable read is served by the cut-off node itself: stale but answered.
    expect(resultOf(stale!)).toMatchObject({ count: 0 });
  });

  it('refuses at once with "etcdserver: no leader" for a requireLeader client', () => {
    for (const o of opsOf(r, 'eager')) {
      expect(o.end).toMatchObject({ phase: 'fail', error: 'etcdserver: no leader' });
      expect(o.end!.t - o.invokedAt).toBeLessThanOrEqual(2 * 30);
    }
  });

  it('serves the majority meanwhile, and stays linearizable', () => {
    expect(resultOf(opsOf(r, 'ok', 'put')[0]!)).toMatchObject({ header: { revision: 2 } });
    expect(checkHistory(r).linearizable).toBe(true);
  });
});

describe('clients: retries are applied once', () => {
  // Lossy links: requests and answers get lost, the client sends again with the same request id.
  const r = runKv({
    ...base, seed: 5, until: 40_000, network: { latencyMs: [5, 20], dropRate: 0.3 },
    actions: [
      { at: 500, do: 'client', client: 'c1', via: 2, retryMs: 150, timeoutMs: 30_000 },
      ...[1, 2, 3, 4, 5, 6].map((n) => ({ at: 1000, do: 'put', client: 'c1', key: 'k', value: `v${n}` })),
      { at: 1000, do: 'get', client: 'c1', key: 'k' },
    ],
  });

  it('retries, yet every put changes the key exactly once', () => {
    const puts = opsOf(r, 'c1', 'put');
    expect(puts.every((o) => o.end?.phase === 'ok')).toBe(true);
    const sends = r.lines.filter((l) => l.includes('"from":"c1"') && l.includes('"do":"put"')).length;
    expect(sends).toBeGreaterThan(puts.length); // some attempts were sent again
    const logged = r.events.filter((e) => e.type === 'append' && e.node === 1).flatMap((e) => (e.type === 'append' ? e.entries : []))
      .filter((entry) => entry.data?.includes('"do":"put"')).length;
    expect(logged).toBeGreaterThanOrEqual(puts.length);
    const get = resultOf(opsOf(r, 'c1', 'get')[0]!);
    expect(get.kvs).toEqual([expect.objectContaining({ value: 'v6', version: 6 })]);
    expect(checkHistory(r).linearizable).toBe(true);
  });
});

describe('clients: via "any"', () => {
  const r = runKv({
    ...base, seed: 3, until: 20_000,
    actions: [
      { at: 500, do: 'client', client: 'roamer', via: 'any' },
      { at: 1500, do: 'put', client: 'roamer', key: 'k', value: 'before' },
      { at: 4000, do: 'crash', node: 1 },
      { at: 4000, do: 'crash', node: 2 },
      { at: 4000, do: 'crash', node: 3 },
      { at: 4500, do: 'restart', node: 1 },
      { at: 4500, do: 'restart', node: 2 },
      { at: 4600, do: 'put', client: 'roamer', key: 'k', value: 'after' },
      { at: 4600, do: 'get', client: 'roamer', key: 'k' },
    ],
  });

  it('moves to another node when its node stops answering, and gets through', () => {
    const ops = opsOf(r, 'roamer');
    expect(ops.map((o) => o.end?.phase)).toEqual(['ok', 'ok', 'ok']);
    const targets = new Set(r.lines.filter((l) => l.includes('"from":"roamer"')).map((l) => JSON.parse(l).to));
    expect(targets.size).toBeGreaterThan(1);
    expect(resultOf(ops[2]!).kvs).toEqual([expect.objectContaining({ value: 'after', version: 2 })]);
    expect(checkHistory(r).linearizable).toBe(true);
  });
});

describe('clients: killClient', () => {
  const r = runKv({
    ...base, until: 9000,
    actions: [
      { at: 500, do: 'client', client: 'c1', via: 3 },
      { at: 1000, do: 'isolate', node: 3 },
      { at: 3000, do: 'put', client: 'c1', key: 'k', value: 'x' },
      { at: 3500, do: 'killClient', client: 'c1' },
      { at: 3600, do: 'put', client: 'c1', key: 'k', value: 'y' },
    ],
  });

  it('never completes the pending request, and later actions are no-ops', () => {
    const ops = opsOf(r, 'c1');
    expect(ops).toHaveLength(1);
    expect(ops[0]!.end).toBeUndefined();
    const after = r.events.find((e) => e.type === 'action' && e.t === 3600);
    expect(after).toMatchObject({ noop: true, reason: 'client c1 was killed' });
    // An operation that never completed counts as unknown: the history is still checkable.
    expect(checkHistory(r).linearizable).toBe(true);
  });
});

describe('clients: determinism', () => {
  const scenario = {
    ...base, seed: 99, until: 12_000, network: { latencyMs: [5, 40], dropRate: 0.1, duplicateRate: 0.1 },
    actions: [
      { at: 500, do: 'client', client: 'a', via: 'any' },
      { at: 500, do: 'client', client: 'b', via: 1 },
      { at: 1000, do: 'grant', client: 'a', lease: 'L', ttlMs: 2000 },
      { at: 1000, do: 'keepalive', client: 'a', lease: 'L' },
      { at: 1000, do: 'put', client: 'a', key: 's/a', value: '1', lease: 'L' },
      { at: 1000, do: 'watch', client: 'b', watch: 'w', key: 's/', prefix: true },
      { at: 3000, do: 'crash', node: 'leader' },
      { at: 5000, do: 'killClient', client: 'a' },
      { at: 6000, do: 'restart', node: 'lastCrashed' },
    ],
  };

  it('gives the same trace for the same seed', () => {
    const first = runKv(scenario);
    const second = runKv(scenario);
    expect(second.summary.traceSha256).toBe(first.summary.traceSha256);
    expect(first.client.length).toBeGreaterThan(5);
    expect(runKv({ ...scenario, seed: 100 }).summary.traceSha256).not.toBe(first.summary.traceSha256);
  });
});

describe('clients: read modes and forwarding', () => {
  it('serves linearizable reads from a follower with the leader lease (readOnly "lease")', () => {
    const r = runKv({
      ...base, config: { electionTimeoutMs: ET, readOnly: 'lease' }, until: 6000,
      actions: [
        { at: 500, do: 'client', client: 'w', via: 1 },
        { at: 500, do: 'client', client: 'r', via: 3 },
        ...[1, 2, 3].map((n) => ({ at: 1500 + n * 300, do: 'put', client: 'w', key: 'k', value: `v${n}` })),
        ...[1, 2, 3].map((n) => ({ at: 1650 + n * 300, do: 'get', client: 'r', key: 'k' })),
      ],
    });
    expect(opsOf(r, 'r').map((o) => o.end?.phase)).toEqual(['ok', 'ok', 'ok']);
    expect(checkHistory(r).linearizable).toBe(true);
  });

  it('with proposal forwarding off, a pinned client on a follower is refused and a roaming one moves to the leader', () => {
    const r = runKv({
      ...base, config: { electionTimeoutMs: ET, disableProposalForwarding: true }, until: 8000,
      actions: [
        { at: 500, do: 'client', client: 'pinned', via: 1 },
        { at: 500, do: 'client', client: 'roamer', via: 'any' },
        { at: 500, do: 'client', client: 'reader', via: 2 },
        { at: 2500, do: 'put', client: 'pinned', key: 'k', value: 'p' },
        { at: 2500, do: 'put', client: 'roamer', key: 'k', value: 'r' },
        { at: 4000, do: 'get', client: 'reader', key: 'k' },
      ],
    });
    const leader = r.summary.leaders[0]!.node;
    const pinned = opsOf(r, 'pinned')[0]!;
    expect(leader).not.toBe(1); // this seed elects another node: the pinned client's node is a follower
    expect(pinned.end).toMatchObject({ phase: 'fail', error: `etcdserver: not leader (leader is ${leader})` });
    expect(opsOf(r, 'roamer')[0]!.end?.phase).toBe('ok');
    expect(resultOf(opsOf(r, 'reader')[0]!).kvs).toEqual([expect.objectContaining({ value: 'r', version: 1 })]);
    expect(checkHistory(r).linearizable).toBe(true);
  });
});

describe('clients: their own links', () => {
  const r = runKv({
    ...base, until: 16_000,
    actions: [
      { at: 500, do: 'client', client: 'c1', via: 2, timeoutMs: 3000 },
      { at: 500, do: 'client', client: 'c2', via: 'any', timeoutMs: 3000 },
      { at: 1500, do: 'cut', from: 2, to: 'c1' },
      { at: 1600, do: 'put', client: 'c1', key: 'k', value: 'answer lost' },
      { at: 5000, do: 'restore', from: 2, to: 'c1' },
      { at: 5100, do: 'get', client: 'c1', key: 'k' },
      { at: 6000, do: 'isolate', node: 2 },
      { at: 6100, do: 'get', client: 'c1', key: 'k', serializable: true },
      { at: 7000, do: 'heal' },
      { at: 8000, do: 'partition', groups: [[1, 2, 3], ['c2']] },
      { at: 8100, do: 'put', client: 'c2', key: 'k', value: 'unreachable' },
      { at: 12_000, do: 'heal' },
      { at: 12_100, do: 'get', client: 'c2', key: 'k' },
    ],
  });
  const [put, get, stale] = opsOf(r, 'c1');

  it('a cut answer path makes a write unknown, though it was applied', () => {
    expect(put!.end).toMatchObject({ phase: 'info', error: 'etcdserver: request timed out' });
    expect(resultOf(get!).kvs).toEqual([expect.objectContaining({ value: 'answer lost' })]);
  });

  it('isolate cuts node links only: the client still reaches its node', () => {
    expect(resultOf(stale!).kvs).toEqual([expect.objectContaining({ value: 'answer lost' })]);
  });

  it('a partition group listing a client cuts it from the nodes outside its group, until heal', () => {
    expect(opsOf(r, 'c2', 'put')[0]!.end).toMatchObject({ phase: 'info' });
    expect(resultOf(opsOf(r, 'c2', 'get')[0]!).kvs).toEqual([expect.objectContaining({ value: 'answer lost' })]);
    expect(checkHistory(r).linearizable).toBe(true);
  });
});
