/**
 * `flotilla sim` checks what `flotilla check` checks (issue 10): with client operations in the run, its summary
 * carries the client-history verdicts and it exits 1 when the history is not linearizable, a client's revisions
 * go back or a watch stream has a gap. The simulator itself cannot be made to produce such a history on demand
 * (the unsafe switches break Raft invariants first, which exit 1 already), so the failing runs here are real runs
 * whose trace lines are altered on their way out, through the command's injectable runner: the command's own
 * checking of its trace is what is tested. The examples pass, and their verdicts equal `flotilla check`'s.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../src/cli/checkCommand.ts';
import { simCommand, type ScenarioRunner } from '../../src/cli/simCommand.ts';
import { capture } from './cliIo.ts';
import { runScenario } from '../../src/sim/run.ts';
import { checkClientHistory, clientHistoryOk } from '../../src/etcd/client/clientHistoryCheck.ts';
import { parseTrace } from '../../src/sim/traceReader.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-sim-checks-'));
const example = (name: string) => path.join(repo, 'examples', name);

/** A runner whose trace lines pass through `alter` (null drops the line) before anyone sees them. */
function alteringRunner(alter: (line: string, index: number) => string | null): ScenarioRunner {
  return (scenario, options = {}) => {
    let index = 0;
    return runScenario(scenario, {
      ...options,
      onLine: (line) => {
        const altered = alter(line, index++);
        if (altered !== null) options.onLine?.(altered);
      },
    });
  };
}

function sim(file: string, runner?: ScenarioRunner) {
  const io = capture();
  const code = simCommand([file], io, runner);
  return { code, summary: JSON.parse(io.out.join('')) as Record<string, unknown>, err: io.err.join('') };
}

describe('flotilla sim runs the client checks of flotilla check', () => {
  const kvExamples = readdirSync(path.join(repo, 'examples')).filter((f) => /^(kv|etcd)-/.test(f));

  it.each(kvExamples)('%s: exit 0, and the same verdicts as flotilla check on its trace', (name) => {
    const trace = path.join(dir, name + '.jsonl');
    const io = capture();
    expect(simCommand([example(name), '--out', trace], io)).toBe(0);
    const summary = JSON.parse(io.out.join(''));
    expect(summary).toMatchObject({ violations: [], linearizable: true, revisionOrder: true, watchStreams: true });
    expect(summary.operations).toBeGreaterThan(0);
    expect(summary).not.toHaveProperty('clientProblems');
    const checked = capture();
    expect(checkCommand([trace], checked)).toBe(0);
    const verdict = JSON.parse(checked.out.join(''));
    expect({ ...summary, ...verdict }).toMatchObject({ linearizable: verdict.linearizable, operations: verdict.operations });
    expect(summary.operations).toBe(verdict.operations);
  });

  it('a run without clients prints the summary as before (no client verdicts)', () => {
    const { code, summary } = sim(example('leader-crash.json'));
    expect(code).toBe(0);
    expect(Object.keys(summary)).toEqual(['seed', 'events', 'until', 'leaders', 'violations', 'traceSha256']);
  });

  it('exits 1 when a read returns a value nobody wrote (not linearizable), saying so in the summary', () => {
    const forged = alteringRunner((line) => (line.includes('"phase":"ok"') && line.includes('"value":"v2"') ? line.replace('"value":"v2"', '"value":"v3"') : line));
    const { code, summary, err } = sim(example('kv-cp-partition.json'), forged);
    expect(code).toBe(1);
    expect(summary).toMatchObject({ violations: [], linearizable: false });
    expect((summary.clientProblems as string[])[0]).toMatch(/^client history not linearizable in key "/);
    expect(err).toMatch(/kv-cp-partition\.json \(seed \d+\): client history not linearizable/);
  });

  it('exits 1 when a client sees the revision go back', () => {
    // The last ok result of client "majority" claims revision 1, older than what it saw before.
    const lines = readFileSync(path.join(dir, 'kv-cp-partition.json.jsonl'), 'utf8').split('\n');
    const last = lines.map((l, i) => (l.includes('"client":"majority"') && l.includes('"phase":"ok"') ? i : -1)).reduce((a, b) => Math.max(a, b));
    const forged = alteringRunner((line, index) => (index === last ? line.replace(/"header":\{"revision":\d+/, '"header":{"revision":1') : line));
    const { code, summary } = sim(example('kv-cp-partition.json'), forged);
    expect(code).toBe(1);
    expect(summary.revisionOrder).toBe(false);
    expect((summary.clientProblems as string[]).join('\n')).toMatch(new RegExp(`client majority saw the revision go back from \\d+ to 1 \\(operation \\d+, line ${last + 1}\\)`));
  });

  it('exits 1 when a watch stream has a gap', () => {
    // The watcher's first delivery (the PUT) is lost; its later DELETE arrives: a gap.
    let dropped = false;
    const forged = alteringRunner((line) => {
      if (!dropped && line.includes('"type":"watch"') && line.includes('"type":"PUT"')) {
        dropped = true;
        return null;
      }
      return line;
    });
    const { code, summary } = sim(example('kv-lease-ttl-reset.json'), forged);
    expect(dropped).toBe(true);
    expect(code).toBe(1);
    expect(summary).toMatchObject({ linearizable: true, watchStreams: false });
    expect((summary.clientProblems as string[]).join('\n')).toMatch(/^watch watcher\/w: expected PUT "svc\/a"@2, got DELETE "svc\/a"@3 \(a gap/m);
  });

  it('exits 1 naming the line when its own trace holds an unreadable client event', () => {
    const forged = alteringRunner((line) => (line.includes('"phase":"invoke"') ? line.replace(/"op":\{"do":"[a-zA-Z]+"/, '"op":{"do":"constructor"') : line));
    const io = capture();
    expect(simCommand([example('kv-cp-partition.json')], io, forged)).toBe(1);
    expect(io.err.join('')).toMatch(/client history is unreadable: line \d+: op\.do: unknown client operation "constructor"/);
  });
});

describe('checkClientHistory (shared by flotilla sim and flotilla check)', () => {
  const events = () => parseTrace(readFileSync(path.join(dir, 'kv-cp-partition.json.jsonl'), 'utf8')).events.map((e) => ({ ...e }) as Record<string, unknown>);

  it('passes the trace of a real run', () => {
    const verdict = checkClientHistory(events());
    expect(clientHistoryOk(verdict)).toBe(true);
    expect(verdict.problems).toEqual([]);
  });

  it('fails a history whose read saw a value never written, naming the key', () => {
    const forged = events().map((e) => (e.phase === 'ok' && JSON.stringify(e.result).includes('"value":"v2"')
      ? JSON.parse(JSON.stringify(e).replace('"value":"v2"', '"value":"nobody"')) : e));
    const verdict = checkClientHistory(forged);
    expect(verdict.linearizable).toBe(false);
    expect(clientHistoryOk(verdict)).toBe(false);
    expect(verdict.problems[0]).toMatch(/not linearizable in key "/);
  });
});
