/**
 * What the key-value views reach: their store (read with `useKv(selector)`) and its ingestor (for the verdict
 * check and the console's lease names). Provided once by the composition root, next to the app's services.
 */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { KvStore } from '../../store/index.ts';
import type { KvState } from '../../store/index.ts';

export interface KvServices {
  readonly store: KvStore;
}

export const KvContext = createContext<KvServices | null>(null);

export function useKvServices(): KvServices {
  const services = useContext(KvContext);
  if (!services) throw new Error('KvContext is missing: render inside <KvContext.Provider>');
  return services;
}

/** Reads a slice of the key-value views' store; re-renders only when the selected value changes. */
export function useKv<T>(selector: (s: KvState) => T): T {
  return useStore(useKvServices().store, selector);
}
