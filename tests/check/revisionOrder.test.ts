import { describe, expect, it } from 'vitest';
import { checkRevisionOrder } from '../../src/check/revisionOrder.ts';
import { checkTraceHistory } from '../../src/check/traceHistory.ts';
import { kv, TraceBuilder } from './traceBuilder.ts';

describe('per-client revision order', () => {
  it('accepts revisions that never go back per client, whatever other clients saw', () => {
    const trace = new TraceBuilder();
    trace.call('c1', { do: 'put', key: 'a', value: '1' }, 5);
    trace.call('c1', { do: 'get', key: 'a' }, 5, { kvs: [kv('a', '1', 5, 5, 1)], count: 1 });
    trace.call('c2', { do: 'get', key: 'b' }, 3, { kvs: [], count: 0 });
    const result = checkRevisionOrder(trace.events);
    expect(result).toEqual({ ok: true, results: 3, regressions: [] });
  });

  it('reports every place a client saw the revision go back', () => {
    const trace = new TraceBuilder();
    trace.call('c1', { do: 'put', key: 'a', value: '1' }, 5);
    const id = trace.call('c1', { do: 'get', key: 'b' }, 4, { kvs: [], count: 0 });
    trace.call('c1', { do: 'get', key: 'b' }, 5, { kvs: [], count: 0 });
    const result = checkRevisionOrder(trace.events);
    expect(result.ok).toBe(false);
    expect(result.regressions).toEqual([{ client: 'c1', id: String(id), event: 5, revision: 4, previous: 5 }]);
  });

  it('compares with what the client had seen when it invoked: overlapping operations may end out of order', () => {
    const trace = new TraceBuilder();
    const read = trace.invoke('c1', { do: 'get', key: 'a' });
    trace.call('c1', { do: 'put', key: 'b', value: '1' }, 5);
    // The read was in flight while the put completed: served at revision 4, it is no regression...
    trace.ok('c1', read, 4, { kvs: [], count: 0 });
    // ...but a read invoked after the put completed must not go back.
    const late = trace.invoke('c1', { do: 'get', key: 'a' });
    trace.ok('c1', late, 4, { kvs: [], count: 0 });
    const result = checkRevisionOrder(trace.events);
    expect(result.regressions).toEqual([{ client: 'c1', id: String(late), event: 7, revision: 4, previous: 5 }]);
  });

  it('ignores serializable reads, failed and unknown operations, and non key-value results', () => {
    const trace = new TraceBuilder();
    trace.call('c1', { do: 'put', key: 'a', value: '1' }, 5);
    trace.call('c1', { do: 'get', key: 'a', serializable: true }, 2, { kvs: [], count: 0 });
    trace.call('c1', { do: 'keepalive', lease: 'L1' }, 1, { ttlMs: 3000 });
    const failed = trace.invoke('c1', { do: 'put', key: 'a', value: '2' });
    trace.fail('c1', failed);
    expect(checkRevisionOrder(trace.events)).toEqual({ ok: true, results: 1, regressions: [] });
  });

  it('is reported next to, not inside, the linearizability verdict', () => {
    const trace = new TraceBuilder();
    trace.call('c1', { do: 'put', key: 'a', value: '1' }, 5);
    trace.call('c1', { do: 'put', key: 'b', value: '1' }, 4);
    const result = checkTraceHistory(trace.events);
    expect(result.linearizable).toBe(true); // different keys: each partition alone is consistent
    expect(result.revisionOrder.ok).toBe(false);
  });
});
