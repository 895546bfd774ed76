/**
 * The driver's operations, one after the other (an async host answers later, so two user commands could otherwise
 * interleave), and the cancellation of long jobs (docs/ui.md, "Long jobs"): a job started under an older generation
 * stops at its next slice. Separate from the driver because it knows nothing of worlds: only order and cancellation.
 */
import { setRun, type FlotillaStore } from './createFlotillaStore.ts';

export class JobQueue {
  private queue: Promise<unknown> = Promise.resolve();
  private pending = 0;
  /** Bumped by cancel(): a long job started under an older generation stops at its next slice. */
  private generation = 0;

  constructor(private readonly store: FlotillaStore) {}

  /** True while an operation runs (the playback loop skips frames meanwhile). */
  get busy(): boolean {
    return this.pending > 0;
  }

  /** Stops the long job running now and every one queued: each stops at the end of its current slice. */
  cancel(): void {
    this.generation++;
  }

  /** A token for the job about to start: cancelled(token) once cancel() ran. */
  current(): number {
    return this.generation;
  }

  cancelled(job: number): boolean {
    return job !== this.generation;
  }

  /**
   * Runs `op` after the operations before it. A failure ends the run (phase "error", shown to the user) unless
   * `recoverable`: a rejected user action leaves the run as it was.
   */
  serial<T>(op: () => Promise<T>, recoverable = false): Promise<T> {
    this.pending++;
    const run = this.queue.then(op).finally(() => { this.pending--; });
    this.queue = run.catch(() => undefined);
    if (recoverable) return run;
    return run.catch((error: unknown) => {
      setRun(this.store, { phase: 'error', error: (error as Error).message, progress: null });
      throw error;
    });
  }
}
