import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkTraceHistory } from '../../src/check/traceHistory.ts';

/**
 * Histories of a real (tiny, sequential) etcd-like store: operations take effect one after another at points
 * 10*i, each inside a random interval around its point; some writes end as `info` (whether they took effect or
 * not). The checker must accept every such history: the run itself is a linearization.
 */
interface Planned {
  readonly kind: 'put' | 'get' | 'delete' | 'cas' | 'prefix';
  readonly key: string;
  readonly value: string;
  readonly version: number;
  readonly before: number;
  readonly after: number;
  /** 0: ok; 1: took effect, reported info; 2: did not take effect, reported info. */
  readonly fate: 0 | 1 | 2;
}

interface Stored { value: string; version: number; createRevision: number; modRevision: number }

const planned: fc.Arbitrary<Planned> = fc.record({
  kind: fc.constantFrom('put', 'get', 'delete', 'cas', 'prefix'),
  key: fc.constantFrom('k/a', 'k/b', 'x'),
  value: fc.constantFrom('1', '2', '3'),
  version: fc.integer({ min: 0, max: 3 }),
  before: fc.integer({ min: 0, max: 35 }),
  after: fc.integer({ min: 0, max: 35 }),
  fate: fc.constantFrom(0, 0, 0, 1, 2) as fc.Arbitrary<0 | 1 | 2>,
});

function run(plan: readonly Planned[]): object[] {
  const store = new Map<string, Stored>();
  let revision = 1;
  const pair = (key: string) => {
    const s = store.get(key)!;
    return { key, value: s.value, createRevision: s.createRevision, modRevision: s.modRevision, version: s.version, lease: '0' };
  };
  const put = (key: string, value: string) => {
    revision++;
    const old = store.get(key);
    store.set(key, { value, version: (old?.version ?? 0) + 1, createRevision: old?.createRevision ?? revision, modRevision: revision });
  };
  const timed: { t: number; seq: number; event: object }[] = [];
  plan.forEach((p, i) => {
    const point = 10 * i;
    const client = `c${i}`;
    let op: object;
    let result: object = {};
    const isWrite = p.kind === 'put' || p.kind === 'delete' || p.kind === 'cas';
    const applies = !isWrite || p.fate !== 2;
    switch (p.kind) {
      case 'put':
        op = { do: 'put', key: p.key, value: p.value };
        if (applies) put(p.key, p.value);
        break;
      case 'get':
        op = { do: 'get', key: p.key };
        result = store.has(p.key) ? { kvs: [pair(p.key)], count: 1 } : { kvs: [], count: 0 };
        break;
      case 'prefix': {
        op = { do: 'get', key: 'k/', prefix: true };
        const keys = [...store.keys()].filter((k) => k.startsWith('k/')).sort();
        result = { kvs: keys.map(pair), count: keys.length };
        break;
      }
      case 'delete': {
        op = { do: 'delete', key: p.key };
        const present = store.has(p.key);
        if (applies && present) {
          revision++;
          store.delete(p.key);
        }
        result = { deleted: present ? 1 : 0 };
        break;
      }
      case 'cas': {
        op = {
          do: 'txn',
          compare: [{ key: p.key, target: 'version', op: '=', value: p.version }],
          success: [{ put: { key: p.key, value: p.value } }],
          failure: [{ get: { key: p.key } }],
        };
        const succeeded = (store.get(p.key)?.version ?? 0) === p.version;
        if (succeeded && applies) put(p.key, p.value);
        result = succeeded
          ? { succeeded, responses: [{ put: {} }] }
          : { succeeded, responses: [{ get: store.has(p.key) ? { kvs: [pair(p.key)], count: 1 } : { kvs: [], count: 0 } }] };
        break;
      }
    }
    const id = i + 1;
    timed.push({ t: point - p.before, seq: 2 * i, event: { type: 'client', client, id, phase: 'invoke', op } });
    const completion = isWrite && p.fate !== 0
      ? { type: 'client', client, id, phase: 'info', error: 'etcdserver: request timed out' }
      : { type: 'client', client, id, phase: 'ok', result: { header: { revision }, ...result } };
    timed.push({ t: point + p.after, seq: 2 * i + 1, event: completion });
  });
  timed.sort((a, b) => a.t - b.t || a.seq - b.seq);
  return [{ type: 'header', format: 'flotilla-trace', version: 1 }, ...timed.map(({ t, event }) => ({ t, ...event }))];
}

describe('etcd model (properties)', () => {
  it('accepts every history of a sequential etcd-like store, with overlaps and unknown outcomes', () => {
    fc.assert(
      fc.property(fc.array(planned, { minLength: 1, maxLength: 30 }), (plan) => {
        const result = checkTraceHistory(run(plan));
        expect(result.failure?.blockedOperation ?? '').toBe('');
        expect(result.linearizable).toBe(true);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('rejects the history once a last read shows a value nobody wrote', () => {
    fc.assert(
      fc.property(fc.array(planned, { minLength: 1, maxLength: 30 }), (plan) => {
        const events = run([...plan, { kind: 'get', key: 'x', value: '', version: 0, before: 0, after: 0, fate: 0 }]);
        const read = events.find((e) => (e as { client?: string; phase?: string }).client === `c${plan.length}`
          && (e as { phase?: string }).phase === 'ok') as { result: { header: { revision: number } } };
        const revision = read.result.header.revision;
        (read as { result: object }).result = {
          header: { revision }, count: 1, kvs: [{ key: 'x', value: 'never', createRevision: 1, modRevision: 1, version: 1, lease: '0' }],
        };
        expect(checkTraceHistory(events).linearizable).toBe(false);
      }),
      { numRuns: 100, seed: 12 },
    );
  });
});
