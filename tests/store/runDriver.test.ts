// The driver against the real simulator (in-process host): the trace it keeps is the CLI's, stepping and
// seeking are exact, and a user action replays identically from the exported scenario.
import { describe, expect, it } from 'vitest';
import { createFlotillaStore, setControls } from '../../src/store/createFlotillaStore.ts';
import { RunDriver } from '../../src/store/runDriver.ts';
import { inlineHostFactory } from '../../src/store/runHost.ts';
import type { RunSpec } from '../../src/store/runUrl.ts';
import { parseScenario, resolveScenario } from '../../src/sim/scenario.ts';
import { TraceWriter } from '../../src/sim/traceWriter.ts';
import { World } from '../../src/sim/world.ts';
import { InlineHost } from '../../src/sim/inlineHost.ts';
import { isTraceEvent } from '../../src/sim/traceEvents.ts';
import { asAsyncHost } from '../../src/sim/asyncDriver.ts';

const BASE = { name: 'driver test', nodes: 3, seed: 5, until: 3000, actions: [{ at: 1500, do: 'propose', node: 'leader', data: 'x=1' }] };
const SPEC: RunSpec = { scenario: 'inline:test', seed: null, host: 'inline', overrides: {}, actions: [], position: null, runToEnd: false };

/** What `npx flotilla sim` computes: the whole run's trace text through the TraceWriter. */
function cliTrace(json: object): { text: string; sha: string } {
  const lines: string[] = [];
  const writer = new TraceWriter((l) => lines.push(l));
  const world = new World({ scenario: resolveScenario(json) });
  writer.header(world.header());
  world.subscribe((ev) => { if (isTraceEvent(ev)) writer.event(ev); });
  world.runUntil(world.scenario.until, new InlineHost());
  return { text: lines.join(''), sha: writer.sha256() };
}

function setup() {
  const store = createFlotillaStore(3);
  let asked = 0;
  const driver = new RunDriver(store, inlineHostFactory, { confirmFork: async () => { asked++; return true; } });
  return { store, driver, asked: () => asked };
}

describe('RunDriver', () => {
  it('runs to the end and keeps the CLI trace, byte for byte, with its sha256', async () => {
    const { store, driver } = setup();
    await driver.load(BASE, SPEC);
    await driver.runToEnd();
    const run = store.getState().run;
    const cli = cliTrace(BASE);
    expect(run.phase).toBe('finished');
    expect(run.traceSha256).toBe(cli.sha);
    expect(await downloadedText(driver)).toBe(cli.text);
    expect(store.getState().cluster.nodes.some((n) => n.role === 'leader')).toBe(true);
    expect(store.getState().logs.every((l) => l.entries.some((e) => e.data === 'x=1'))).toBe(true);
  });

  it('gives the same trace through an asynchronous host (the Web Worker path), stepping included', async () => {
    const store = createFlotillaStore(3);
    const driver = new RunDriver(store, () => ({ mode: 'async', host: asAsyncHost(new InlineHost()), dispose() {} }), { confirmFork: async () => true });
    await driver.load(BASE, SPEC);
    for (let i = 1; i <= 30; i++) await driver.step();
    expect(store.getState().run.eventIndex).toBe(30);
    await driver.stepBack();
    expect(store.getState().run.eventIndex).toBe(29);
    await driver.runToEnd();
    expect(store.getState().run.traceSha256).toBe(cliTrace(BASE).sha);
  });

  it('steps one trace event at a time, and seeking back re-simulates the same state', async () => {
    const { store, driver } = setup();
    await driver.load(BASE, SPEC);
    for (let i = 1; i <= 40; i++) {
      await driver.step();
      expect(store.getState().run.eventIndex).toBe(i);
    }
    await driver.seekEvent(200);
    const at200 = store.getState();
    const snapshot = JSON.stringify({ nodes: at200.cluster.nodes, logs: at200.logs, msgs: at200.messages.inFlight, now: at200.run.now });
    await driver.seekEvent(80);
    expect(store.getState().run.eventIndex).toBe(80);
    await driver.stepBack();
    expect(store.getState().run.eventIndex).toBe(79);
    expect(store.getState().run.horizonEvents).toBe(200);
    await driver.seekEvent(200);
    const again = store.getState();
    expect(JSON.stringify({ nodes: again.cluster.nodes, logs: again.logs, msgs: again.messages.inFlight, now: again.run.now })).toBe(snapshot);
  });

  it('plays at a speed: virtual time advances by wall time × speed', async () => {
    const { store, driver } = setup();
    await driver.load(BASE, SPEC);
    setControls(store, { speedLog10: 0 });
    for (let i = 0; i < 10; i++) await driver.frame(16);
    expect(store.getState().run.now).toBe(160);
  });

  it('a user action is replayed identically by the exported scenario; acting in the past asks, then forks', async () => {
    const { store, driver, asked } = setup();
    await driver.load(BASE, SPEC);
    await driver.seekTime(2000);
    expect(await driver.act([{ do: 'crash', node: 'leader' }])).toBe(true);
    expect(asked()).toBe(0);
    await driver.runToEnd();
    const exported = driver.scenarioJson();
    expect(exported.actions).toEqual([...BASE.actions, { do: 'crash', node: 'leader', at: 2001 }]);
    expect(store.getState().run.traceSha256).toBe(cliTrace(exported).sha);
    expect(parseScenario(JSON.stringify(exported)).actions.length).toBe(2);
    // In the past: the user is asked, the later user action is discarded.
    await driver.seekTime(1000);
    expect(await driver.act([{ do: 'timeout', node: 2 }])).toBe(true);
    expect(asked()).toBe(1);
    expect(driver.scenarioJson().actions).toEqual([...BASE.actions, { do: 'timeout', node: 2, at: 1001 }]);
    await driver.runToEnd();
    expect(store.getState().run.traceSha256).toBe(cliTrace(driver.scenarioJson()).sha);
  });

  it('reports a bad user action by its field and changes nothing', async () => {
    const { store, driver } = setup();
    await driver.load(BASE, SPEC);
    await expect(driver.act([{ do: 'crash', node: 7 }])).rejects.toThrow(/actions\[0\]\.node/);
    expect(driver.scenarioJson().actions).toEqual(BASE.actions);
    expect(store.getState().run.phase).toBe('running');
    await driver.step();
    expect(store.getState().run.eventIndex).toBe(1);
  });
});

