/**
 * Turns for async work where only the newest one counts: each `take()` starts a turn and returns whether that
 * turn is still the newest, so an older job still waiting (a load, a compression) stops once a newer one began.
 */
export interface NewestOnly {
  take(): () => boolean;
}

export function newestOnly(): NewestOnly {
  let newest = 0;
  return {
    take() {
      const turn = ++newest;
      return () => turn === newest;
    },
  };
}
