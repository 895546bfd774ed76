/**
 * The worker host against the in-process reference: the same scenario and seed must give the same trace bytes
 * through worker doubles driven by lookahead windows (structured clone, the wire encoding, batching, parallel
 * answers) as through the InlineHost one call at a time. And a worker that throws is a crash of that node only.
 */
import { describe, expect, it } from 'vitest';
import type { NodeId } from '../../src/raft/types.ts';
import { asAsyncHost, runWindowAsync, type WindowStep } from '../../src/sim/asyncDriver.ts';
import type { NodeHost } from '../../src/sim/host.ts';
import { InlineHost } from '../../src/sim/inlineHost.ts';
import { resolveScenario } from '../../src/sim/scenario.ts';
import { World } from '../../src/sim/world.ts';
import { WorkerHost } from '../../src/worker/workerHost.ts';
import { drive, inlineLines } from './drive.ts';
import { spawnInProcessWorker, type InProcessWorker } from './inProcessWorker.ts';

const busy = resolveScenario({
  name: 'worker host: crash, restart, partition, proposals',
  nodes: 5,
  seed: 7,
  until: 6000,
  network: { latencyMs: [10, 30], dropRate: 0.02, duplicateRate: 0.02 },
  actions: [
    { at: 1500, do: 'propose', node: 'leader', data: 'x=1' },
    { at: 2000, do: 'crash', node: 'leader' },
    { at: 2600, do: 'propose', node: 'leader', data: 'y=2' },
    { at: 3000, do: 'restart', node: 'lastCrashed' },
    { at: 3500, do: 'partition', groups: [[1, 2], [3, 4, 5]] },
    { at: 4500, do: 'heal' },
    { at: 5000, do: 'transfer', to: 1 },
    { at: 5200, do: 'propose', node: 'leader', data: 'z=3' },
  ],
});

/** A WorkerHost on in-process workers that records the size of every window it was given. */
function recordingHost(faults?: Map<NodeId, number>) {
  const workers: InProcessWorker[] = [];
  const counts: number[] = [];
  const host = new WorkerHost({
    spawn: () => {
      const worker = spawnInProcessWorker();
      workers.push(worker);
      return worker;
    },
    faults,
    onWorkerCount: (count) => counts.push(count),
  });
  const windowSizes: number[] = [];
  const stepWindow = host.stepWindow.bind(host);
  host.stepWindow = (steps: readonly WindowStep[]) => {
    windowSizes.push(steps.length);
    return stepWindow(steps);
  };
  return { host, workers, counts, windowSizes };
}

/** An InlineHost whose node throws on its Nth input, like the worker fault injection, for the sequential path. */
function failingInline(node: NodeId, atInput: number): NodeHost {
  const inline = new InlineHost();
  let inputs = 0;
  let armed = true;
  return {
    create: (n, init) => {
      if (n === node && inputs > 0) armed = false;
      return inline.create(n, init);
    },
    step: (n, input) => {
      if (n === node && armed && ++inputs === atInput) throw new Error(`node ${node} failed: boom`);
      return inline.step(n, input);
    },
    crash: (n) => inline.crash(n),
    status: (n) => inline.status(n),
  };
}

