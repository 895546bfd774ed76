/**
 * What the key-value views reach: their store (read with `useKv(selector)`) and its ingestor (for the verdict
 * check and the console's lease names). Provided once by the composition root, next to the app's services.
 */
import { useStore } from 'zustand';
import type { KvStore } from '../../store/index.ts';
import type { KvState } from '../../store/index.ts';
import { createRequiredContext } from '../requiredContext.ts';

export interface KvServices {
  readonly store: KvStore;
}

/** The context the composition root provides, and the hook that reads it (throwing outside a provider). */
export const [KvContext, useKvServices] = createRequiredContext<KvServices>('KvContext');

/** Reads a slice of the key-value views' store; re-renders only when the selected value changes. */
export function useKv<T>(selector: (s: KvState) => T): T {
  return useStore(useKvServices().store, selector);
}
