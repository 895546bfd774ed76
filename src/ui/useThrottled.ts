import { useEffect, useState } from 'react';
import { useServices } from './appContext.ts';
import type { FlotillaState } from '../store/index.ts';

/**
 * A store value sampled at most every `intervalMs`: for views nobody can read at 60 updates a second (the
 * narration during fast-forward), so React, layout and paint run a few times a second instead of every frame.
 */
export function useThrottledSelector<T>(selector: (s: FlotillaState) => T, intervalMs: number): T {
  const { store } = useServices();
  const [value, setValue] = useState(() => selector(store.getState()));
  useEffect(() => {
    // (Re)subscribing, e.g. with another interval, first catches up with what changed meanwhile.
    setValue(() => selector(store.getState()));
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const update = () => {
      timer = null;
      last = performance.now();
      setValue(() => selector(store.getState()));
    };
    const unsubscribe = store.subscribe((s, prev) => {
      if (selector(s) === selector(prev) || timer) return;
      const wait = last + intervalMs - performance.now();
      if (wait <= 0) update();
      else timer = setTimeout(update, wait);
    });
    return () => { unsubscribe(); if (timer) clearTimeout(timer); };
  }, [store, selector, intervalMs]);
  return value;
}