describe('WorkerHost', () => {
  it('writes the same trace bytes as the in-process run, through lookahead windows', async () => {
    const expected = inlineLines(busy);
    const { host, windowSizes, workers } = recordingHost();
    const run = await drive(busy, host);
    host.dispose();
    expect(run.lines.length).toBe(expected.length);
    expect(run.lines).toEqual(expected);
    // The lookahead really batched: most inputs went in windows of several steps.
    const batched = windowSizes.filter((n) => n > 1).reduce((a, b) => a + b, 0);
    expect(batched).toBeGreaterThan(windowSizes.reduce((a, b) => a + b, 0) / 2);
    // 5 boots + 1 restart, every one a fresh worker; all terminated at the end.
    expect(workers.length).toBe(6);
    expect(workers.every((w) => w.terminated)).toBe(true);
  });

  it('terminates the crashed node worker and restarts it from the persisted log and term', async () => {
    const { host, counts } = recordingHost();
    const world = new World({ scenario: busy });
    let crashed: NodeId = 0;
    let beforeCrash: { term: number; lastIndex: number } | undefined;
    world.subscribe((event) => {
      if (event.type === 'crash') {
        crashed = event.node;
        beforeCrash = { term: world.view(event.node).term, lastIndex: world.view(event.node).lastIndex };
      }
    });
    while (await runWindowAsync(world, host, 2999));
    expect(crashed).toBeGreaterThan(0);
    expect(host.workerCount).toBe(4);
    await runWindowAsync(world, host, 3000); // the restart action
    expect(host.workerCount).toBe(5);
    const status = await host.status(crashed);
    expect(status.term).toBeGreaterThanOrEqual(beforeCrash!.term);
    expect(status.lastIndex).toBeGreaterThanOrEqual(beforeCrash!.lastIndex);
    expect(beforeCrash!.lastIndex).toBeGreaterThan(0);
    expect(counts).toEqual([1, 2, 3, 4, 5, 4, 5]);
    host.dispose();
    expect(counts.at(-1)).toBe(0);
  });

  it('fails a node whose worker dies of an uncaught error, answering its pending inputs with that error', async () => {
    const scenario = resolveScenario({ name: 'uncaught', nodes: 3, seed: 2, until: 3000 });
    let errorListener: ((event: ErrorEvent) => void) | undefined;
    let steps = 0;
    const host = new WorkerHost({
      spawn: (node) => {
        const worker = spawnInProcessWorker();
        if (node !== 2) return worker;
        // Node 2's worker dies (as of an uncaught exception) instead of answering its 20th batch.
        return {
          postMessage: (message, transfer) => {
            if (message.kind === 'steps' && ++steps === 20) {
              errorListener!({ message: 'Uncaught RangeError: out of memory', preventDefault() {} } as ErrorEvent);
              return;
            }
            worker.postMessage(message, transfer);
          },
          addEventListener: (type: string, listener: never) => {
            if (type === 'error') errorListener = listener;
            else worker.addEventListener('message', listener);
          },
          terminate: () => worker.terminate(),
        };
      },
    });
    const run = await drive(scenario, host);
    expect(run.failures).toEqual([[2, 'node 2 failed: Uncaught RangeError: out of memory']]);
    expect(host.workerCount).toBe(2);
    await expect(host.status(2)).rejects.toThrow(/out of memory/);
    expect(run.world.isUp(1) && run.world.isUp(3)).toBe(true);
    host.dispose();
  });

  it('treats a worker that throws as a crash of that node: reported, and the rest of the cluster goes on', async () => {
    const scenario = resolveScenario({ name: 'failing worker', nodes: 5, seed: 3, until: 8000, actions: [{ at: 6000, do: 'propose', node: 'leader', data: 'after' }] });
    const { host, counts } = recordingHost(new Map([[3, 150]]));
    const run = await drive(scenario, host);
    expect(run.failures).toEqual([[3, 'node 3 failed: injected fault (test-only failNode): node 3 throws on its input #150']]);
    expect(host.failure(3)).toMatch(/input #150/);
    expect(host.workerCount).toBe(4);
    expect(counts.at(-1)).toBe(4);
    expect(run.world.isUp(3)).toBe(false);
    // The others committed the proposal made after the failure.
    const applied = run.lines.filter((line) => line.includes('"type":"apply"') && line.includes('"after"'));
    expect(new Set(applied.map((line) => JSON.parse(line).node))).toEqual(new Set([1, 2, 4, 5]));
    // The same failure on the sequential path (no windows) gives the same trace: the merge is deterministic.
    const sequential = await drive(scenario, asAsyncHost(failingInline(3, 150)));
    expect(sequential.lines.map((l) => l.replace(/"reason":"[^"]*"/, ''))).toEqual(run.lines.map((l) => l.replace(/"reason":"[^"]*"/, '')));
    host.dispose();
  });
});
