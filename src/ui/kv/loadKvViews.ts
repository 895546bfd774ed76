/**
 * Connects the key-value views to the run when they are first needed: at a run whose scenario has clients, or
 * when the user opens the views. Until then a page loads none of their code (the state machine mirrors, the
 * linearizability checker). Events that went by before they listened are replayed by re-simulating to the
 * current position (runs are deterministic, so the replay is exact).
 */
import type { KvStore } from '../../store/kv/createKvStore.ts';
import type { RunDriver } from '../../store/runDriver.ts';
import type { ResolvedScenario } from '../../sim/scenario.ts';
import { kvPanelStore } from './kvPanelState.ts';

function hasClients(scenario: ResolvedScenario | null): boolean {
  return scenario !== null && scenario.actions.some((a) => a.do === 'client');
}

export function connectKvViewsOnDemand(driver: RunDriver, kvStore: KvStore): void {
  let loading: Promise<void> | null = null;
  const load = (): Promise<void> => {
    loading ??= import('../../store/kv/connectKvViews.ts').then(async ({ connectKvViews }) => {
      connectKvViews(driver.ingest, kvStore, () => driver.resolved?.config.electionTimeoutMs ?? 1000);
      const shown = driver.ingest.events;
      if (shown > 0) {
        await driver.seekEvent(shown - 1);
        await driver.step();
      }
    });
    return loading;
  };
  driver.ingest.addFeed({
    reset() {
      if (!loading && hasClients(driver.resolved)) void load();
    },
    event() {},
    flush() {},
  });
  kvPanelStore.subscribe((s) => {
    if (s.open) void load();
  });
}
