/**
 * Connects the key-value views to the run when they are first needed: at a run whose scenario has clients, or
 * when the user opens the views. Until then a page loads none of their code (the state machine mirrors, the
 * linearizability checker). The composition root calls `prepare` before loading a run, so a run with clients
 * has its views listening from its first event. Otherwise (a run already under way when the user opens the
 * views) the run is replayed by re-simulating to the current position: runs are deterministic, the replay exact.
 * As a fallback, events that go by while the code loads are kept and handed over (their sentences then point
 * at the moment the code arrived).
 */
import type { FlotillaStore, KvStore } from '../../store/index.ts';
import type { RunDriver } from '../../store/index.ts';
import type { ResolvedScenario } from '../../sim/index.ts';
import type { SimEvent } from '../../store/index.ts';
import { kvPanelStore } from './kvPanelState.ts';

function hasClients(scenario: ResolvedScenario | null): boolean {
  return scenario !== null && scenario.actions.some((a) => a.do === 'client');
}

/** What the composition root calls before loading a run. */
export interface KvViewsLoader {
  /**
   * Loads the views' code first when the run about to load has clients (its scenario's actions or the URL's),
   * so they listen from the run's first event.
   */
  prepare(actions: readonly unknown[]): Promise<void>;
}

export function connectKvViewsOnDemand(driver: RunDriver, store: FlotillaStore, kvStore: KvStore): KvViewsLoader {
  let loading: Promise<void> | null = null;
  /** Events of the current run seen while the code loads (from the run's start); null when not keeping them. */
  let kept: SimEvent[] | null = null;
  const load = (): Promise<void> => {
    loading ??= import('../../store/kv/connectKvViews.ts').then(async ({ connectKvViews }) => {
      const electionTimeoutMs = () => store.getState().run.config.electionTimeoutMs;
      const { ingest } = connectKvViews(driver.ingest, kvStore, electionTimeoutMs);
      ingest.reset(driver.resolved?.nodes ?? 0, electionTimeoutMs());
      if (kept) {
        for (const ev of kept) ingest.event(ev);
        kept = null;
        // The run may have stopped meanwhile (finished, paused): publish what the kept events made now.
        driver.ingest.flush();
      } else if (driver.ingest.events > 0) {
        await driver.seekEvent(driver.ingest.events - 1);
        await driver.step();
      }
    });
    return loading;
  };
  driver.ingest.addFeed({
    reset() {
      if (loading || !hasClients(driver.resolved)) return;
      kept = [];
      void load();
    },
    event(ev) {
      kept?.push(ev);
    },
    flush() {},
  });
  kvPanelStore.subscribe((s) => {
    if (s.open) void load();
  });
  return {
    prepare(actions) {
      const clients = actions.some((a) => typeof a === 'object' && a !== null && (a as { do?: unknown }).do === 'client');
      return clients ? load() : Promise.resolve();
    },
  };
}
