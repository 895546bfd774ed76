/**
 * Runs the linearizability check of the client history off the frame path: after the history grows, the check
 * waits until no new client event arrived for `debounceMs` (so a burst is checked once), but never more than
 * `maxWaitMs` (a run whose clients never pause still gets a live verdict), then runs when the page is idle.
 * The check re-reads the whole history each time; its step budget (VERDICT_MAX_STEPS) bounds it.
 */
import type { KvIngestor } from './kvIngest.ts';

/** Timer functions, injected so the scheduler runs in tests without a page. */
export interface VerdictTimers {
  /** Wall-clock ms (any origin). */
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Runs `run` when the page is idle (requestIdleCallback), or soon. */
  whenIdle(run: () => void): void;
}

/** Quiet time after the last client event before the check runs (ms of wall clock). */
export const VERDICT_DEBOUNCE_MS = 400;
/** Longest wait for a quiet time while client events keep coming (ms of wall clock). */
export const VERDICT_MAX_WAIT_MS = 1500;

export class VerdictScheduler {
  private handle: unknown = null;
  /** History length when the timer was last armed: only new client events restart the quiet time. */
  private armedAt = -1;
  /** Wall time the current wait began (the first stale poke); null when no check is pending. */
  private waitingSinceMs: number | null = null;

  constructor(
    private readonly ingest: KvIngestor,
    private readonly timers: VerdictTimers,
    private readonly debounceMs = VERDICT_DEBOUNCE_MS,
    private readonly maxWaitMs = VERDICT_MAX_WAIT_MS,
  ) {}

  /** Call after each flush: schedules a check when the history changed since the last one. */
  poke(): void {
    if (!this.ingest.verdictStale || this.ingest.historyLength === this.armedAt) return;
    this.armedAt = this.ingest.historyLength;
    const now = this.timers.now();
    this.waitingSinceMs ??= now;
    // Past the longest wait, the armed timer is left to fire: no more postponing.
    if (this.handle !== null && now - this.waitingSinceMs >= this.maxWaitMs) return;
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    const delayMs = Math.min(this.debounceMs, Math.max(0, this.waitingSinceMs + this.maxWaitMs - now));
    this.handle = this.timers.setTimeout(() => {
      this.handle = null;
      this.armedAt = -1;
      this.waitingSinceMs = null;
      this.timers.whenIdle(() => {
        if (this.ingest.verdictStale) this.ingest.checkHistory();
      });
    }, delayMs);
  }

  /** Forgets a pending check (a new run). */
  cancel(): void {
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = null;
    this.armedAt = -1;
    this.waitingSinceMs = null;
  }
}

/** The page's timers. */
export const browserTimers: VerdictTimers = {
  now: () => performance.now(),
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  whenIdle: (run) => {
    const idle = (globalThis as { requestIdleCallback?: (cb: () => void, opts?: { timeout: number }) => unknown }).requestIdleCallback;
    if (idle) idle(run, { timeout: 1000 });
    else globalThis.setTimeout(run, 0);
  },
};
