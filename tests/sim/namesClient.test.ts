// The client layer is injected into the World (WorldOptions.clientLayer): a world without it runs Raft-only
// scenarios unchanged, refuses a client naming the field, and one given the layer later (attachClientLayer)
// writes the same trace bytes as one that had it from the start.
import { describe, expect, it } from 'vitest';
import { namesClient } from '../../src/sim/namesClient.ts';
import { InlineHost } from '../../src/sim/inlineHost.ts';
import { kvClients } from '../../src/etcd/kvClients.ts';
import { runScenario } from '../../src/sim/run.ts';
import { resolveScenario, type ResolvedScenario } from '../../src/sim/scenario.ts';
import { isTraceEvent } from '../../src/sim/traceEvents.ts';
import { TraceWriter } from '../../src/sim/traceWriter.ts';
import { World } from '../../src/sim/world.ts';

const RAFT_ONLY = resolveScenario({
  name: 'raft only', nodes: 3, seed: 9, until: 4000,
  network: { latencyMs: [10, 30], dropRate: 0.05, duplicateRate: 0.05 },
  actions: [
    { at: 1200, do: 'propose', node: 'leader', data: 'x' },
    { at: 1500, do: 'crash', node: 'leader' },
    { at: 2500, do: 'restart', node: 'lastCrashed' },
  ],
});

const WITH_CLIENTS = resolveScenario({
  name: 'clients', nodes: 3, seed: 4, until: 6000,
  network: { latencyMs: [10, 30], dropRate: 0.02, duplicateRate: 0.02 },
  actions: [
    { at: 500, do: 'client', client: 'a', via: 'any' },
    { at: 1000, do: 'put', client: 'a', key: 'k', value: '1' },
    { at: 1500, do: 'campaign', client: 'a', election: 'e', value: 'a' },
    { at: 3000, do: 'get', client: 'a', key: 'k' },
  ],
});

/** The trace text of a world run to the end on an in-process host. */
function traceOf(world: World, beforeRun: (world: World) => void = () => {}): string {
  const lines: string[] = [];
  const writer = new TraceWriter((line) => lines.push(line));
  writer.header(world.header());
  world.subscribe((event) => {
    if (isTraceEvent(event)) writer.event(event);
  });
  beforeRun(world);
  world.runUntil(world.scenario.until, new InlineHost());
  return lines.join('');
}

function cliTrace(scenario: ResolvedScenario): string {
  const lines: string[] = [];
  runScenario(scenario, { onLine: (line) => lines.push(line) });
  return lines.join('');
}

describe('the injected client layer', () => {
  it('is not needed by a Raft-only run, which writes the CLI trace without it', () => {
    expect(RAFT_ONLY.actions.some(namesClient)).toBe(false);
    expect(traceOf(new World({ scenario: RAFT_ONLY }))).toBe(cliTrace(RAFT_ONLY));
  });

  it('is named in the error when a run creates a client without it', () => {
    expect(WITH_CLIENTS.actions.some(namesClient)).toBe(true);
    expect(() => traceOf(new World({ scenario: WITH_CLIENTS }))).toThrow(/WorldOptions\.clientLayer/);
  });

  it('gives the CLI trace bytes whether passed at creation or attached before the first client', () => {
    const expected = cliTrace(WITH_CLIENTS);
    expect(expected).toContain('"type":"recipe"');
    expect(traceOf(new World({ scenario: WITH_CLIENTS, clientLayer: kvClients }))).toBe(expected);
    expect(traceOf(new World({ scenario: WITH_CLIENTS }), (w) => w.attachClientLayer(kvClients))).toBe(expected);
  });

  it('recognises every way an action reaches the clients', () => {
    const actions = resolveScenario({
      nodes: 3, until: 100,
      actions: [
        { at: 1, do: 'client', client: 'c', via: 1 },
        { at: 2, do: 'cut', from: 'c', to: 1 },
        { at: 3, do: 'restore', from: 2, to: 'c' },
        { at: 4, do: 'partition', groups: [[1, 'c'], [2, 3]] },
        { at: 5, do: 'killClient', client: 'c' },
        { at: 6, do: 'cut', from: 1, to: 2 },
        { at: 7, do: 'partition', groups: [[1], [2, 3]] },
        { at: 8, do: 'heal' },
      ],
    }).actions;
    expect(actions.map(namesClient)).toEqual([true, true, true, true, true, false, false, false]);
  });
});
