/**
 * Test helpers: a scenario run to its end on an asynchronous host through lookahead windows (as the app drives
 * worker-hosted nodes), and the same scenario's trace lines from the in-process reference run.
 */
import type { NodeId } from '../../src/raft/types.ts';
import { runWindowAsync } from '../../src/sim/asyncDriver.ts';
import type { ClientLayer } from '../../src/etcd/clientLayer.ts';
import type { AsyncNodeHost } from '../../src/sim/host.ts';
import { runScenario } from '../../src/sim/run.ts';
import type { ResolvedScenario } from '../../src/sim/scenario.ts';
import { isTraceEvent } from '../../src/sim/traceEvents.ts';
import { TraceWriter } from '../../src/sim/traceWriter.ts';
import { World } from '../../src/sim/world.ts';

export interface DrivenRun {
  lines: string[];
  sha256: string;
  world: World;
  failures: [NodeId, string][];
}

/** Runs the scenario to its end through runWindowAsync, writing its trace as the app does. */
export async function drive(scenario: ResolvedScenario, host: AsyncNodeHost, clientLayer?: ClientLayer): Promise<DrivenRun> {
  const world = new World({ scenario, ...(clientLayer ? { clientLayer } : {}) });
  const lines: string[] = [];
  const writer = new TraceWriter((line) => lines.push(line));
  writer.header(world.header());
  world.subscribe((event) => {
    if (isTraceEvent(event)) writer.event(event);
  });
  const failures: [NodeId, string][] = [];
  while (await runWindowAsync(world, host, scenario.until, (node, error) => failures.push([node, error]))) {
    // one window per turn
  }
  return { lines, sha256: writer.sha256(), world, failures };
}

/** The trace lines of the in-process reference run (runScenario: the CLI's path). */
export function inlineLines(scenario: ResolvedScenario): string[] {
  const lines: string[] = [];
  runScenario(scenario, { onLine: (line) => lines.push(line) });
  return lines;
}
