/**
 * Process pauses on worker-hosted nodes: a pause touches no host (a paused node is simply not called), so the
 * worker host, through its lookahead windows, writes the same trace bytes as the in-process run; and the
 * lookahead never promises a step of a paused node or one that a resumed node's inbox would precede.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kvClients } from '../../src/etcd/kvClients.ts';
import { performWork, type NodeWork } from '../../src/sim/host.ts';
import { InlineHost } from '../../src/sim/inlineHost.ts';
import { resolveScenario } from '../../src/sim/scenario.ts';
import { World } from '../../src/sim/world.ts';
import { WorkerHost } from '../../src/worker/workerHost.ts';
import { drive, inlineLines } from './drive.ts';
import { spawnInProcessWorker } from './inProcessWorker.ts';

describe('pauses through the worker host', () => {
  it('writes the same trace bytes as the in-process run', async () => {
    const scenario = resolveScenario({
      name: 'pauses on workers', nodes: 5, seed: 12, until: 12_000,
      network: { latencyMs: [5, 25], dropRate: 0.02, duplicateRate: 0.05 },
      actions: [
        { at: 300, do: 'client', client: 'c1', via: 'any' },
        { at: 1500, do: 'put', client: 'c1', key: 'k', value: '1' },
        { at: 2000, do: 'pause', node: 'leader' },
        { at: 2200, do: 'pause', node: 2 },
        { at: 2500, do: 'pause', client: 'c1' },
        { at: 3000, do: 'resume', node: 2 },
        { at: 4000, do: 'put', client: 'c1', key: 'k', value: 'no-op while paused' },
        { at: 5000, do: 'resume', node: 'lastPaused' },
        { at: 5000, do: 'propose', node: 'leader', data: 'x' },
        { at: 6000, do: 'resume', client: 'c1' },
        { at: 6000, do: 'get', client: 'c1', key: 'k' },
        { at: 7000, do: 'pause', node: 3 },
        { at: 8000, do: 'crash', node: 3 },
        { at: 9000, do: 'restart', node: 3 },
      ],
    });
    const expected = inlineLines(scenario);
    expect(expected.filter((l) => /"type":"(pause|resume)"/.test(l))).toHaveLength(7);
    const host = new WorkerHost({ spawn: () => spawnInProcessWorker() });
    const { lines, failures } = await drive(scenario, host, kvClients);
    host.dispose();
    expect(failures).toEqual([]);
    expect(lines).toEqual(expected);
  });
});

function key(work: NodeWork): unknown {
  if (work.op !== 'step') return [work.op, work.node];
  return [work.node, work.input.kind, work.input.kind === 'message' ? work.input.message : null];
}

describe('World.upcomingSteps with pauses', () => {
  it('promises only steps that come next, in order, whatever is paused and resumed', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          nodes: fc.integer({ min: 2, max: 5 }),
          latencyMin: fc.integer({ min: 1, max: 15 }),
          pauses: fc.array(fc.record({ at: fc.integer({ min: 0, max: 2800 }), node: fc.integer({ min: 1, max: 5 }), resume: fc.boolean() }), { maxLength: 12 }),
        }),
        (p) => {
          const scenario = resolveScenario({
            nodes: p.nodes, seed: p.seed, until: 3000,
            config: { tickMs: 5, heartbeatMs: 50, electionTimeoutMs: 300 },
            network: { latencyMs: [p.latencyMin, p.latencyMin + 10], duplicateRate: 0.1 },
            actions: p.pauses.map((x) => ({ at: x.at, do: x.resume ? 'resume' : 'pause', node: Math.min(x.node, p.nodes) })),
          });
          const world = new World({ scenario });
          const host = new InlineHost();
          let promised: unknown[] = [];
          for (let work = world.nextNodeWork(scenario.until); work; work = world.nextNodeWork(scenario.until)) {
            if (promised.length > 0) expect(key(work)).toEqual(promised.shift());
            else if (work.op === 'step') promised = world.upcomingSteps(scenario.until).map(key);
            if (work.op === 'step') expect(world.isPaused(work.node)).toBe(false);
            world.completeNodeWork(performWork(host, work));
          }
          expect(promised).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });
});
