/**
 * Runs the linearizability check of the client history off the frame path: after the history grows, the check
 * waits until no new client event arrived for `debounceMs` (so a burst is checked once), then runs when the
 * page is idle. The check re-reads the whole history each time; its step budget (VERDICT_MAX_STEPS) bounds it.
 */
import type { KvIngestor } from './kvIngest.ts';

/** Timer functions, injected so the scheduler runs in tests without a page. */
export interface VerdictTimers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Runs `run` when the page is idle (requestIdleCallback), or soon. */
  whenIdle(run: () => void): void;
}

/** Quiet time after the last client event before the check runs (ms of wall clock). */
export const VERDICT_DEBOUNCE_MS = 400;

export class VerdictScheduler {
  private handle: unknown = null;
  /** History length when the timer was last armed: only new client events restart the quiet time. */
  private armedAt = -1;

  constructor(private readonly ingest: KvIngestor, private readonly timers: VerdictTimers, private readonly debounceMs = VERDICT_DEBOUNCE_MS) {}

  /** Call after each flush: schedules a check when the history changed since the last one. */
  poke(): void {
    if (!this.ingest.verdictStale || this.ingest.historyLength === this.armedAt) return;
    this.armedAt = this.ingest.historyLength;
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = this.timers.setTimeout(() => {
      this.handle = null;
      this.armedAt = -1;
      this.timers.whenIdle(() => {
        if (this.ingest.verdictStale) this.ingest.checkHistory();
      });
    }, this.debounceMs);
  }

  /** Forgets a pending check (a new run). */
  cancel(): void {
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = null;
    this.armedAt = -1;
  }
}

/** The page's timers. */
export const browserTimers: VerdictTimers = {
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  whenIdle: (run) => {
    const idle = (globalThis as { requestIdleCallback?: (cb: () => void, opts?: { timeout: number }) => unknown }).requestIdleCallback;
    if (idle) idle(run, { timeout: 1000 });
    else globalThis.setTimeout(run, 0);
  },
};
