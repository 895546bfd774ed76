/**
 * The events the store consumes: the simulator's own types (the trace contract, plus the listener-only
 * explanations), re-exported so store and UI code name them in one place.
 */
export type { SimEvent, TraceEvent, TraceHeader, ActionEvent } from '../sim/index.ts';

/** A scenario action as written in a scenario file or the URL: `at`, `do`, and its own fields. */
export interface ScenarioActionData {
  readonly at: number;
  readonly do: string;
  readonly [field: string]: unknown;
}
