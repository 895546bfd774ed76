/**
 * Turns a trace file back into the scenario that produced it: the header holds the cluster, seed, config and
 * network, and every action the run took is in its `action` events, as written. Replaying that scenario gives
 * the same trace (determinism), which is how an imported trace is shown in the UI.
 */
import type { ScenarioJson } from './scenarioSource.ts';

export function traceToScenario(text: string): ScenarioJson {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new Error('trace: the file is empty');
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(lines[0]) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`trace line 1: malformed JSON (${(e as Error).message})`);
  }
  if (header.type !== 'header' || header.format !== 'flotilla-trace') throw new Error('trace line 1: expected a flotilla-trace header');
  const nodes = header.nodes;
  if (!Array.isArray(nodes) || nodes.length === 0) throw new Error('trace header.nodes: expected a non-empty array of ids');
  const actions: unknown[] = [];
  let lastT = 0;
  for (let i = 1; i < lines.length; i++) {
    let ev: Record<string, unknown>;
    try {
      ev = JSON.parse(lines[i]) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`trace line ${i + 1}: malformed JSON (${(e as Error).message})`);
    }
    if (typeof ev.t === 'number') lastT = ev.t;
    if (ev.type === 'action') actions.push(ev.action);
  }
  const config = { ...(header.config as Record<string, unknown>) };
  return {
    name: typeof header.name === 'string' ? header.name : 'imported trace',
    nodes: nodes.length,
    seed: header.seed,
    until: typeof header.until === 'number' ? header.until : lastT,
    config,
    network: header.network as Record<string, unknown>,
    actions,
  };
}
