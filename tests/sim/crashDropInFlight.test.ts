/**
 * `crash` with `dropInFlight` (docs/scenarios.md): the node's messages still on the wire are lost with it, as
 * what a process had not yet handed to the network is lost when it dies; messages it sends after a restart
 * travel as usual. Without the option a crash leaves what it sent on the wire.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/sim/run.ts';
import { parseAction, resolveScenario, FieldError } from '../../src/sim/scenario.ts';
import type { SimEvent } from '../../src/sim/traceEvents.ts';

function run(crash: Record<string, unknown>): SimEvent[] {
  const events: SimEvent[] = [];
  runScenario(resolveScenario({
    nodes: 3, seed: 5, until: 3000,
    config: { electionTimeoutMs: 300, heartbeatMs: 50 },
    network: { latencyMs: [40, 40] },
    actions: [
      { at: 1000, do: 'propose', node: 'leader', data: 'x' },
      { at: 1001, ...crash },
      { at: 1500, do: 'restart', node: 'lastCrashed' },
    ],
  }), { listener: (e) => events.push(e) });
  return events;
}

/** What became of the messages the crashed node sent in [fromMs, toMs]: delivered or dropped, with reasons. */
function fates(events: SimEvent[], node: number, fromMs: number, toMs: number): string[] {
  const sent = new Set(events.filter((e) => e.type === 'send' && e.from === node && e.t >= fromMs && e.t <= toMs).map((e) => (e as { id: number }).id));
  return events.filter((e) => (e.type === 'deliver' || e.type === 'drop') && sent.has(e.id))
    .map((e) => (e.type === 'drop' ? `drop ${e.reason}` : 'deliver'));
}

describe('crash with dropInFlight', () => {
  it('drops what the node sent before it crashed and had not arrived; what it sends after its restart arrives', () => {
    const events = run({ do: 'crash', node: 'leader', dropInFlight: true });
    const crash = events.find((e) => e.type === 'crash')!;
    const node = (crash as { node: number }).node;
    const before = fates(events, node, 1000, 1001);
    expect(before.length).toBeGreaterThan(0);
    expect(new Set(before)).toEqual(new Set(['drop crashed']));
    const after = fates(events, node, 1500, 3000);
    expect(after).toContain('deliver');
    expect(after).not.toContain('drop crashed');
  });

  it('without it, what the node sent still arrives after its crash', () => {
    const events = run({ do: 'crash', node: 'leader' });
    const node = (events.find((e) => e.type === 'crash') as { node: number }).node;
    expect(new Set(fates(events, node, 1000, 1001))).toEqual(new Set(['deliver']));
  });

  it('rejects a dropInFlight that is not a boolean, naming the field', () => {
    expect(() => parseAction({ at: 1, do: 'crash', node: 1, dropInFlight: 'yes' }, 3)).toThrow(FieldError);
    expect(() => parseAction({ at: 1, do: 'crash', node: 1, dropInFlight: 'yes' }, 3)).toThrow(/action\.dropInFlight/);
    expect(() => parseAction({ at: 1, do: 'restart', node: 1, dropInFlight: true }, 3)).toThrow(/action\.dropInFlight: unknown field/);
  });
});
