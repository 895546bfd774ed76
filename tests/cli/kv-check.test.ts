/**
 * `flotilla check` on traces with client events: next to the Raft invariants it checks the client history for
 * linearizability and revision order, and every watch stream; a tampered trace fails with exit 1 and says why.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../src/cli/checkCommand.ts';
import { simCommand } from '../../src/cli/simCommand.ts';
import { capture } from './cliIo.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-kv-check-'));
const trace = path.join(dir, 'cp.jsonl');
const example = path.resolve(import.meta.dirname, '../../examples/kv-cp-partition.json');

describe('flotilla check with clients', () => {
  it('reports a simulated run as linearizable, in revision order, with sound watch streams', () => {
    expect(simCommand([example, '--out', trace], capture())).toBe(0);
    const io = capture();
    expect(checkCommand([trace], io)).toBe(0);
    expect(JSON.parse(io.out.join(''))).toMatchObject({ violations: [], linearizable: true, revisionOrder: true, watchStreams: true });
  });

  it('fails a trace whose read returns a value nobody wrote', () => {
    const lines = readFileSync(trace, 'utf8').split('\n');
    const i = lines.findIndex((l) => l.includes('"phase":"ok"') && l.includes('"value":"v2"'));
    lines[i] = lines[i]!.replace('"value":"v2"', '"value":"v3"');
    const forged = path.join(dir, 'forged.jsonl');
    writeFileSync(forged, lines.join('\n'));
    const io = capture();
    expect(checkCommand([forged], io)).toBe(1);
    expect(JSON.parse(io.out.join(''))).toMatchObject({ linearizable: false });
    expect(io.err.join('')).toMatch(/not linearizable/);
  });

  it('fails a trace whose revisions go back for a client', () => {
    const lines = readFileSync(trace, 'utf8').split('\n');
    const okLines = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.includes('"client":"majority"') && l.includes('"phase":"ok"'));
    const last = okLines[okLines.length - 1]!.i;
    lines[last] = lines[last]!.replace(/"header":\{"revision":\d+/, '"header":{"revision":1');
    const forged = path.join(dir, 'back.jsonl');
    writeFileSync(forged, lines.join('\n'));
    const io = capture();
    expect(checkCommand([forged], io)).toBe(1);
    expect(io.err.join('')).toMatch(/revision go back|not linearizable/);
  });
});
