// Process pauses in the store and the node menu's actions: a paused node is drawn frozen with its state kept (not
// crashed), a paused client likewise, and the narration says what happened.
import { describe, expect, it } from 'vitest';
import { createFlotillaStore } from '../../src/store/createFlotillaStore.ts';
import { Ingestor } from '../../src/store/ingest.ts';
import { createKvStore } from '../../src/store/kv/createKvStore.ts';
import { KvIngestor } from '../../src/store/kv/kvIngest.ts';
import type { SimEvent, TraceEvent } from '../../src/store/traceEvent.ts';
import { nodeLabel } from '../../src/ui/render/clusterNodes.ts';
import { pauseOrResume, whyNot } from '../../src/ui/actions/nodeActions.ts';
import { RunDriver } from '../../src/store/runDriver.ts';
import { inlineHostFactory } from '../../src/store/runHost.ts';
import type { RunSpec } from '../../src/store/runUrl.ts';
import { runScenario } from '../../src/sim/run.ts';
import { resolveScenario } from '../../src/sim/scenario.ts';

function setup(nodes = 3) {
  const store = createFlotillaStore(nodes);
  const ingest = new Ingestor(store, () => 'explained');
  ingest.reset(nodes);
  const feed = (...events: TraceEvent[]) => { for (const e of events) ingest.event(e); ingest.flush(); };
  return { store, feed, lines: () => store.getState().narration.lines.toArray().map((l) => l.text) };
}

const leader: TraceEvent = { t: 100, type: 'state', node: 3, role: 'leader', term: 4, vote: 3, leader: 3, commit: 0, last: [0, 0] };

describe('a paused node in the store', () => {
  it('is drawn paused with its state kept, named "S3, leader, term 4, paused", and narrated', () => {
    const { store, feed, lines } = setup();
    feed(leader,
      { t: 200, type: 'action', action: { at: 200, do: 'pause', node: 'leader' }, node: 3 },
      { t: 200, type: 'pause', node: 3 });
    const n = store.getState().cluster.nodes[2]!;
    expect(n).toMatchObject({ role: 'leader', term: 4, paused: true, crashed: false });
    expect(nodeLabel(n)).toBe('S3, leader, term 4, paused');
    expect(lines().at(-1)).toBe('S3 is paused: it does nothing, its timers frozen; messages to it wait.');
    // The action event itself is not narrated twice.
    expect(lines().filter((l) => l.includes('paused'))).toHaveLength(1);

    feed({ t: 900, type: 'resume', node: 3 });
    expect(store.getState().cluster.nodes[2]).toMatchObject({ role: 'leader', paused: false });
    expect(lines().at(-1)).toMatch(/^S3 resumes with the beliefs it had/);
  });

  it('a crash ends the pause; a no-op pause says why', () => {
    const { store, feed, lines } = setup();
    feed({ t: 1, type: 'pause', node: 2 }, { t: 2, type: 'crash', node: 2 });
    expect(store.getState().cluster.nodes[1]).toMatchObject({ paused: false, crashed: true });
    feed({ t: 3, type: 'action', action: { at: 3, do: 'pause', node: 2 }, node: 2, noop: true, reason: 'node is crashed' });
    expect(lines().at(-1)).toBe('Pausing S2: no effect (node is crashed).');
  });

  it('the node menu pauses a running node and resumes a paused one; a paused node cannot time out or take proposals', () => {
    const { store, feed } = setup();
    feed(leader, { t: 200, type: 'pause', node: 3 });
    const nodes = store.getState().cluster.nodes;
    expect(pauseOrResume(nodes[0]!)).toEqual([{ do: 'pause', node: 1 }]);
    expect(pauseOrResume(nodes[2]!)).toEqual([{ do: 'resume', node: 3 }]);
    expect(whyNot('propose', nodes[2]!, nodes)).toBe('S3 is paused');
    expect(whyNot('transfer', nodes[0]!, nodes)).toBe('the leader S3 is paused');
    expect(whyNot('pause', nodes[2]!, nodes)).toBeNull();
  });
});

describe('a paused client in the key-value store', () => {
  it('is shown paused until resumed, and a kill ends the pause', () => {
    const store = createKvStore();
    const ingest = new KvIngestor(store);
    ingest.reset(3, 1000);
    const at = (t: number, ev: Record<string, unknown>) => ingest.event({ t, ...ev } as unknown as SimEvent);
    const client = () => { ingest.flush(); return store.getState().clients[0]!; };
    at(5, { type: 'action', action: { at: 5, do: 'client', client: 'c1', via: 2 }, node: 2 });
    expect(client().paused).toBe(false);
    at(6, { type: 'pause', client: 'c1' });
    expect(client().paused).toBe(true);
    at(7, { type: 'resume', client: 'c1' });
    expect(client().paused).toBe(false);
    at(8, { type: 'pause', client: 'c1' });
    at(9, { type: 'action', action: { at: 9, do: 'killClient', client: 'c1' } });
    expect(client()).toMatchObject({ paused: false, killed: true });
  });
});

describe('pause and resume as user actions', () => {
  it('go through the driver like crash: recorded, exported, and replayed to the same bytes', async () => {
    const base = { name: 'pause via driver', nodes: 3, seed: 5, until: 9000, actions: [] as object[] };
    const spec: RunSpec = { scenario: 'inline:test', seed: null, host: 'inline', overrides: {}, actions: [], position: null, runToEnd: false };
    const store = createFlotillaStore(3);
    const driver = new RunDriver(store, inlineHostFactory, { confirmFork: async () => true });
    await driver.load(base, spec);
    await driver.seekTime(2000);
    expect(await driver.act([{ do: 'pause', node: 'leader' }])).toBe(true);
    await driver.seekTime(2100);
    const pausedNode = store.getState().cluster.nodes.find((n) => n.paused)!;
    expect(pausedNode.role).toBe('leader');
    await driver.seekTime(5000);
    expect(await driver.act(pauseOrResume(store.getState().cluster.nodes[pausedNode.id - 1]!))).toBe(true);
    await driver.runToEnd();
    const exported = driver.scenarioJson();
    expect(exported.actions).toEqual([{ do: 'pause', node: 'leader', at: 2001 }, { do: 'resume', node: pausedNode.id, at: 5001 }]);
    expect(store.getState().cluster.nodes.some((n) => n.paused)).toBe(false);
    expect(store.getState().run.traceSha256).toBe(runScenario(resolveScenario(exported)).summary.traceSha256);
  });
});
