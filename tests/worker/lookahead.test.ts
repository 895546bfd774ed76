/**
 * The lookahead the worker host's windows rely on (World.upcomingSteps, EventQueue.itemsUpTo): every step the
 * world promises is exactly what it asks for next, in order, with nothing in between, whatever the network,
 * the tick length and the actions. Checked on the in-process path, where each promise is compared with what
 * actually happens.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { performWork, type NodeWork } from '../../src/sim/host.ts';
import { EventQueue } from '../../src/sim/eventQueue.ts';
import { InlineHost } from '../../src/sim/inlineHost.ts';
import { resolveScenario } from '../../src/sim/scenario.ts';
import { World } from '../../src/sim/world.ts';

function key(work: NodeWork): unknown {
  if (work.op !== 'step') return [work.op, work.node];
  return [work.node, work.input.kind, work.input.kind === 'message' ? work.input.message : null];
}

describe('EventQueue.itemsUpTo', () => {
  it('lists the events up to a time in the order pop returns them, leaving the queue as it was', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), fc.integer({ min: -1, max: 55 }), (times, until) => {
        const queue = new EventQueue<{ time: number; seq: number; id: number }>();
        times.forEach((time, id) => queue.push({ time, seq: 0, id }));
        const listed = queue.itemsUpTo(until).map((item) => item.id);
        const popped: number[] = [];
        while (queue.size > 0 && queue.peekTime() <= until) popped.push(queue.pop()!.id);
        expect(listed).toEqual(popped);
      }),
    );
  });
});

describe('World.upcomingSteps', () => {
  it('promises only steps that come next, in order, with nothing in between', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          nodes: fc.integer({ min: 1, max: 7 }),
          tickMs: fc.constantFrom(1, 5, 10),
          latencyMin: fc.integer({ min: 0, max: 15 }),
          latencySpread: fc.integer({ min: 0, max: 20 }),
          dropRate: fc.constantFrom(0, 0.05),
          duplicateRate: fc.constantFrom(0, 0.1),
        }),
        (p) => {
          const scenario = resolveScenario({
            nodes: p.nodes, seed: p.seed, until: 3000,
            config: { tickMs: p.tickMs, heartbeatMs: p.tickMs * 10, electionTimeoutMs: p.tickMs * 60 },
            network: { latencyMs: [p.latencyMin, p.latencyMin + p.latencySpread], dropRate: p.dropRate, duplicateRate: p.duplicateRate },
            actions: [
              { at: 700, do: 'propose', node: 'leader', data: 'a' },
              { at: 900, do: 'crash', node: 'leader' },
              { at: 1200, do: 'partition', groups: [[1]] },
              { at: 1500, do: 'restart', node: 'lastCrashed' },
              { at: 1800, do: 'heal' },
              { at: 2000, do: 'network', latencyMs: [1, 3] },
              { at: 2200, do: 'propose', node: 'leader', data: 'b' },
            ],
          });
          const world = new World({ scenario });
          const host = new InlineHost();
          let promised: unknown[] = [];
          let checked = 0;
          for (let work = world.nextNodeWork(scenario.until); work; work = world.nextNodeWork(scenario.until)) {
            if (promised.length > 0) {
              expect(key(work)).toEqual(promised.shift());
              checked++;
            } else if (work.op === 'step') {
              promised = world.upcomingSteps(scenario.until).map(key);
            }
            world.completeNodeWork(performWork(host, work));
          }
          expect(promised).toEqual([]);
          // The property is not vacuous: the lookahead promised something whenever latency and tick allow it.
          if (p.latencyMin > 0 && p.nodes > 1) expect(checked).toBeGreaterThan(0);
        },
      ),
      { numRuns: 40 },
    );
  });
});
