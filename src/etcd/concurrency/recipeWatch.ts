/**
 * The one watch a recipe's read-then-watch loop keeps open (discovery, the election observer, the key queue's
 * wait): each is named `${baseName}.${n}`, only the latest one's callbacks count, and when it breaks (the
 * cluster cancelled it, its start revision compacted, or it could not be opened) it is forgotten and the
 * owner's loop is retried from its read. Separate so that each recipe says what a watch's events mean to it,
 * not how the watch is named, guarded and re-opened.
 */
import type { Revision, WatchEvent } from '../../kv/index.ts';
import type { RecipeClient } from './recipeClient.ts';

/** What a watch looks at (its name is the RecipeWatch's). */
export interface WatchTarget {
  readonly key: string;
  readonly prefix?: boolean;
  readonly startRevision: Revision;
}

export class RecipeWatch {
  private watching: string | undefined;
  private opened = 0;

  /**
   * @param baseName base of the watches' names; must start with `_`.
   * @param isStopped whether the owner stopped: nothing of a watch counts afterwards.
   * @param onBroken the watch broke and was forgotten: the owner retries its loop.
   */
  constructor(
    private readonly client: RecipeClient,
    private readonly baseName: string,
    private readonly isStopped: () => boolean,
    private readonly onBroken: () => void,
  ) {}

  /**
   * Opens the next watch (the previous one is no longer current). `onEvents` gets its deliveries while it is
   * current, with its name; `onOpened` runs once it is open.
   */
  open(target: WatchTarget, onEvents: (events: readonly WatchEvent[], name: string) => void, onOpened?: () => void): void {
    const name = `${this.baseName}.${++this.opened}`;
    this.watching = name;
    const current = (): boolean => !this.isStopped() && this.watching === name;
    this.client.watch(
      { watch: name, ...target },
      {
        onEvents: (events) => {
          if (current()) onEvents(events, name);
        },
        onCancelled: () => {
          if (!current()) return;
          this.watching = undefined;
          this.onBroken();
        },
      },
      (outcome) => {
        if (!current()) return;
        if (outcome.phase !== 'ok') {
          this.watching = undefined;
          this.onBroken();
          return;
        }
        onOpened?.();
      },
    );
  }

  /** Cancels the watch named `name` if it is the current one. */
  close(name: string): void {
    if (this.watching === name) this.cancel();
  }

  /** Cancels the current watch, if any. */
  cancel(): void {
    if (this.watching === undefined) return;
    this.client.cancelWatch(this.watching);
    this.watching = undefined;
  }
}
