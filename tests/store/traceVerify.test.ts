// Issue 10: an imported trace is checked against its replay; the first differing line is named, with what differs.
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../src/sim/scenario.ts';
import { runScenario } from '../../src/sim/run.ts';
import { traceToScenario } from '../../src/store/traceToScenario.ts';
import { compareTraceWithReplay } from '../../src/store/traceVerify.ts';

const BASE = { name: 'verify', nodes: 3, seed: 4, until: 3000, actions: [{ at: 1500, do: 'propose', node: 'leader', data: 'x=1' }] };

/** The trace `npx flotilla sim` writes for the scenario. */
function traceOf(json: object): string {
  const lines: string[] = [];
  runScenario(resolveScenario(json), { onLine: (l) => lines.push(l) });
  return lines.join('');
}

const compare = (text: string) => compareTraceWithReplay(text, traceToScenario(text));

describe('compareTraceWithReplay', () => {
  const text = traceOf(BASE);
  const lines = text.trimEnd().split('\n');

  it('accepts the trace the run writes, and a prefix of it (a trace downloaded mid-run)', async () => {
    expect(await compare(text)).toBeNull();
    expect(await compare(lines.slice(0, 40).join('\n') + '\n')).toBeNull();
  });

  it('names the first tampered state line and the field that differs', async () => {
    const at = lines.findIndex((l) => l.startsWith('{"t":') && l.includes('"type":"state"') && l.includes('"term":1'));
    expect(at).toBeGreaterThan(0);
    const tampered = [...lines];
    tampered[at] = tampered[at]!.replace('"term":1', '"term":9');
    expect(await compare(tampered.join('\n') + '\n')).toEqual({ line: at + 1, message: expect.stringMatching(/^term is 9 in the file, 1 in its replay \(the replay has a "state" event at t = \d+ ms there\)$/) });
  });

  it('flags events of nodes the cluster does not have', async () => {
    const forged = [...lines, ...[42, 77, 88].map((node) => `{"t":2999,"type":"crash","node":${node}}`)];
    const difference = await compare(forged.join('\n') + '\n');
    expect(difference).not.toBeNull();
    expect(difference !== 'cancelled' && difference!.line).toBeLessThanOrEqual(lines.length + 1);
    // Inserted in the middle, they are named by their node.
    const middle = [...lines.slice(0, 10), '{"t":5,"type":"crash","node":42}', ...lines.slice(10)];
    expect(await compare(middle.join('\n') + '\n')).toMatchObject({ line: 11 });
  });
});
