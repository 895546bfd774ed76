/**
 * A RecipeClient driven by hand: the test sees every request a recipe sends and answers them in any order it
 * likes, and moves virtual time itself. For interleavings a cluster would produce only rarely.
 */
import type { HeaderResult } from '../../src/kv/index.ts';
import type {
  CancelTimer, RecipeClient, RecipeEventBody, RecipeOutcome, RecipeRequest, RecipeResults, RecipeWatch, WatchHandlers,
} from '../../src/etcd/concurrency/recipeClient.ts';

export interface SentRequest {
  readonly request: RecipeRequest | ({ readonly do: 'watch' } & RecipeWatch);
  readonly answer: (outcome: RecipeOutcome<unknown>) => void;
}

export class ManualClient implements RecipeClient {
  readonly name = 'm';
  now = 0;
  readonly sent: SentRequest[] = [];
  readonly events: RecipeEventBody[] = [];
  private readonly timers: { atMs: number; callback: () => void; cancelled: boolean }[] = [];

  nowMs(): number {
    return this.now;
  }

  send<K extends RecipeRequest['do']>(
    request: Extract<RecipeRequest, { do: K }>,
    onOutcome: (outcome: RecipeOutcome<RecipeResults[K]>) => void,
  ): void {
    this.sent.push({ request, answer: onOutcome as (outcome: RecipeOutcome<unknown>) => void });
  }

  watch(request: RecipeWatch, _handlers: WatchHandlers, onOutcome: (outcome: RecipeOutcome<HeaderResult>) => void): void {
    this.sent.push({ request: { do: 'watch', ...request }, answer: onOutcome as (outcome: RecipeOutcome<unknown>) => void });
  }

  cancelWatch(): void {}

  at(atMs: number, callback: () => void): CancelTimer {
    const timer = { atMs, callback, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  emit(event: RecipeEventBody): void {
    this.events.push(event);
  }

  /** Moves time to `toMs`, firing due timers in time order (those they set included). */
  advance(toMs: number): void {
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.atMs <= toMs).sort((a, b) => a.atMs - b.atMs)[0];
      if (due === undefined) break;
      due.cancelled = true;
      this.now = Math.max(this.now, due.atMs);
      due.callback();
    }
    this.now = toMs;
  }

  /** The last request sent of kind `what`. */
  last(what: string): SentRequest {
    const found = [...this.sent].reverse().find((s) => s.request.do === what);
    if (found === undefined) throw new Error(`no ${what} was sent`);
    return found;
  }
}
