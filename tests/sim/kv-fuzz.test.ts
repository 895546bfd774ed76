/**
 * The fuzzer drives clients too: every seed's client history must be linearizable (undecided counts as a
 * failure), revisions seen by a client never go back, and watch streams have no gap, duplicate or reordering.
 * The checks themselves are shown to catch a tampered history and a tampered watch stream.
 */
import { describe, expect, it } from 'vitest';
import { checkTraceHistory } from '../../src/check/index.ts';
import { checkWatchStreams } from '../../src/etcd/client/watchCheck.ts';
import { runFuzzSeed } from '../../src/sim/fuzz/fuzz.ts';
import type { SimEvent } from '../../src/sim/traceEvents.ts';

describe('fuzzing with clients', () => {
  it('passes 60 seeds x 20000 events with 1-8 clients: linearizable histories, sound watch streams', () => {
    let operations = 0;
    const clientCounts = new Set<number>();
    for (let seed = 1000; seed < 1060; seed++) {
      const grantsAndRevokes: string[] = [];
      const r = runFuzzSeed(seed, {
        events: 20_000,
        listener: (e) => e.type === 'lease' && (e.event === 'granted' || e.event === 'revoked') && grantsAndRevokes.push(`${e.event} ${e.id}`),
      });
      expect(r.ok, `seed ${seed}: ${r.violation?.message ?? r.livenessFailure ?? r.error ?? r.clientFailure}`).toBe(true);
      // Lease events come once each, from the node that decided (crashes and restarts included).
      expect(new Set(grantsAndRevokes).size, `seed ${seed}`).toBe(grantsAndRevokes.length);
      operations += r.clientOperations ?? 0;
      clientCounts.add(r.clients!.clients);
    }
    expect(operations).toBeGreaterThan(1000);
    expect(clientCounts.size).toBeGreaterThan(4);
  }, 120_000);

  it('replays a seed to the same client history', () => {
    const collect = (): string[] => {
      const lines: string[] = [];
      runFuzzSeed(1001, { events: 20_000, listener: (e: SimEvent) => e.type === 'client' && lines.push(JSON.stringify(e)) });
      return lines;
    };
    const first = collect();
    expect(first.length).toBeGreaterThan(20);
    expect(collect()).toEqual(first);
  });
});

describe('the client-side checks can fail', () => {
  const events: SimEvent[] = [];
  runFuzzSeed(1003, { events: 20_000, listener: (e) => events.push(e) });
  const objects = events as unknown as Record<string, unknown>[];

  it('finds a read answered with a value never written', () => {
    expect(checkTraceHistory(objects).linearizable).toBe(true);
    // A linearizable read (a serializable one is stale by design and constrains nothing).
    const serializable = new Set(objects.filter((e) => e.type === 'client' && e.phase === 'invoke' && (e.op as { serializable?: boolean }).serializable)
      .map((e) => `${String(e.client)}#${String(e.id)}`));
    const i = objects.findIndex((e) => e.type === 'client' && e.phase === 'ok' && Array.isArray((e.result as { kvs?: unknown[] }).kvs)
      && (e.result as { kvs: unknown[] }).kvs.length > 0 && !serializable.has(`${String(e.client)}#${String(e.id)}`));
    expect(i).toBeGreaterThan(0);
    const forged = structuredClone(objects);
    const kv = (forged[i]!.result as { kvs: { value: string }[] }).kvs[0]!;
    kv.value = 'never-written';
    expect(checkTraceHistory(forged).linearizable).toBe(false);
  });

  it('finds a watch event dropped, duplicated or reordered', () => {
    expect(checkWatchStreams(objects)).toMatchObject({ ok: true });
    const withEvents = objects.map((e, i) => ({ e, i })).filter(({ e }) => e.type === 'watch' && (e.events as unknown[]).length > 0);
    expect(withEvents.length).toBeGreaterThan(2);
    const dropped = objects.filter((_, i) => i !== withEvents[0]!.i);
    expect(checkWatchStreams(dropped).ok).toBe(false);
    const duplicated = [...objects];
    duplicated.splice(withEvents[1]!.i, 0, withEvents[1]!.e);
    expect(checkWatchStreams(duplicated).ok).toBe(false);
    const reordered = [...objects];
    reordered[withEvents[0]!.i] = withEvents[1]!.e;
    reordered[withEvents[1]!.i] = withEvents[0]!.e;
    expect(checkWatchStreams(reordered).ok).toBe(false);
  });
});

describe('the watch check on a history without its log', () => {
  const events: SimEvent[] = [];
  runFuzzSeed(1003, { events: 20_000, listener: (e) => events.push(e) });
  const withoutLog = (events as unknown as Record<string, unknown>[]).filter((e) => e.type !== 'apply');

  it('checks order and duplicates only', () => {
    const verdict = checkWatchStreams(withoutLog);
    expect(verdict).toMatchObject({ ok: true, againstLog: false });
    expect(verdict.events).toBeGreaterThan(0);
    const i = withoutLog.findIndex((e) => e.type === 'watch' && (e.events as unknown[]).length > 0);
    const duplicated = [...withoutLog];
    duplicated.splice(i + 1, 0, withoutLog[i]!);
    expect(checkWatchStreams(duplicated).ok).toBe(false);
  });
});
