/**
 * Histories that used to be misread (issue 10, bug 5): EDN integers beyond 2^53 were rounded into each other;
 * EDN keys named like Object.prototype's members were not plain keys; a Flotilla trace's client operation with an
 * unknown `op.do` was silently left out of the check; a header with `"nodes": []` was accepted.
 */
import { describe, expect, it } from 'vitest';
import { checkOperations } from '../../src/check/linearizability.ts';
import { parseEdnMap } from '../../src/check/formats/edn.ts';
import { parseEdnKvHistory } from '../../src/check/formats/ednHistory.ts';
import { parseJepsenRegisterLog } from '../../src/check/formats/jepsenLog.ts';
import { stringRegisterModel } from '../../src/check/models/stringRegister.ts';
import { checkTraceHistory } from '../../src/check/traceHistory.ts';
import { parseTrace } from '../../src/sim/traceReader.ts';
import { TraceBuilder } from './traceBuilder.ts';

const edn = (lines: string[]) => checkOperations(stringRegisterModel, parseEdnKvHistory(lines.join('\n')));

describe('EDN integers beyond 2^53', () => {
  it('are read exactly (as BigInt), so two of them stay different', () => {
    const a = parseEdnMap('{:value 12345678901234567890}').value;
    const b = parseEdnMap('{:value 12345678901234567891}').value;
    expect(a).toBe(12345678901234567890n);
    expect(b).toBe(12345678901234567891n);
    expect(a).not.toBe(b);
    expect(parseEdnMap('{:value -9007199254740993N, :small 42, :n 42N}')).toEqual({ value: -9007199254740993n, small: 42, n: 42 });
  });

  it('make a history that reads back another big value not linearizable, and one that reads its own linearizable', () => {
    const put = '{:process 1, :type :invoke, :f :put, :key "k", :value 12345678901234567890}';
    const putOk = '{:process 1, :type :ok, :f :put, :key "k", :value 12345678901234567890}';
    const get = '{:process 2, :type :invoke, :f :get, :key "k", :value nil}';
    expect(edn([put, putOk, get, '{:process 2, :type :ok, :f :get, :key "k", :value 12345678901234567891}']).linearizable).toBe(false);
    expect(edn([put, putOk, get, '{:process 2, :type :ok, :f :get, :key "k", :value 12345678901234567890}']).linearizable).toBe(true);
    // Keys and processes beyond 2^53 are distinct too: two puts to two big keys do not overwrite each other.
    const history = [
      '{:process 18446744073709551616, :type :invoke, :f :put, :key 9007199254740993, :value "a"}',
      '{:process 18446744073709551616, :type :ok, :f :put, :key 9007199254740993, :value "a"}',
      '{:process 18446744073709551617, :type :invoke, :f :put, :key 9007199254740992, :value "b"}',
      '{:process 18446744073709551617, :type :ok, :f :put, :key 9007199254740992, :value "b"}',
      '{:process 3, :type :invoke, :f :get, :key 9007199254740993, :value nil}',
      '{:process 3, :type :ok, :f :get, :key 9007199254740993, :value "a"}',
    ];
    expect(edn(history)).toMatchObject({ linearizable: true, partitions: 2 });
  });

  it('are refused by the register log reader (its model holds doubles), naming the line', () => {
    expect(() => parseJepsenRegisterLog('INFO  jepsen.util - 1\t:invoke\t:write\t12345678901234567890'))
      .toThrow('line 1: value 12345678901234567890 is beyond 2^53');
  });
});

describe('EDN maps', () => {
  it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'])('read :%s as a plain key, and an absent one as undefined', (name) => {
    const map = parseEdnMap(`{:${name} 1, :process 2}`);
    expect(map[name]).toBe(1);
    expect(Object.keys(map)).toEqual([name, 'process']);
    expect(parseEdnMap('{:process 2}')[name]).toBeUndefined();
  });

  it('refuse a key given twice, naming it', () => {
    expect(() => parseEdnMap('{:value 1, :value 2}')).toThrow(/^duplicate key :value at column \d+/);
  });
});

describe('Flotilla traces: unknown client operations and empty clusters', () => {
  it.each(['constructor', 'toString', 'frobnicate', 'campaign'])('a client invoke with op.do %s is refused, naming the event and field', (name) => {
    const trace = new TraceBuilder();
    trace.call('c1', { do: 'put', key: 'k', value: 'v' }, 2);
    trace.invoke('c1', { do: name, key: 'k' });
    expect(() => checkTraceHistory(trace.events)).toThrow(new RegExp(`^event 4: op\\.do: unknown client operation "${name}" \\(known: get, put`));
  });

  it('operations that change no key are still accepted', () => {
    const trace = new TraceBuilder();
    for (const op of [{ do: 'grant', lease: 'L1', ttlMs: 1000 }, { do: 'keepalive', lease: 'L1' }, { do: 'watch', watch: 'w', key: 'k' }, { do: 'cancelWatch', watch: 'w' }, { do: 'compact', revision: 1 }]) {
      trace.call('c1', op, 1);
    }
    expect(checkTraceHistory(trace.events).linearizable).toBe(true);
  });

  it('a header with "nodes": [] is refused', () => {
    const header = '{"type":"header","format":"flotilla-trace","version":1,"seed":1,"nodes":[]}';
    expect(() => parseTrace(header + '\n')).toThrow('line 1.nodes: must list the node ids 1..N in order (N >= 1), got []');
  });
});
