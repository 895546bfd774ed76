import { describe, expect, it } from 'vitest';
import { checkTraceHistory, hasClientEvents } from '../../src/check/traceHistory.ts';
import { traceToKvHistory } from '../../src/check/formats/flotillaTrace.ts';
import { kv, TraceBuilder } from './traceBuilder.ts';

const verdict = (trace: TraceBuilder) => checkTraceHistory(trace.events).linearizable;

describe('etcd key-value model on Flotilla traces', () => {
  it('accepts a put then a get that returns it with its revisions', () => {
    const trace = new TraceBuilder();
    trace.call('c1', { do: 'put', key: 'a', value: '1' }, 2);
    trace.call('c2', { do: 'get', key: 'a' }, 2, { kvs: [kv('a', '1', 2, 2, 1)], count: 1 });
    const result = checkTraceHistory(trace.events);
    expect(result.linearizable).toBe(true);
    expect(result.operations).toBe(2);
    expect(result.revisionOrder.ok).toBe(true);
  });

  it('rejects a stale read after a newer put completed', () => {
    const trace = new TraceBuilder();
    trace.call('c1', { do: 'put', key: 'a', value: '1' }, 2);
    trace.call('c1', { do: 'put', key: 'a', value: '2' }, 3);
    trace.call('c2', { do: 'get', key: 'a' }, 2, { kvs: [kv('a', '1', 2, 2, 1)], count: 1 });
    const result = checkTraceHistory(trace.events);
    expect(result.linearizable).toBe(false);
    expect(result.failure?.partition).toBe('key "a"');
    expect(result.failure?.blockedOperation).toContain('get "a"');
  });

  it('rejects a read whose metadata disagrees with the writes (version, createRevision)', () => {
    const trace = new TraceBuilder();
    trace.call('c1', { do: 'put', key: 'a', value: '1' }, 2);
    trace.call('c1', { do: 'put', key: 'a', value: '2' }, 3);
    trace.call('c2', { do: 'get', key: 'a' }, 3, { kvs: [kv('a', '2', 3, 3, 1)], count: 1 });
    expect(verdict(trace)).toBe(false);
  });

  it('orders events of the same millisecond as the trace lists them', () => {
    // The put's reply and the get's invoke share t=2000, but the reply came first: the get must see the put.
    const trace = new TraceBuilder();
    const put = trace.invoke('c1', { do: 'put', key: 'a', value: '1' }, 1990);
    trace.ok('c1', put, 2, {}, 2000);
    const get = trace.invoke('c2', { do: 'get', key: 'a' }, 2000);
    trace.ok('c2', get, 1, { kvs: [], count: 0 }, 2010);
    expect(verdict(trace)).toBe(false);
  });

  it('lets a read concurrent with a put see it or not', () => {
    for (const seen of [true, false]) {
      const trace = new TraceBuilder();
      const put = trace.invoke('c1', { do: 'put', key: 'a', value: '1' });
      const get = trace.invoke('c2', { do: 'get', key: 'a' });
      trace.ok('c2', get, seen ? 2 : 1, seen ? { kvs: [kv('a', '1', 2, 2, 1)], count: 1 } : { kvs: [], count: 0 });
      trace.ok('c1', put, 2);
      expect(verdict(trace)).toBe(true);
    }
  });

  it('lets a put of unknown outcome (info) take effect after its info event, or never', () => {
    const late = new TraceBuilder();
    const put = late.invoke('c1', { do: 'put', key: 'a', value: 'x' });
    late.info('c1', put);
    late.call('c2', { do: 'get', key: 'a' }, 1, { kvs: [], count: 0 });
    late.call('c2', { do: 'get', key: 'a' }, 2, { kvs: [kv('a', 'x', 2, 2, 1)], count: 1 });
    expect(verdict(late)).toBe(true);

    const killed = new TraceBuilder(); // the client died: no completion at all
    killed.invoke('c1', { do: 'put', key: 'a', value: 'x' });
    killed.call('c2', { do: 'get', key: 'a' }, 1, { kvs: [], count: 0 });
    expect(verdict(killed)).toBe(true);
  });

  it('rejects a read of a value whose put failed (fail means it never happened)', () => {
    const trace = new TraceBuilder();
    const put = trace.invoke('c1', { do: 'put', key: 'a', value: 'x' });
    trace.fail('c1', put);
    trace.call('c2', { do: 'get', key: 'a' }, 2, { kvs: [kv('a', 'x', 2, 2, 1)], count: 1 });
    expect(verdict(trace)).toBe(false);
  });

  it('checks prevKv and prevKvs only when the request asked for them', () => {
    const asked = new TraceBuilder();
    asked.call('c1', { do: 'put', key: 'a', value: '1' }, 2, { prevKv: null });
    asked.call('c1', { do: 'put', key: 'a', value: '2', prevKv: true }, 3, { prevKv: kv('a', '1', 2, 2, 1) });
    asked.call('c1', { do: 'delete', key: 'a', prevKv: true }, 4, { deleted: 1, prevKvs: [kv('a', '2', 2, 3, 2)] });
    expect(verdict(asked)).toBe(true);

    const wrongPrev = new TraceBuilder();
    wrongPrev.call('c1', { do: 'put', key: 'a', value: '1' }, 2);
    wrongPrev.call('c1', { do: 'put', key: 'a', value: '2', prevKv: true }, 3, { prevKv: null });
    expect(verdict(wrongPrev)).toBe(false);

    const wrongPrevKvs = new TraceBuilder();
    wrongPrevKvs.call('c1', { do: 'put', key: 'a', value: '1' }, 2);
    wrongPrevKvs.call('c1', { do: 'delete', key: 'a', prevKv: true }, 3, { deleted: 1, prevKvs: [kv('a', 'other', 2, 2, 1)] });
    expect(verdict(wrongPrevKvs)).toBe(false);
  });

  it('rejects write revisions that go back along real time on one key', () => {
    const trace = new TraceBuilder();
    trace.call('c1', { do: 'put', key: 'a', value: '1' }, 5);
    trace.call('c2', { do: 'put', key: 'a', value: '2' }, 4);
    expect(verdict(trace)).toBe(false);
  });

  it('checks deletes: deleted counts and reads after them', () => {
    const trace = new TraceBuilder();
    trace.call('c1', { do: 'put', key: 'a', value: '1' }, 2);
    trace.call('c1', { do: 'delete', key: 'a' }, 3, { deleted: 1 });
    trace.call('c2', { do: 'get', key: 'a' }, 3, { kvs: [], count: 0 });
    trace.call('c2', { do: 'put', key: 'a', value: '2' }, 4);
    trace.call('c2', { do: 'get', key: 'a' }, 4, { kvs: [kv('a', '2', 4, 4, 1)], count: 1 });
    expect(verdict(trace)).toBe(true);

    const wrongCount = new TraceBuilder();
    wrongCount.call('c1', { do: 'delete', key: 'a' }, 1, { deleted: 1 });
    expect(verdict(wrongCount)).toBe(false);
  });

  describe('txn as compare-and-set', () => {
    const campaign = (value: string) => ({
      do: 'txn',
      compare: [{ key: 'lock', target: 'createRevision', op: '=', value: 0 }],
      success: [{ put: { key: 'lock', value } }],
      failure: [{ get: { key: 'lock' } }],
    });

    it('accepts one winner, the loser seeing the winner in its failure branch', () => {
      const trace = new TraceBuilder();
      const a = trace.invoke('c1', campaign('c1'));
      const b = trace.invoke('c2', campaign('c2'));
      trace.ok('c2', b, 2, { succeeded: true, responses: [{ put: {} }] });
      trace.ok('c1', a, 2, { succeeded: false, responses: [{ get: { kvs: [kv('lock', 'c2', 2, 2, 1)], count: 1 } }] });
      expect(verdict(trace)).toBe(true);
    });

    it('rejects two winners of the same compare', () => {
      const trace = new TraceBuilder();
      const a = trace.invoke('c1', campaign('c1'));
      const b = trace.invoke('c2', campaign('c2'));
      trace.ok('c2', b, 2, { succeeded: true, responses: [{ put: {} }] });
      trace.ok('c1', a, 3, { succeeded: true, responses: [{ put: {} }] });
      expect(verdict(trace)).toBe(false);
    });

    it('compares on value, version and modRevision', () => {
      const trace = new TraceBuilder();
      trace.call('c1', { do: 'put', key: 'k', value: 'v1' }, 2);
      trace.call('c1', {
        do: 'txn',
        compare: [
          { key: 'k', target: 'value', op: '=', value: 'v1' },
          { key: 'k', target: 'version', op: '=', value: 1 },
          { key: 'k', target: 'modRevision', op: '<', value: 3 },
        ],
        success: [{ put: { key: 'k', value: 'v2' } }],
        failure: [],
      }, 3, { succeeded: true, responses: [{ put: {} }] });
      trace.call('c2', { do: 'get', key: 'k' }, 3, { kvs: [kv('k', 'v2', 2, 3, 2)], count: 1 });
      expect(verdict(trace)).toBe(true);

      const wrong = new TraceBuilder();
      wrong.call('c1', { do: 'put', key: 'k', value: 'v1' }, 2);
      wrong.call('c1', {
        do: 'txn', compare: [{ key: 'k', target: 'value', op: '=', value: 'other' }], success: [], failure: [],
      }, 2, { succeeded: true, responses: [] });
      expect(verdict(wrong)).toBe(false);
    });

    it('treats a compare on a revision the history has not shown as either outcome', () => {
      // The put's outcome is unknown, so its modRevision is too; the txn's compare could go either way.
      for (const succeeded of [true, false]) {
        const trace = new TraceBuilder();
        const put = trace.invoke('c1', { do: 'put', key: 'k', value: 'v' });
        trace.info('c1', put);
        trace.call('c2', {
          do: 'txn', compare: [{ key: 'k', target: 'modRevision', op: '=', value: 2 }], success: [], failure: [],
        }, 2, { succeeded, responses: [] });
        expect(verdict(trace)).toBe(true);
      }
    });

    it('keeps a single-key txn in its key partition, and merges keys a multi-key txn touches', () => {
      const single = new TraceBuilder();
      single.call('c1', { do: 'put', key: 'a', value: '1' }, 2);
      single.call('c1', { do: 'put', key: 'b', value: '1' }, 3);
      single.call('c1', campaign('c1'), 4, { succeeded: true, responses: [{ put: {} }] });
      expect(checkTraceHistory(single.events).partitions).toBe(3);

      const multi = new TraceBuilder();
      multi.call('c1', { do: 'put', key: 'a', value: '1' }, 2);
      multi.call('c1', { do: 'put', key: 'b', value: '1' }, 3);
      multi.call('c1', {
        do: 'txn', compare: [{ key: 'a', target: 'value', op: '=', value: '1' }], success: [{ put: { key: 'b', value: '2' } }], failure: [],
      }, 4, { succeeded: true, responses: [{ put: {} }] });
      const result = checkTraceHistory(multi.events);
      expect(result.partitions).toBe(1);
      expect(result.linearizable).toBe(true);
    });
  });

  it('checks prefix reads over every key of the history under the prefix', () => {
    const trace = new TraceBuilder();
    trace.call('c1', { do: 'put', key: 'svc/a', value: '1' }, 2);
    trace.call('c1', { do: 'put', key: 'svc/b', value: '2' }, 3);
    trace.call('c1', { do: 'put', key: 'other', value: '3' }, 4);
    trace.call('c2', { do: 'get', key: 'svc/', prefix: true }, 4,
      { kvs: [kv('svc/a', '1', 2, 2, 1), kv('svc/b', '2', 3, 3, 1)], count: 2 });
    const result = checkTraceHistory(trace.events);
    expect(result.linearizable).toBe(true);
    expect(result.partitions).toBe(2);

    const missing = new TraceBuilder();
    missing.call('c1', { do: 'put', key: 'svc/a', value: '1' }, 2);
    missing.call('c2', { do: 'get', key: 'svc/', prefix: true }, 2, { kvs: [], count: 0 });
    expect(verdict(missing)).toBe(false);
  });

  it('deletes the keys of a revoked lease, and of an expired lease at some time after the expiry', () => {
    const revoked = new TraceBuilder();
    const grant = revoked.invoke('c1', { do: 'grant', lease: 'L1', ttlMs: 3000 });
    revoked.ok('c1', grant, 1, { id: '694d77aa9e38260f', ttlMs: 3000 });
    revoked.call('c1', { do: 'put', key: 'svc/a', value: 'x', lease: 'L1' }, 2);
    revoked.call('c2', { do: 'get', key: 'svc/a' }, 2, { kvs: [kv('svc/a', 'x', 2, 2, 1, '694d77aa9e38260f')], count: 1 });
    revoked.call('c1', { do: 'revoke', lease: 'L1' }, 3);
    revoked.call('c2', { do: 'get', key: 'svc/a' }, 3, { kvs: [], count: 0 });
    expect(verdict(revoked)).toBe(true);

    const expired = new TraceBuilder();
    expired.call('c1', { do: 'put', key: 'svc/a', value: 'x', lease: 'L1' }, 2);
    expired.event({ type: 'lease', node: 1, lease: 'L1', id: '694d77aa9e38260f', event: 'expired' });
    expired.call('c2', { do: 'get', key: 'svc/a' }, 2, { kvs: [kv('svc/a', 'x', 2, 2, 1, '694d77aa9e38260f')], count: 1 });
    expired.call('c2', { do: 'get', key: 'svc/a' }, 3, { kvs: [], count: 0 });
    expect(verdict(expired)).toBe(true);

    const vanished = new TraceBuilder(); // no revoke, no expiry: the key cannot disappear
    vanished.call('c1', { do: 'put', key: 'svc/a', value: 'x', lease: 'L1' }, 2);
    vanished.call('c2', { do: 'get', key: 'svc/a' }, 2, { kvs: [], count: 0 });
    expect(verdict(vanished)).toBe(false);
  });

  it('rejects a key read with another lease than the one it was put with', () => {
    const trace = new TraceBuilder();
    trace.event({ type: 'lease', node: 1, lease: 'L1', id: 'aa', event: 'granted' });
    trace.event({ type: 'lease', node: 1, lease: 'L2', id: 'bb', event: 'granted' });
    trace.call('c1', { do: 'put', key: 'a', value: 'x', lease: 'L1' }, 2);
    trace.call('c2', { do: 'get', key: 'a' }, 2, { kvs: [kv('a', 'x', 2, 2, 1, 'bb')], count: 1 });
    expect(verdict(trace)).toBe(false);
  });

  it('ignores serializable reads and reads at a past revision (also inside a txn): they may be stale by design', () => {
    const trace = new TraceBuilder();
    trace.call('c1', { do: 'put', key: 'a', value: '1' }, 2);
    trace.call('c1', { do: 'put', key: 'a', value: '2' }, 3);
    trace.call('c2', { do: 'get', key: 'a', serializable: true }, 2, { kvs: [kv('a', '1', 2, 2, 1)], count: 1 });
    trace.call('c2', { do: 'get', key: 'a', revision: 2 }, 3, { kvs: [kv('a', '1', 2, 2, 1)], count: 1 });
    trace.call('c2', {
      do: 'txn', compare: [], success: [{ get: { key: 'a', revision: 2 } }], failure: [],
    }, 3, { succeeded: true, responses: [{ get: { kvs: [kv('a', '1', 2, 2, 1)], count: 1 } }] });
    const result = checkTraceHistory(trace.events);
    expect(result.linearizable).toBe(true);
    expect(result.operations).toBe(3);
  });

  it('skips operations that change no key (grant, keepalive, watch, compact) and the other event types', () => {
    const trace = new TraceBuilder();
    trace.event({ type: 'state', node: 1, role: 'leader', term: 2 });
    trace.call('c1', { do: 'watch', watch: 'w1', key: 'a' }, 1);
    trace.call('c1', { do: 'compact', revision: 1 }, 1);
    expect(hasClientEvents(trace.events)).toBe(true);
    expect(traceToKvHistory(trace.events)).toEqual([]);
    expect(checkTraceHistory(trace.events).linearizable).toBe(true);
    expect(hasClientEvents([{ type: 'header' }])).toBe(false);
  });

  it('reports undecided when the step budget runs out', () => {
    const trace = new TraceBuilder();
    trace.call('c1', { do: 'put', key: 'a', value: '1' }, 2);
    trace.call('c2', { do: 'get', key: 'a' }, 2, { kvs: [kv('a', '1', 2, 2, 1)], count: 1 });
    const result = checkTraceHistory(trace.events, { maxSteps: 1 });
    expect(result.linearizable).toBe('undecided');
    expect(result.failure?.partition).toBe('key "a"');
  });

  it('names the event and field of a malformed client event', () => {
    const trace = new TraceBuilder();
    const id = trace.invoke('c1', { do: 'put', key: 'a', value: '1' });
    trace.event({ type: 'client', client: 'c1', id, phase: 'ok', result: { header: {} } });
    expect(() => checkTraceHistory(trace.events)).toThrow(/event 3: result\.header\.revision must be an integer/);
    expect(() => checkTraceHistory([{ type: 'client', client: 'c1', id: 9, phase: 'ok' }])).toThrow(/event 1: client c1 completes operation 9 it never invoked/);
  });
});
