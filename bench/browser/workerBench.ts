/**
 * The page side of the worker benchmark (bench/browser/worker.mjs drives it through Playwright): a World driven
 * through the WorkerHost (one module worker per node) with lookahead windows, as the app drives it, and a bare
 * postMessage ping-pong for the physical limit of lockstep. Exposed as `window.flotillaWorkerBench`.
 */
import { runWindowAsync } from '../../src/sim/asyncDriver.ts';
import { runUntilAsync, SyncRunner } from '../../src/sim/runner.ts';
import type { AsyncNodeHost, NodeHost } from '../../src/sim/host.ts';
import { InlineHost } from '../../src/sim/inlineHost.ts';
import { DEFAULT_CONFIG, DEFAULT_NETWORK, parseAction, type ResolvedScenario } from '../../src/sim/scenario.ts';
import { isTraceEvent } from '../../src/sim/traceEvents.ts';
import { TraceWriter } from '../../src/sim/traceWriter.ts';
import { World } from '../../src/sim/world.ts';
import { WorkerHost } from '../../src/worker/workerHost.ts';

/** Steady load: one proposal to the leader every PROPOSAL_INTERVAL_MS of virtual time (as bench/sim.bench.ts). */
const PROPOSAL_INTERVAL_MS = 10;
const WARMUP_MS = 2_000;

/** The app's defaults (tick 10 ms, latency 10-30 ms, no loss): what a user runs. */
function scenario(nodes: number): ResolvedScenario {
  return {
    name: 'worker bench', description: '', nodes, seed: 7, until: Number.MAX_SAFE_INTEGER,
    config: DEFAULT_CONFIG, network: DEFAULT_NETWORK, actions: [],
  };
}

export interface WorkerRun {
  /** Trace events per wall-clock second over the measured part (after the warm-up). */
  readonly eventsPerSec: number;
  readonly events: number;
  readonly wallMs: number;
  /** SHA-256 of the whole trace (warm-up included). */
  readonly sha256: string;
}

type Drive = (world: World, until: number) => Promise<void>;

/** Runs `virtualMs` of steady proposals after the warm-up; returns events per second and the trace hash. */
async function measure(nodes: number, virtualMs: number, drive: Drive): Promise<WorkerRun> {
  const world = new World({ scenario: scenario(nodes) });
  const writer = new TraceWriter();
  writer.header(world.header());
  world.subscribe((event) => {
    if (isTraceEvent(event)) writer.event(event);
  });
  let proposals = 0;
  const runTo = async (stopAtMs: number) => {
    while (world.now < stopAtMs && !world.stopped) {
      const at = world.now + PROPOSAL_INTERVAL_MS;
      world.scheduleAction(parseAction({ at, do: 'propose', node: 'leader', data: `v${++proposals}` }, world.nodeCount));
      await drive(world, at);
    }
  };
  await runTo(WARMUP_MS);
  const startEvents = world.eventCount;
  const start = performance.now();
  await runTo(WARMUP_MS + virtualMs);
  const wallMs = performance.now() - start;
  if (world.violation) throw new Error(`bench run hit a violation: ${world.violation.message}`);
  const events = world.eventCount - startEvents;
  return { eventsPerSec: (events / wallMs) * 1000, events, wallMs, sha256: writer.sha256() };
}

function windowed(host: AsyncNodeHost): Drive {
  return async (world, until) => {
    while (await runWindowAsync(world, host, until));
  };
}

function inline(host: NodeHost): Drive {
  return async (world, until) => {
    new SyncRunner(host).runUntil(world, until);
  };
}

async function withWorkers<T>(run: (host: WorkerHost) => Promise<T>): Promise<T> {
  const host = new WorkerHost();
  try {
    return await run(host);
  } finally {
    host.dispose();
  }
}

const bench = {
  /** Worker host, lookahead windows (the app's path). */
  workers: (nodes: number, virtualMs: number) => withWorkers((host) => measure(nodes, virtualMs, windowed(host))),
  /** Worker host, one host call at a time (runUntilAsync): what the windows save. */
  workersOneByOne: (nodes: number, virtualMs: number) =>
    withWorkers((host) => measure(nodes, virtualMs, (world, until) => runUntilAsync(world, host, until))),
  /** The same run in-process, for the trace hash the worker runs must match. */
  inline: (nodes: number, virtualMs: number) => measure(nodes, virtualMs, inline(new InlineHost())),

  /** `count` sequential round trips of a number through a bare echo worker; median and rate. */
  async rawRoundTrips(count: number): Promise<{ perSec: number; medianUs: number }> {
    const worker = new Worker(new URL('./workerPing.worker.ts', import.meta.url), { type: 'module' });
    const once = (i: number) =>
      new Promise<void>((resolve) => {
        worker.onmessage = () => resolve();
        worker.postMessage(i);
      });
    for (let i = 0; i < 500; i++) await once(i); // warm-up
    const samples = new Float64Array(count);
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      await once(i);
      samples[i] = performance.now() - t0;
    }
    const totalMs = performance.now() - start;
    worker.terminate();
    samples.sort();
    return { perSec: (count / totalMs) * 1000, medianUs: samples[count >> 1]! * 1000 };
  },
};

declare global {
  interface Window {
    flotillaWorkerBench: typeof bench;
  }
}

window.flotillaWorkerBench = bench;
document.getElementById('status')!.textContent = crossOriginIsolated ? 'ready (cross-origin isolated)' : 'ready';
