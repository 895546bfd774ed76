/**
 * One requestAnimationFrame loop for the whole page: it advances the run at the chosen speed (when playing)
 * and then lets each view draw. Views draw at most once per frame, however many events the frame revealed.
 */
import type { FlotillaStore } from '../store/index.ts';
import type { RunDriver } from '../store/index.ts';

export type FrameListener = (wallNow: number) => void;

export class FrameLoop {
  private readonly listeners = new Set<FrameListener>();
  private last = 0;
  private handle = 0;
  /** Wall time not yet handed to the driver (frames skipped while it was busy still count). */
  private owedMs = 0;

  constructor(private readonly store: FlotillaStore, private readonly driver: RunDriver) {}

  start(): void {
    const tick = (wall: number) => {
      const dt = this.last === 0 ? 16 : wall - this.last;
      this.last = wall;
      const { controls, run } = this.store.getState();
      if (!controls.paused && run.phase === 'running') {
        this.owedMs += dt;
        if (!this.driver.busy) {
          void this.driver.frame(this.owedMs).catch(() => undefined);
          this.owedMs = 0;
        }
      } else {
        this.owedMs = 0;
      }
      for (const l of this.listeners) l(wall);
      this.handle = requestAnimationFrame(tick);
    };
    this.handle = requestAnimationFrame(tick);
  }

  stop(): void {
    cancelAnimationFrame(this.handle);
  }

  /** Calls `listener` once per animation frame; returns the unsubscribe function. */
  onFrame(listener: FrameListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
