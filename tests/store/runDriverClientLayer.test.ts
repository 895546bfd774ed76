// The driver loads the client layer only for a run that names a client (at load, or when the user's action
// creates one), and the trace stays the CLI's byte for byte either way.
import { describe, expect, it } from 'vitest';
import { createFlotillaStore } from '../../src/store/createFlotillaStore.ts';
import { RunDriver } from '../../src/store/runDriver.ts';
import { inlineHostFactory } from '../../src/store/runHost.ts';
import type { RunSpec } from '../../src/store/runUrl.ts';
import { kvClients } from '../../src/etcd/kvClients.ts';
import { runScenario } from '../../src/sim/run.ts';
import { resolveScenario } from '../../src/sim/scenario.ts';

const SPEC: RunSpec = { scenario: 'inline:test', seed: null, host: 'inline', overrides: {}, actions: [], position: null, runToEnd: false };
const RAFT_ONLY = { name: 'raft only', nodes: 3, seed: 5, until: 3000, actions: [{ at: 1500, do: 'propose', node: 'leader', data: 'x=1' }] };
const WITH_CLIENT = {
  name: 'with a client', nodes: 3, seed: 5, until: 4000,
  actions: [{ at: 800, do: 'client', client: 'a', via: 'any' }, { at: 1500, do: 'put', client: 'a', key: 'k', value: 'v' }],
};

/** What `npx flotilla sim` prints as the trace's sha256. */
function cliSha(json: object): string {
  return runScenario(resolveScenario(json)).summary.traceSha256;
}

function setup() {
  const store = createFlotillaStore(3);
  let loads = 0;
  const driver = new RunDriver(store, inlineHostFactory, {
    confirmFork: async () => true,
    loadClientLayer: async () => { loads++; return kvClients; },
  });
  return { store, driver, loads: () => loads };
}

describe('RunDriver and the client layer', () => {
  it('never loads it for a Raft-only run', async () => {
    const { store, driver, loads } = setup();
    await driver.load(RAFT_ONLY, SPEC);
    await driver.runToEnd();
    expect(store.getState().run.traceSha256).toBe(cliSha(RAFT_ONLY));
    expect(loads()).toBe(0);
  });

  it('loads it once for a run with clients, replays included', async () => {
    const { store, driver, loads } = setup();
    await driver.load(WITH_CLIENT, SPEC);
    await driver.seekEvent(300);
    await driver.seekEvent(100);
    await driver.runToEnd();
    expect(store.getState().run.traceSha256).toBe(cliSha(WITH_CLIENT));
    expect(loads()).toBe(1);
  });

  it('loads it when the user creates a client in a Raft-only run; the exported scenario replays the same bytes', async () => {
    const { store, driver, loads } = setup();
    await driver.load(RAFT_ONLY, SPEC);
    await driver.seekTime(1000);
    expect(loads()).toBe(0);
    expect(await driver.act([{ do: 'client', client: 'u', via: 1 }])).toBe(true);
    expect(await driver.act([{ do: 'put', client: 'u', key: 'k', value: 'v' }])).toBe(true);
    expect(loads()).toBe(1);
    await driver.runToEnd();
    const exported = driver.scenarioJson();
    expect(JSON.stringify(exported)).toContain('"client":"u"');
    expect(store.getState().run.traceSha256).toBe(cliSha(exported));
  });

  it('loads it ahead when asked (the key-value views opened), once for the page', async () => {
    const { driver, loads } = setup();
    await driver.load(RAFT_ONLY, SPEC);
    await driver.prepareClientLayer();
    await driver.prepareClientLayer();
    await driver.load(WITH_CLIENT, SPEC);
    expect(loads()).toBe(1);
  });
});
