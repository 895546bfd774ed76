/**
 * What every component reaches: the store (read with `useFlotilla(selector)`), the run driver (to act), and the
 * frame loop (to draw). Provided once by the composition root.
 */
import { useStore } from 'zustand';
import type { FlotillaStore } from '../store/index.ts';
import type { FlotillaState } from '../store/index.ts';
import type { RunDriver } from '../store/index.ts';
import type { RunSpec } from '../store/index.ts';
import type { FrameLoop } from './frameLoop.ts';
import type { ScenarioCatalog } from './scenarioCatalog.ts';
import { createRequiredContext } from './requiredContext.ts';

export interface AppServices {
  readonly store: FlotillaStore;
  readonly driver: RunDriver;
  readonly frames: FrameLoop;
  readonly catalog: ScenarioCatalog;
  /** Loads the run a URL query describes (and puts it in the address bar). */
  readonly open: (search: string) => Promise<void>;
  /** The run opened last, as parsed from its parameters (the top bar and settings start from it). */
  readonly currentRun: () => RunSpec;
}

/** The context the composition root provides, and the hook that reads it (throwing outside a provider). */
export const [AppContext, useServices] = createRequiredContext<AppServices>('AppContext');

/** Reads a slice of the store; the component re-renders only when the selected value changes. */
export function useFlotilla<T>(selector: (s: FlotillaState) => T): T {
  return useStore(useServices().store, selector);
}
