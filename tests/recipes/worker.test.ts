/**
 * Recipes with worker-hosted nodes: the recipes run in the world (they are clients), so an etcd recipe example
 * gives the same trace bytes through worker doubles and lookahead windows as in process.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/scenario.ts';
import { kvClients } from '../../src/etcd/kvClients.ts';
import { WorkerHost } from '../../src/worker/workerHost.ts';
import { drive, inlineLines } from '../worker/drive.ts';
import { spawnInProcessWorker } from '../worker/inProcessWorker.ts';

describe('recipes with worker-hosted nodes', () => {
  it('the distributed cron example writes the same trace bytes as the in-process run', async () => {
    const scenario = parseScenario(readFileSync(path.resolve(import.meta.dirname, '../../examples/etcd-distributed-cron.json'), 'utf8'));
    const expected = inlineLines(scenario);
    const host = new WorkerHost({ spawn: () => spawnInProcessWorker() });
    const { lines } = await drive(scenario, host, kvClients);
    host.dispose();
    expect(expected.filter((l) => l.includes('"type":"recipe"') && l.includes('"event":"run"')).length).toBeGreaterThan(10);
    expect(expected.some((l) => l.includes('"event":"refused"'))).toBe(true);
    expect(lines).toEqual(expected);
  });
});
