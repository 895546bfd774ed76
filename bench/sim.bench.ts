/**
 * Simulator throughput (issue 3): simulated trace events per wall-clock second, with the invariant checker on,
 * driven as `flotilla fuzz` drives it (in-process host, no trace text). Steady load: one proposal every 10 ms
 * of virtual time to the leader, 5% loss, 1–20 ms latency.
 *   simEventsPerSec5        5 nodes
 *   simEventsPerSec9        9 nodes
 *   simEventsPerSecLongLog  5 nodes whose logs start with 1,000,000 committed entries (seeded on the sim's
 *                           disk; the re-apply after boot is warm-up and not measured)
 * Target: simEventsPerSec5 >= 500,000 and the long-log figure within 20% of it.
 */
import type { Entry, PersistentState } from '../src/raft/types.ts';
import { SyncRunner } from '../src/sim/runner.ts';
import { InlineHost } from '../src/sim/inlineHost.ts';
import { DEFAULT_CONFIG, parseAction, type ResolvedScenario } from '../src/sim/scenario.ts';
import { World } from '../src/sim/world.ts';

const PROPOSAL_INTERVAL_MS = 10;
const MEASURED_EVENTS = 1_000_000;

function scenario(nodes: number): ResolvedScenario {
  return {
    name: 'bench', description: '', nodes, seed: 7, until: Number.MAX_SAFE_INTEGER,
    config: { ...DEFAULT_CONFIG, electionTimeoutMs: 150, heartbeatMs: 30 },
    network: { latencyMs: [1, 20], dropRate: 0.05, duplicateRate: 0 },
    actions: [],
  };
}

/** Runs the world with steady proposals until `events` more trace events happened; returns events per second. */
function measure(world: World, host: InlineHost, warmupMs: number, events: number): { perSec: number; wallMs: number } {
  let proposals = 0;
  const runner = new SyncRunner(host);
  const runTo = (stopAtEvents: number, stopAtMs: number): void => {
    while (world.eventCount < stopAtEvents && world.now < stopAtMs && !world.stopped) {
      const at = world.now + PROPOSAL_INTERVAL_MS;
      world.scheduleAction(parseAction({ at, do: 'propose', node: 'leader', data: `v${++proposals}` }, world.nodeCount));
      runner.runUntil(world, at);
    }
  };
  runTo(Infinity, warmupMs);
  const startEvents = world.eventCount;
  const startMs = performance.now();
  runTo(startEvents + events, Infinity);
  const wallMs = performance.now() - startMs;
  if (world.violation) throw new Error(`bench run hit a violation: ${world.violation.message}`);
  return { perSec: ((world.eventCount - startEvents) / wallMs) * 1000, wallMs };
}

function longLog(entries: number): PersistentState {
  const log: Entry[] = new Array(entries);
  for (let i = 0; i < entries; i++) log[i] = { index: i + 1, term: 1, data: `seed${i % 1000}` };
  return { hardState: { term: 1, vote: 0, commit: entries }, entries: log };
}

export default async function (log: (line: string) => void): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  // Warm the JIT up first, so the first figure is not penalized for compiling the code the others reuse.
  measure(new World({ scenario: scenario(5) }), new InlineHost(), 1_000, 300_000);
  for (const nodes of [5, 9]) {
    const world = new World({ scenario: scenario(nodes) });
    const r = measure(world, new InlineHost(), 2_000, MEASURED_EVENTS);
    log(`  ${nodes} nodes: ${Math.round(r.perSec).toLocaleString('en-US')} events/s (${MEASURED_EVENTS} events in ${Math.round(r.wallMs)} ms)`);
    figures[`simEventsPerSec${nodes}`] = r.perSec;
  }
  const seeded = longLog(1_000_000);
  const buildStart = performance.now();
  const world = new World({ scenario: scenario(5), initialState: () => seeded });
  const host = new InlineHost();
  const r = measure(world, host, 2_000, MEASURED_EVENTS);
  log(`  5 nodes, 1,000,000-entry log: ${Math.round(r.perSec).toLocaleString('en-US')} events/s (warm-up incl. re-apply ${Math.round(performance.now() - buildStart - r.wallMs)} ms)`);
  figures.simEventsPerSecLongLog = r.perSec;
  return figures;
}
