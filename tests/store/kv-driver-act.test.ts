// A user's client action (the console, a client's menu) names a client that an earlier action created: the
// driver validates it with the run's earlier actions, runs it, and the exported scenario replays the same trace.
import { describe, expect, it } from 'vitest';
import { createFlotillaStore } from '../../src/store/createFlotillaStore.ts';
import { RunDriver } from '../../src/store/runDriver.ts';
import { inlineHostFactory } from '../../src/store/runHost.ts';
import type { RunSpec } from '../../src/store/runUrl.ts';
import { createKvStore } from '../../src/store/kv/createKvStore.ts';
import { connectKvViews } from '../../src/store/kv/connectKvViews.ts';

const BASE = { name: 'kv act', nodes: 3, seed: 3, until: 6000, actions: [{ at: 300, do: 'client', client: 'c1', via: 2 }] };
const SPEC: RunSpec = { scenario: 'inline:test', seed: null, host: 'inline', overrides: {}, actions: [], position: null, runToEnd: false };
const noTimers = { now: () => 0, setTimeout: () => 0, clearTimeout: () => undefined, whenIdle: () => undefined };

describe('client actions from the UI', () => {
  it('run for a client created by the scenario or by an earlier user action', async () => {
    const store = createFlotillaStore(3);
    const driver = new RunDriver(store, inlineHostFactory, { confirmFork: async () => true });
    const kv = createKvStore();
    connectKvViews(driver.ingest, kv, () => 1000, noTimers);
    await driver.load(BASE, SPEC);
    await driver.seekTime(2000);
    expect(await driver.act([{ do: 'put', client: 'c1', key: 'a', value: '1' }])).toBe(true);
    expect(await driver.act([{ do: 'client', client: 'you', via: 'any' }])).toBe(true);
    expect(await driver.act([{ do: 'get', client: 'you', key: 'a' }])).toBe(true);
    await driver.seekTime(4000);
    const outcomes = kv.getState().outcomes.lines.toArray().map((o) => `${o.client}: ${o.op} → ${o.text}`);
    expect(outcomes).toEqual(['c1: put a=1 → OK (rev 2)', 'you: get a → a = 1 (rev 2)']);
    await expect(driver.act([{ do: 'get', client: 'nobody', key: 'a' }])).rejects.toThrow(/unknown client "nobody"/);
  });
});
