/**
 * Turning a fuzz run into a scenario file: the seed's cluster, its initial network, and every action the
 * nemesis and the client scheduled. `flotilla sim` on that file replays the run event for event (the world's
 * draws depend only on its seed and the actions), so a failing seed becomes a plain, shareable scenario.
 */
import type { FuzzResult } from './fuzz/fuzz.ts';

/** The scenario JSON (as an object, fields in file order) that replays `result` up to its end. */
export function replayScenario(result: FuzzResult): Record<string, unknown> {
  const o = result.options;
  return {
    name: `fuzz seed ${result.seed}`,
    description: `Replay of \`flotilla fuzz --from-seed ${result.seed}\`${result.violation ? `: ${result.violation.invariant} at ${result.violation.t} ms` : ''}.`,
    nodes: o.nodes,
    seed: o.worldSeed,
    until: result.endMs,
    config: o.config,
    network: o.network,
    actions: result.actions,
  };
}