describe('traceToScenario', () => {
  it('rebuilds the scenario of a trace, which replays to the same bytes', async () => {
    const { traceToScenario } = await import('../../src/store/traceToScenario.ts');
    const json = { ...BASE, actions: [...BASE.actions, { at: 2000, do: 'isolate', node: 'leader' }, { at: 2500, do: 'heal' }] };
    const original = cliTrace(json);
    const rebuilt = traceToScenario(original.text);
    expect(cliTrace(rebuilt).text).toBe(original.text);
    expect(() => traceToScenario('{"type":"nope"}\n')).toThrow(/line 1/);
  });
});

/** The trace "Download trace" saves (a Blob of parts), read back as text. */
async function downloadedText(driver: RunDriver): Promise<string> {
  const trace = await driver.traceDownload();
  if (trace.kind !== 'blob') throw new Error(`no download: the trace is ${trace.bytes} bytes, past the keep bound`);
  return trace.blob.text();
}

describe('TraceRecorder', () => {
  it('keeps the CLI bytes in parts and hashes them as they come; past its keep bound it only hashes', async () => {
    const { TraceRecorder, traceSha256 } = await import('../../src/store/traceRecorder.ts');
    const cli = cliTrace(BASE);
    const world = new World({ scenario: resolveScenario(BASE) });
    const kept = new TraceRecorder(world.header());
    // Parts of ~100 characters: the download is many parts, joined by the Blob, never by the recorder.
    const smallParts = new TraceRecorder(world.header(), undefined, 100);
    const small = new TraceRecorder(world.header(), 2000);
    world.subscribe((ev) => { if (isTraceEvent(ev)) { kept.event(ev); small.event(ev); smallParts.event(ev); } });
    world.runUntil(world.scenario.until, new InlineHost());
    const download = kept.download();
    expect(download.kind === 'blob' && await download.blob.text()).toBe(cli.text);
    expect(kept.sha256()).toBe(cli.sha);
    expect(traceSha256(cli.text)).toBe(cli.sha);
    const parts = smallParts.download();
    expect(parts.kind === 'blob' && await parts.blob.text()).toBe(cli.text);
    expect(smallParts.sha256()).toBe(cli.sha);
    expect(small.download()).toEqual({ kind: 'tooLarge', bytes: Buffer.byteLength(cli.text) });
    expect(small.sha256()).toBe(cli.sha);
  });

  it('a run past the keep bound still shows the exact sha256, and says how large the trace is', async () => {
    const store = createFlotillaStore(3);
    const driver = new RunDriver(store, inlineHostFactory, { confirmFork: async () => true, traceKeepBytes: 10_000 });
    const long = { ...BASE, until: 20_000 };
    await driver.load(long, SPEC);
    await driver.runToEnd();
    const cli = cliTrace(long);
    expect(cli.text.length).toBeGreaterThan(10_000);
    expect(store.getState().run.traceSha256).toBe(cli.sha);
    expect(await driver.traceDownload()).toEqual({ kind: 'tooLarge', bytes: Buffer.byteLength(cli.text) });
  });
});
