/**
 * The visualizer's store: a Zustand vanilla store (no React here), so it can be fed and tested in Node and read
 * by React components through `useStore(store, selector)`.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { DEFAULT_CONFIG, DEFAULT_NETWORK } from '../sim/index.ts';
import { Ring } from './ring.ts';
import {
  INVARIANT_NAMES,
  type ControlsSlice,
  type FlotillaState,
  type NarrationLine,
  type NodeView,
  type RunSlice,
  type TimelineItem,
} from './state.ts';

/** Timeline items kept (messages, crashes, elections): the bound on the space-time diagram's memory. */
export const TIMELINE_CAPACITY = 5000;
/** Narration lines kept. */
export const NARRATION_CAPACITY = 800;
/** Default speed: 1/20× makes a 20 ms message take 0.4 s on screen. */
export const DEFAULT_SPEED_LOG10 = -1.3;
export const MIN_SPEED_LOG10 = -3;
/** The top of the speed scale: fast-forward (as many events per frame as the frame budget allows). */
export const MAX_SPEED_LOG10 = 3;

export type FlotillaStore = StoreApi<FlotillaState>;

export function initialNodeView(id: number): NodeView {
  return {
    id, role: 'follower', term: 0, vote: 0, leader: 0, commit: 0, applied: 0, lastIndex: 0, lastTerm: 0,
    crashed: false, paused: false, failure: null, timerFraction: null, leaseFraction: null, transferee: 0, progress: [],
  };
}

export function initialControls(): ControlsSlice {
  return { speedLog10: DEFAULT_SPEED_LOG10, paused: true, selectedNode: 0, narrationNode: 0, narrationCategory: 'all' };
}

export function initialRun(): RunSlice {
  return {
    phase: 'idle', error: null, scenarioName: '', seed: 0, nodeCount: 0, until: 0, now: 0, eventIndex: 0,
    horizonEvents: 0, horizonT: 0, config: DEFAULT_CONFIG, network: DEFAULT_NETWORK, userActions: [], traceSha256: null, host: 'inline', search: '', hostBanner: '', progress: null,
  };
}

/** The state of a cluster of `nodeCount` nodes before any event. Controls are kept across runs when given. */
export function initialState(nodeCount: number, controls: ControlsSlice = initialControls(), run: RunSlice = initialRun()): FlotillaState {
  const ids = Array.from({ length: nodeCount }, (_, i) => i + 1);
  return {
    cluster: { nodes: ids.map(initialNodeView), cuts: new Set() },
    logs: ids.map(() => ({ entries: [], firstIndex: 1, truncated: [] })),
    messages: { inFlight: [], ended: [] },
    timeline: { version: 0, items: new Ring<TimelineItem>(TIMELINE_CAPACITY), bands: [] },
    narration: { version: 0, lines: new Ring<NarrationLine>(NARRATION_CAPACITY) },
    safety: { invariants: INVARIANT_NAMES.map((name) => ({ name, ok: true, violation: null })) },
    controls,
    run: { ...run, nodeCount },
  };
}

export function createFlotillaStore(nodeCount = 5): FlotillaStore {
  return createStore<FlotillaState>()(() => initialState(nodeCount));
}

/** Changes one or more control fields. */
export function setControls(store: FlotillaStore, patch: Partial<ControlsSlice>): void {
  store.setState((s) => ({ controls: { ...s.controls, ...patch } }));
}

export function setRun(store: FlotillaStore, patch: Partial<RunSlice>): void {
  store.setState((s) => ({ run: { ...s.run, ...patch } }));
}
