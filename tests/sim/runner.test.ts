/**
 * The runner (src/sim/runner.ts): the one pull loop over a synchronous or an asynchronous host. Both write the
 * trace the CLI writes; a pause check stops a run between calls and the next call goes on from there.
 */
import { describe, expect, it } from 'vitest';
import { asAsyncHost } from '../../src/sim/asyncDriver.ts';
import { performWork } from '../../src/sim/host.ts';
import { InlineHost } from '../../src/sim/inlineHost.ts';
import { AsyncRunner, runnerFor, SyncRunner, type WorldRunner } from '../../src/sim/runner.ts';
import { resolveScenario } from '../../src/sim/scenario.ts';
import { isTraceEvent } from '../../src/sim/traceEvents.ts';
import { TraceWriter } from '../../src/sim/traceWriter.ts';
import { World } from '../../src/sim/world.ts';
import { run } from './helpers.ts';

const scenario = {
  name: 'runner', nodes: 3, seed: 7, until: 6000,
  network: { latencyMs: [5, 25], dropRate: 0.05, duplicateRate: 0.05 },
  actions: [{ at: 2000, do: 'crash', node: 'leader' }, { at: 2500, do: 'propose', node: 'leader', data: 'x' }, { at: 4000, do: 'restart', node: 'lastCrashed' }],
};

function traced(): { world: World; writer: TraceWriter } {
  const world = new World({ scenario: resolveScenario(scenario) });
  const writer = new TraceWriter();
  writer.header(world.header());
  world.subscribe((e) => isTraceEvent(e) && writer.event(e));
  return { world, writer };
}

describe('WorldRunner', () => {
  it('the sync runner runs to `until`, counts its host calls, and writes the CLI trace', () => {
    const cli = run(scenario);
    const { world, writer } = traced();
    const runner = new SyncRunner(new InlineHost());
    expect(runner.runUntil(world, 6000)).toBe(true);
    expect(world.now).toBe(6000);
    expect(runner.calls).toBeGreaterThan(100);
    expect(writer.sha256()).toBe(cli.summary.traceSha256);
    expect(runner.advance(world, 6000)).toBe(false);
  });

  it('a pause stops the sync runner after every 32nd call, and running again goes on where it stopped', () => {
    const cli = run(scenario);
    const { world, writer } = traced();
    const runner = new SyncRunner(new InlineHost());
    let asked = 0;
    let stops = 0;
    while (!runner.runUntil(world, 6000, () => ++asked % 3 === 0)) stops++;
    expect(stops).toBeGreaterThan(0);
    expect(asked * 32).toBeLessThanOrEqual(runner.calls);
    expect(writer.sha256()).toBe(cli.summary.traceSha256);
  });

  it('the async runner writes the same trace, with lookahead windows and one call at a time', async () => {
    const cli = run(scenario);
    for (const lookahead of [true, false]) {
      const { world, writer } = traced();
      const runner: WorldRunner<Promise<boolean>> = new AsyncRunner(asAsyncHost(new InlineHost()), { lookahead });
      let pauses = 0;
      while (!(await runner.runUntil(world, 6000, () => ++pauses % 50 === 0)));
      expect(world.now).toBe(6000);
      expect(writer.sha256()).toBe(cli.summary.traceSha256);
    }
  });

  it('runnerFor picks the runner of the host kind', () => {
    expect(runnerFor({ mode: 'sync', host: new InlineHost() }).mode).toBe('sync');
    expect(runnerFor({ mode: 'async', host: asAsyncHost(new InlineHost()) }).mode).toBe('async');
  });

  it('performWork answers a sync host at once and an async one with a promise; a crash answers nothing', async () => {
    const world = new World({ scenario: resolveScenario(scenario) });
    const work = world.nextNodeWork(6000)!;
    expect(work.op).toBe('create');
    const sync = performWork(new InlineHost(), work);
    const later = await performWork(asAsyncHost(new InlineHost()), work);
    expect(later).toEqual(sync);
    expect(performWork(new InlineHost(), { op: 'crash', node: 1 })).toBeUndefined();
    expect(await performWork(asAsyncHost(new InlineHost()), { op: 'crash', node: 1 })).toBeUndefined();
  });
});
