/**
 * The shape every slice of the key-value views' store is built by: one projection per slice (the table, the
 * leases, the clients, the watches, the recipes, the verdict), each with its own working state, its own reset,
 * its own reading of the events and its own build. The ingestor (kvIngest.ts) only fans events out to them.
 */
import type { SimEvent } from '../../sim/index.ts';
import type { KvState } from './kvState.ts';
import type { ReplicaChange } from './replicaSet.ts';

/** The slices one flush replaces. */
export type KvPatch = { -readonly [K in keyof KvState]?: KvState[K] };

export interface KvProjection {
  /** Forgets the run (the replicas were reset just before). */
  reset(): void;
  /** Folds one event; the replicas have folded it already and say what moved. */
  event(ev: SimEvent, change: ReplicaChange): void;
  /** Adds the slices that changed since the last publish to `patch`; `state` is the store before this flush. */
  publish(state: KvState, patch: KvPatch): void;
}
