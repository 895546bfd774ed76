// Composition root of the app: the only ui module allowed to wire the worker layer. It picks the node host from
// the URL (host=worker by default, host=inline for in-process), builds the store and the run driver, and renders.
// Nothing else in the UI knows which host runs the nodes.
import '@fontsource-variable/inter/wght.css';
import '@fontsource-variable/jetbrains-mono/wght.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createFlotillaStore, setRun } from '../store/index.ts';
import { RunDriver } from '../store/index.ts';
import { inlineHostFactory, type HostFactory } from '../store/index.ts';
import { formatRunFragment, formatRunUrl, inlineScenarioJson, parseRunUrl, runParamsOfLocation, type HostKind, type RunSpec } from '../store/index.ts';
import { checkRunSpec } from '../store/index.ts';
import type { ScenarioJson } from '../store/index.ts';
import { FrameLoop } from './frameLoop.ts';
import { newestOnly } from './newestOnly.ts';
import { loadCatalog } from './scenarioCatalog.ts';
import { confirmFork } from './confirmFork.ts';
import { setTheme, uiStore } from './uiState.ts';
import type { AppServices } from './appContext.ts';
import { WorkerHost, parseFaultPlan } from '../worker/index.ts';
import { createKvStore } from '../store/index.ts';
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
    // `failNode=3@40` is test-only fault injection (src/worker/faultPlan.ts), read only by test builds (a shared
    // link must not show nodes "failed"); the live worker count is on <html>.
    const failNode = import.meta.env.DEV || __FLOTILLA_TEST_HOOKS__ ? testParam('failNode') : null;
    const host = new WorkerHost({
      faults: failNode ? parseFaultPlan(failNode, nodeCount) : undefined,
      onWorkerCount: (count) => (document.documentElement.dataset.workerCount = String(count)),
    });
    return { mode: 'async', host, dispose: () => host.dispose() };
  },
};

const store = createFlotillaStore(5);

/** The host a run asks for, or inline (with a banner saying why) when this build has none of that kind. */
function chooseHost(kind: HostKind): { readonly kind: HostKind; readonly factory: HostFactory; readonly banner: string } {
  const factory = hostFactories[kind];
  return factory
    ? { kind, factory, banner: '' }
    : { kind: 'inline', factory: inlineHostFactory, banner: `The ${kind} host is not available in this build: the nodes run in-process (host=inline).` };
}

/** The run parameters of the run opened last (kept in the store's run slice). */
function currentSearch(): string {
  return store.getState().run.search;
}

/** The address the page was opened with (the app rewrites the address bar into its own fragment form). */
const openedWith = { search: location.search, hash: location.hash };

/** A test-only parameter of the opening address, query string or fragment (test builds only: see testHooks.d.ts). */
function testParam(name: string): string | null {
  return new URLSearchParams(openedWith.search).get(name) ?? new URLSearchParams(openedWith.hash.slice(1)).get(name);
}

// `traceKeepBytes=N` (test builds only) lowers the trace bytes kept for download, to test the page past it.
const traceKeepBytes = import.meta.env.DEV || __FLOTILLA_TEST_HOOKS__ ? Number(testParam('traceKeepBytes') ?? NaN) : NaN;
// The driver builds each run's nodes with the host the run opened last asked for.
const hostOfRun: HostFactory = (n) => chooseHost(parseRunUrl(currentSearch()).spec.host).factory(n);
const driver = new RunDriver(store, hostOfRun, { confirmFork, ...(traceKeepBytes > 0 ? { traceKeepBytes } : {}) });
const catalog = loadCatalog();
const frames = new FrameLoop(store, driver);
// The key-value views (docs/kv-views.md): fed by the same events as the Raft views, their code loaded when a run needs it.
const kvServices: KvServices = { store: createKvStore() };
const kvViews = connectKvViewsOnDemand(driver, store, kvServices.store);
// The clients' code (src/etcd/kvClients.ts) loads with the first run that names a client, or when the user opens
// the key-value views, where clients are created by hand.
kvPanelStore.subscribe((s) => {
  if (s.open) void driver.prepareClientLayer();
});

