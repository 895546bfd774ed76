import { describe, expect, it } from 'vitest';
import { checkForeignHistory } from '../../src/cli/checkHistory.ts';
import { parseJepsenRegisterLog } from '../../src/check/formats/jepsenLog.ts';
import { parseEdnKvHistory } from '../../src/check/formats/ednHistory.ts';

const jepsen = (lines: string[]) => lines.map((line) => `INFO  jepsen.util - ${line.replaceAll(' ', '\t')}`).join('\n') + '\n';

const linearizableLog = jepsen(['0 :invoke :write 1', '0 :ok :write 1', '1 :invoke :read nil', '1 :ok :read 1']);
const staleLog = jepsen(['0 :invoke :write 1', '0 :ok :write 1', '0 :invoke :write 2', '0 :ok :write 2', '1 :invoke :read nil', '1 :ok :read 1']);

describe('checkForeignHistory (flotilla check on Jepsen and EDN histories)', () => {
  it('prints the verdict line and exits 0 for a linearizable Jepsen log', () => {
    const report = checkForeignHistory(linearizableLog, 'ok.log')!;
    expect(report.exitCode).toBe(0);
    const line = JSON.parse(report.output);
    expect(Object.keys(line)).toEqual(['linearizable', 'operations', 'ms']);
    expect(line).toMatchObject({ linearizable: true, operations: 2 });
    expect(line.ms).toBeGreaterThanOrEqual(0);
  });

  it('exits 1 and explains why for a history that is not linearizable', () => {
    const report = checkForeignHistory(staleLog, 'stale.log')!;
    expect(report.exitCode).toBe(1);
    expect(JSON.parse(report.output).linearizable).toBe(false);
    expect(report.diagnostic).toMatch(/stale\.log: not linearizable .*read -> 1/);
  });

  it('exits 3 when the search budget runs out before a verdict', () => {
    const report = checkForeignHistory(staleLog, 'stale.log', { maxSteps: 1 })!;
    expect(report.exitCode).toBe(3);
    expect(JSON.parse(report.output).linearizable).toBe('undecided');
    expect(report.diagnostic).toMatch(/undecided \(search budget spent\)/);
  });

  it('reads EDN key-value histories', () => {
    const edn = [
      '{:process 0, :type :invoke, :f :put, :key "k", :value "x"}',
      '{:process 0, :type :ok, :f :put, :key "k", :value "x"}',
      '{:process 1, :type :invoke, :f :append, :key "k", :value "y"}',
      '{:process 1, :type :ok, :f :append, :key "k", :value "y"}',
      '{:process 2, :type :invoke, :f :get, :key "k", :value nil}',
      '{:process 2, :type :ok, :f :get, :key "k", :value "xy"}',
    ];
    expect(checkForeignHistory(edn.join('\n'), 'h.edn')?.exitCode).toBe(0);
    const wrong = [...edn.slice(0, 5), '{:process 2, :type :ok, :f :get, :key "k", :value "yx"}'];
    expect(checkForeignHistory(wrong.join('\n'), 'h.edn')?.exitCode).toBe(1);
  });

  it('exits 2 naming the line when a recognised history is malformed', () => {
    const report = checkForeignHistory(linearizableLog + 'INFO  jepsen.util - 1\t:ok\t:read\t1\n', 'bad.log')!;
    expect(report.exitCode).toBe(2);
    expect(JSON.parse(report.output).error).toMatch(/bad\.log: line 5: process 1 completes an operation it never invoked/);
    const edn = checkForeignHistory('{:process 0, :type :invoke, :f :put, :key "k", :value "x"\n', 'h.edn')!;
    expect(edn.exitCode).toBe(2);
    expect(edn.output).toMatch(/line 1: unterminated map/);
  });

  it('returns null for anything else, so the caller can read it as a Flotilla trace', () => {
    expect(checkForeignHistory('{"type":"header","format":"flotilla-trace","version":1}\n', 't.jsonl')).toBeNull();
    expect(checkForeignHistory('', 'empty.log')).toBeNull();
  });
});

describe('history parsers', () => {
  it('reads Jepsen semantics: failed cas observed another value, failed read dropped, info unknown', () => {
    const operations = parseJepsenRegisterLog(jepsen([
      '0 :invoke :cas [1 2]', '0 :fail :cas [1 2]',
      '1 :invoke :read nil', '1 :fail :read :timed-out',
      '2 :invoke :write 3', '2 :info :write :timed-out',
      '3 :invoke :write 4',
    ]));
    expect(operations.map((op) => [op.input.kind, op.output.kind, op.returnAt])).toEqual([
      ['cas', 'cas', 1], ['write', 'unknown', Infinity], ['write', 'unknown', Infinity],
    ]);
    expect(operations[0].output).toEqual({ kind: 'cas', succeeded: false });
  });

  it('reads EDN maps with commas, strings with escapes, nil and keywords', () => {
    const [op] = parseEdnKvHistory('{:process 3, :type :invoke, :f :put, :key "a\\"b", :value "x y"}\n{:process 3 :type :ok :f :put :key "a\\"b" :value "x y"}');
    expect(op).toMatchObject({ clientId: '3', input: { kind: 'put', key: 'a"b', value: 'x y' }, call: 0, returnAt: 1 });
  });
});
