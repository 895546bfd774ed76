/**
 * The timers every recipe keeps on its client's clock (recipeClient.ts `at`), written once: a step run every
 * period until the recipe stops (PeriodicTask: the heartbeat writer and reader), and the one pending retry of
 * a step whose request failed (RetryTimer: sessions, elections, locks, registrations, discovery, the key
 * queue's waits), with the `done` of the action that started them (PendingDone). Separate so that each recipe says what it does each time, not how its timers are re-armed
 * and cancelled.
 */
import { RECIPE_RETRY_MS, type CancelTimer, type RecipeClient, type RecipeDone } from './recipeClient.ts';

/**
 * A step run now and then every `everyMs` until stopped. A run whose request is not answered yet makes the
 * next run be skipped rather than queued behind it (so a recipe cut off for a while does not, once back, send
 * a backlog); the period is kept from the time each run was due.
 */
export class PeriodicTask {
  private timer: CancelTimer | undefined;
  private halted = false;
  private running = false;

  /** @param run one run; it calls `finished` once its request is answered. */
  constructor(
    private readonly client: RecipeClient,
    readonly everyMs: number,
    private readonly run: (finished: () => void) => void,
  ) {}

  /** Whether `stop` was called: answers that arrive afterwards are to be ignored. */
  get stopped(): boolean {
    return this.halted;
  }

  /** The first run, now; the next ones follow every `everyMs`. */
  start(): void {
    this.tick();
  }

  /** No run after this one, and the pending timer is cancelled. */
  stop(): void {
    this.halted = true;
    this.timer?.();
  }

  private tick(): void {
    if (this.halted) return;
    this.timer = this.client.at(this.client.nowMs() + this.everyMs, () => this.tick());
    if (this.running) return;
    this.running = true;
    this.run(() => {
      this.running = false;
    });
  }
}

/** The pending retry of a recipe's step: run RECIPE_RETRY_MS later, unless cancelled before. */
export class RetryTimer {
  private cancelPending: CancelTimer | undefined;

  constructor(private readonly client: RecipeClient) {}

  /** Runs `step` RECIPE_RETRY_MS from now. */
  later(step: () => void): void {
    this.cancelPending = this.client.at(this.client.nowMs() + RECIPE_RETRY_MS, step);
  }

  /** Cancels the retry armed last (nothing if it already ran). */
  cancel(): void {
    this.cancelPending?.();
  }
}

/** A recipe action's `done`, called at most once, by whichever path ends the action first. */
export class PendingDone {
  private done: RecipeDone | undefined;

  /** The action started: `done` is what ends it. */
  set(done: RecipeDone): void {
    this.done = done;
  }

  /** Ends the action with `error`, or as a success (nothing if it has ended already). */
  finish(error?: string): void {
    const done = this.done;
    this.done = undefined;
    done?.(error);
  }
}
