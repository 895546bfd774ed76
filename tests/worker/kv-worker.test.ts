/**
 * Clients through worker-hosted nodes: a scenario with clients, leases and watches gives the same trace bytes
 * through worker doubles (structured clone, the wire encoding with the key-value output, lookahead windows) as
 * through the in-process host.
 */
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../src/sim/scenario.ts';
import { kvClients } from '../../src/etcd/kvClients.ts';
import { WorkerHost } from '../../src/worker/workerHost.ts';
import { drive, inlineLines } from './drive.ts';
import { spawnInProcessWorker } from './inProcessWorker.ts';

const scenario = resolveScenario({
  name: 'worker host with clients', nodes: 3, seed: 5, until: 9000,
  network: { latencyMs: [10, 30], dropRate: 0.02, duplicateRate: 0.02 },
  actions: [
    { at: 500, do: 'client', client: 'a', via: 'any' },
    { at: 500, do: 'client', client: 'b', via: 2 },
    { at: 1000, do: 'grant', client: 'a', lease: 'L', ttlMs: 2000 },
    { at: 1000, do: 'keepalive', client: 'a', lease: 'L' },
    { at: 1000, do: 'put', client: 'a', key: 's/a', value: '1', lease: 'L' },
    { at: 1000, do: 'watch', client: 'b', watch: 'w', key: 's/', prefix: true, startRevision: 1 },
    { at: 2500, do: 'crash', node: 'leader' },
    { at: 2600, do: 'put', client: 'b', key: 's/b', value: '2' },
    { at: 3000, do: 'get', client: 'b', key: 's/', prefix: true },
    { at: 4000, do: 'killClient', client: 'a' },
    { at: 5000, do: 'restart', node: 'lastCrashed' },
  ],
});

describe('WorkerHost with clients', () => {
  it('writes the same trace bytes as the in-process run', async () => {
    const expected = inlineLines(scenario);
    const host = new WorkerHost({ spawn: () => spawnInProcessWorker() });
    const { lines } = await drive(scenario, host, kvClients);
    host.dispose();
    expect(expected.some((l) => l.includes('"type":"lease"') && l.includes('"expired"'))).toBe(true);
    expect(expected.filter((l) => l.includes('"type":"client"')).length).toBeGreaterThan(10);
    expect(lines).toEqual(expected);
  });
});