function scenarioFor(path: string): ScenarioJson {
  if (path.startsWith('inline:')) return inlineScenarioJson(path) as ScenarioJson;
  const entry = catalog.find((c) => c.path === path);
  if (!entry) throw new Error(`scenario: no bundled scenario ${path} (known: ${catalog.map((c) => c.path).join(', ')})`);
  return entry.json;
}

/** Each open() takes a turn: an older open that is still waiting does nothing more once a newer one started. */
const openTurns = newestOnly();
/** Orders the address bar's updates (each waits for compression). */
const addressTurns = newestOnly();

/** Fragments past this length are not put in the address bar (Chromium drops URLs past 2 MB). */
const ADDRESS_BAR_MAX_CHARS = 1_000_000;

/** Puts the run in the address bar's fragment (docs/ui.md, "URL"): a reload or a copied address replays it. */
async function showInAddressBar(spec: RunSpec, push: boolean): Promise<void> {
  const isNewest = addressTurns.take();
  const fragment = await formatRunFragment(spec);
  if (!isNewest()) return;
  // Too long for the address bar: say so there rather than let a reload open something else.
  const url = location.pathname + '#' + (fragment.length <= ADDRESS_BAR_MAX_CHARS ? fragment : 'too-large');
  if (url === location.pathname + location.hash) return;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

/**
 * Opens the run a query string describes (`?scenario=...`; the top bar and settings build it), and records it in
 * the address bar. Cancels whatever long job the previous run was doing (a seek, run to end), so a new load never
 * waits behind it. `linkErrors` are problems found reading the link itself.
 */
async function open(search: string, push = true, linkErrors: readonly string[] = []): Promise<void> {
  const isNewest = openTurns.take();
  driver.cancelJobs();
  const { spec, errors } = parseRunUrl(search);
  const host = chooseHost(spec.host);
  document.documentElement.dataset.host = host.kind;
  setRun(store, { phase: 'loading', error: null, progress: null, search, hostBanner: host.banner });
  render();
  try {
    if (linkErrors.length + errors.length > 0) throw new Error([...linkErrors, ...errors].join('; '));
    void showInAddressBar(spec, push);
    const base = scenarioFor(spec.scenario);
    checkRunSpec(base, spec);
    await kvViews.prepare([...(base.actions ?? []), ...spec.actions]);
    if (!isNewest()) return;
    await driver.load(base, spec);
    if (!isNewest()) return;
    if (spec.runToEnd) await driver.runToEnd();
  } catch (e) {
    if (isNewest()) setRun(store, { phase: 'error', error: (e as Error).message, progress: null });
  }
  if (isNewest()) render();
}

/** Opens the run the address bar describes: its fragment (plain or compressed), else its query string. */
async function openLocation(): Promise<void> {
  if (location.hash === '#too-large') {
    return open('?', false, ['this run was too large to carry in the address bar: open its exported scenario with Import…']);
  }
  try {
    await open(await runParamsOfLocation(location.search, location.hash), false);
  } catch (e) {
    await open('?', false, [(e as Error).message]);
  }
}

const services: AppServices = { store, driver, frames, catalog, open, currentRun: () => parseRunUrl(currentSearch()).spec };
const root = createRoot(document.getElementById('root')!);
function render() {
  root.render(
    <StrictMode>
      <KvContext.Provider value={kvServices}>
        <App services={services} banner={store.getState().run.hostBanner} />
      </KvContext.Provider>
    </StrictMode>,
  );
}

setTheme(uiStore.getState().theme);
// Keep the URL in step with the run: the user's actions are part of it, so a reload or a copied link replays.
store.subscribe((s, prev) => {
  if (s.run.userActions !== prev.run.userActions) {
    const spec = driver.shareSpec();
    if (spec) {
      setRun(store, { search: formatRunUrl({ ...spec, position: null }) });
      void showInAddressBar({ ...spec, position: null }, false);
    }
  }
});
// Back, forward, and a link pasted into this page's address bar (only the fragment changes: no reload).
window.addEventListener('popstate', () => void openLocation());
window.addEventListener('hashchange', () => void openLocation());
render();
frames.start();
void openLocation();
