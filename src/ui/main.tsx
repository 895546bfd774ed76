// Composition root of the app: the only ui module allowed to wire the worker layer. It picks the node host from
// the URL (host=worker by default, host=inline for in-process), builds the store and the run driver, and renders.
// Nothing else in the UI knows which host runs the nodes.
import '@fontsource-variable/inter/wght.css';
import '@fontsource-variable/jetbrains-mono/wght.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createFlotillaStore, setRun } from '../store/createFlotillaStore.ts';
import { RunDriver } from '../store/runDriver.ts';
import { inlineHostFactory, type HostFactory } from '../store/runHost.ts';
import { decodeInlineScenario, formatRunUrl, parseRunUrl, type HostKind } from '../store/runUrl.ts';
import { parseScenarioText, type ScenarioJson } from '../store/scenarioSource.ts';
import { FrameLoop } from './frameLoop.ts';
import { loadCatalog } from './scenarioCatalog.ts';
import { confirmFork } from './confirmFork.ts';
import { setTheme, uiStore } from './uiState.ts';
import type { AppServices } from './appContext.ts';
import { WorkerHost } from '../worker/workerHost.ts';
import { parseFaultPlan } from '../worker/faultPlan.ts';
import { createKvStore } from '../store/kv/createKvStore.ts';
import { connectKvViewsOnDemand } from './kv/loadKvViews.ts';
import { KvContext, type KvServices } from './kv/kvContext.ts';
import { kvPanelStore } from './kv/kvPanelState.ts';

/**
 * The node hosts by URL name: `worker` (the default) runs one Web Worker per node (src/worker), `inline` runs
 * the nodes in-process. A host missing from this table falls back to inline and says so in a banner.
 */
const hostFactories: Partial<Record<HostKind, HostFactory>> = {
  inline: inlineHostFactory,
  worker: (nodeCount) => {
    // `failNode=3@40` is test-only fault injection (src/worker/faultPlan.ts); the live worker count is on <html>.
    const failNode = new URLSearchParams(location.search).get('failNode');
    const host = new WorkerHost({
      faults: failNode ? parseFaultPlan(failNode, nodeCount) : undefined,
      onWorkerCount: (count) => (document.documentElement.dataset.workerCount = String(count)),
    });
    return { mode: 'async', host, dispose: () => host.dispose() };
  },
};

const store = createFlotillaStore(5);
let banner = '';
let hostKind: HostKind = 'inline';

function chooseHost(kind: HostKind): HostFactory {
  const factory = hostFactories[kind];
  hostKind = factory ? kind : 'inline';
  banner = factory ? '' : `The ${kind} host is not available in this build: the nodes run in-process (host=inline).`;
  return factory ?? inlineHostFactory;
}

const initial = parseRunUrl(location.search);
const driver = new RunDriver(store, (n) => currentFactory(n), { confirmFork });
let currentFactory: HostFactory = chooseHost(initial.spec.host);
const catalog = loadCatalog();
const frames = new FrameLoop(store, driver);
// The key-value views (issue 7): fed by the same events as the Raft views, their code loaded when a run needs it.
const kvServices: KvServices = { store: createKvStore() };
const kvViews = connectKvViewsOnDemand(driver, kvServices.store);
// The clients' code (src/sim/kvClients.ts) loads with the first run that names a client, or when the user opens
// the key-value views, where clients are created by hand.
kvPanelStore.subscribe((s) => {
  if (s.open) void driver.prepareClientLayer();
});

function scenarioFor(path: string): ScenarioJson {
  if (path.startsWith('inline:')) return parseScenarioText(decodeInlineScenario(path));
  const entry = catalog.find((c) => c.path === path);
  if (!entry) throw new Error(`scenario: no bundled scenario ${path} (known: ${catalog.map((c) => c.path).join(', ')})`);
  return entry.json;
}

/** Opens the run a query string describes, and records it in the address bar. */
async function open(search: string): Promise<void> {
  const { spec, errors } = parseRunUrl(search);
  if (search !== location.search) history.pushState(null, '', search);
  currentFactory = chooseHost(spec.host);
  document.documentElement.dataset.host = hostKind;
  setRun(store, { phase: 'loading', error: null });
  try {
    if (errors.length > 0) throw new Error(errors.join('; '));
    const base = scenarioFor(spec.scenario);
    await kvViews.prepare([...(base.actions ?? []), ...spec.actions]);
    await driver.load(base, spec);
    if (spec.runToEnd) await driver.runToEnd();
  } catch (e) {
    setRun(store, { phase: 'error', error: (e as Error).message });
  }
  render();
}

const services: AppServices = { store, driver, frames, catalog, open };
const root = createRoot(document.getElementById('root')!);
function render() {
  root.render(
    <StrictMode>
      <KvContext.Provider value={kvServices}>
        <App services={services} banner={banner} />
      </KvContext.Provider>
    </StrictMode>,
  );
}

setTheme(uiStore.getState().theme);
// Keep the URL in step with the run: the user's actions are part of it, so a reload or a copied link replays.
store.subscribe((s, prev) => {
  if (s.run.userActions !== prev.run.userActions) {
    const spec = driver.shareSpec();
    if (spec) history.replaceState(null, '', formatRunUrl({ ...spec, position: null }));
  }
});
window.addEventListener('popstate', () => void open(location.search));
render();
frames.start();
void open(location.search);
