/**
 * The key-value views' store: a Zustand vanilla store (no React), fed by KvIngestor and read by the components
 * under src/ui/kv with `useStore(kvStore, selector)`.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { Ring } from '../ring.ts';
import type { ClientOutcome, KvControls, KvNarrationLine, KvState, VerdictSlice, WatchLine } from './kvState.ts';

/** Watch stream lines kept (the bound on its memory). */
export const WATCH_LINE_CAPACITY = 500;
/** Narration lines about clients, leases and recipes kept. */
export const KV_NARRATION_CAPACITY = 400;
/** Completed client operations kept (the console shows its own clients' ones). */
export const OUTCOME_CAPACITY = 300;

export type KvStore = StoreApi<KvState>;

export function initialVerdict(): VerdictSlice {
  return {
    status: 'none', operations: 0, checkedEvents: 0, failingKey: null, failingOp: null, revisionOrderOk: true, revisionOrderMessage: null,
  };
}

/** The state before any event; the controls are kept across runs when given. */
export function initialKvState(controls: KvControls = { tableNode: 0 }): KvState {
  return {
    table: { node: 0, rows: [], keyCount: 0, revision: 1, compactRevision: 0, appliedIndex: 0, newestRevision: 1, behind: 0, replicas: [] },
    leases: { clockNode: 0, clockSinceMs: null, leases: [] },
    watches: { version: 0, lines: new Ring<WatchLine>(WATCH_LINE_CAPACITY), open: [] },
    elections: [],
    services: [],
    cron: { jobs: [], marks: [], doubleRuns: [] },
    clients: [],
    verdict: initialVerdict(),
    narration: { version: 0, lines: new Ring<KvNarrationLine>(KV_NARRATION_CAPACITY) },
    outcomes: { version: 0, lines: new Ring<ClientOutcome>(OUTCOME_CAPACITY) },
    controls,
  };
}

export function createKvStore(): KvStore {
  return createStore<KvState>()(() => initialKvState());
}

export function setKvControls(store: KvStore, patch: Partial<KvControls>): void {
  store.setState((s) => ({ controls: { ...s.controls, ...patch } }));
}
