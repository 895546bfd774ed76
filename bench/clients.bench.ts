/**
 * Clients through a simulated cluster (issue 6): completed client operations per wall-clock second, with the
 * invariant checker on, and the linearizability check of the resulting history.
 *   kvClusterOpsPerSec   5 nodes, 8 clients (4 attached to "any"), 10 keys, puts/gets/txns/deletes back to back,
 *                        1–20 ms latency, 1% loss: every request goes through ReadIndex or the log and back
 *   kvClusterLinCheckMs  the checker on that history (linearizable required)
 */
import { checkTraceHistory } from '../src/check/index.ts';
import { SyncRunner } from '../src/sim/runner.ts';
import { InlineHost } from '../src/sim/inlineHost.ts';
import { DEFAULT_CONFIG, parseAction, type ResolvedScenario } from '../src/sim/scenario.ts';
import { World } from '../src/sim/world.ts';
import { kvClients } from '../src/etcd/kvClients.ts';

const CLIENTS = 8;
const KEYS = 10;
const MEASURED_OPERATIONS = 20_000;

export default async function (log: (line: string) => void): Promise<Record<string, number>> {
  const scenario: ResolvedScenario = {
    name: 'clients bench', description: '', nodes: 5, seed: 3, until: Number.MAX_SAFE_INTEGER,
    config: { ...DEFAULT_CONFIG, electionTimeoutMs: 150, heartbeatMs: 30 },
    network: { latencyMs: [1, 20], dropRate: 0.01, duplicateRate: 0 },
    actions: [],
  };
  const world = new World({ scenario, clientLayer: kvClients });
  const host = new InlineHost();
  const runner = new SyncRunner(host);
  const history: object[] = [];
  let completed = 0;
  world.subscribe((e) => {
    if (e.type === 'client' || e.type === 'lease') history.push(e);
    if (e.type === 'client' && e.phase !== 'invoke') completed++;
  });
  const schedule = (action: Record<string, unknown>): void => world.scheduleAction(parseAction(action, scenario.nodes));
  for (let c = 1; c <= CLIENTS; c++) schedule({ at: 1, do: 'client', client: `c${c}`, via: c % 2 === 0 ? 'any' : c % scenario.nodes + 1 });
  let n = 0;
  const startMs = performance.now();
  while (completed < MEASURED_OPERATIONS) {
    const at = world.now + 1;
    for (let c = 1; c <= CLIENTS; c++) {
      const client = world.clientHub.get(`c${c}`);
      if (client && client.isBusy) continue;
      const key = `k${(n * 7 + c) % KEYS}`;
      const kind = n++ % 4;
      if (kind === 0) schedule({ at, do: 'put', client: `c${c}`, key, value: `v${n}` });
      else if (kind === 1) schedule({ at, do: 'get', client: `c${c}`, key });
      else if (kind === 2) schedule({ at, do: 'txn', client: `c${c}`, compare: [{ key, target: 'version', op: '>', value: 0 }], success: [{ put: { key, value: `t${n}` } }], failure: [] });
      else schedule({ at, do: 'delete', client: `c${c}`, key });
    }
    runner.runUntil(world, at);
    if (world.violation) throw new Error(`clients bench hit a violation: ${world.violation.message}`);
  }
  const wallMs = performance.now() - startMs;
  const kvClusterOpsPerSec = Math.round((completed / wallMs) * 1000);
  log(`kvClusterOpsPerSec: ${kvClusterOpsPerSec} (${completed} operations, ${world.eventCount} trace events, ${Math.round(world.now)} virtual ms in ${Math.round(wallMs)} ms)`);
  const checkStartMs = performance.now();
  const verdict = checkTraceHistory(history);
  const kvClusterLinCheckMs = Math.round(performance.now() - checkStartMs);
  if (verdict.linearizable !== true) throw new Error(`clients bench: history is ${String(verdict.linearizable)}`);
  log(`kvClusterLinCheckMs: ${kvClusterLinCheckMs} (${verdict.operations} operations, linearizable)`);
  return { kvClusterOpsPerSec, kvClusterLinCheckMs };
}
