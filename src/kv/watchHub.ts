/**
 * The watchers of one node (etcd's watchableStore, without its unsynced/synced split: a simulated node applies
 * and publishes synchronously, so a new watcher catches up from history at once and is synced from then on).
 *
 * Guarantees per watcher: events in revision order and, within a revision, in the order its txn made them;
 * no gaps and no duplicates (each watcher remembers the next revision it is owed); a start revision below the
 * compacted one is refused with the compaction error, as etcd cancels such a watch.
 */
import { ERR_COMPACTED } from './errors.ts';
import { keyRangeOf, rangeContains, type KeyRange } from './keyOrder.ts';
import type { Revision, StoreEvent, WatchEvent } from './keyValue.ts';
import type { MvccStore } from './mvccStore.ts';

export interface WatchRequest {
  readonly key: string;
  readonly rangeEnd?: string;
  readonly prefix?: boolean;
  /** First revision to report; 0 or absent = the next revision (nothing from history). */
  readonly startRevision?: Revision;
  /** Attach each event's previous version. */
  readonly prevKv?: boolean;
}

/** A new watcher's answer: the current revision and the history it replays (possibly empty). */
export type WatchCreated =
  | { readonly ok: true; readonly header: { readonly revision: Revision }; readonly events: readonly WatchEvent[] }
  | { readonly ok: false; readonly error: string; readonly compactRevision?: Revision };

/** Events for one watcher from one published revision. */
export interface WatchDelivery {
  readonly watchId: string;
  readonly events: readonly WatchEvent[];
}

interface Watcher {
  readonly range: KeyRange;
  readonly prevKv: boolean;
  // Invariant: every event below nextRevision in the range was delivered (or predates the start revision).
  nextRevision: Revision;
}

export class WatchHub {
  // Map order = creation order: deliveries of one revision come out in that order.
  private readonly watchers = new Map<string, Watcher>();

  constructor(private readonly store: MvccStore) {}

  /** Starts a watcher; replays history from `startRevision` when it is in the past. */
  watch(watchId: string, request: WatchRequest): WatchCreated {
    if (this.watchers.has(watchId)) return { ok: false, error: `watch id ${JSON.stringify(watchId)} is already in use` };
    const range = keyRangeOf(request.key, request.rangeEnd, request.prefix);
    const current = this.store.revision;
    const start = request.startRevision ?? 0;
    if (start > 0 && start < this.store.compactRevision) {
      return { ok: false, error: ERR_COMPACTED, compactRevision: this.store.compactRevision };
    }
    const watcher: Watcher = { range, prevKv: request.prevKv ?? false, nextRevision: start === 0 ? current + 1 : start };
    let events: readonly WatchEvent[] = [];
    if (start > 0 && start <= current) {
      events = this.store.changesSince(range, start).map((event) => shape(event, watcher.prevKv));
      watcher.nextRevision = current + 1;
    }
    this.watchers.set(watchId, watcher);
    return { ok: true, header: { revision: current }, events };
  }

  /** Stops a watcher; false if there was none with that id. */
  cancel(watchId: string): boolean {
    return this.watchers.delete(watchId);
  }

  /** Whether a watcher with this id is active. */
  has(watchId: string): boolean {
    return this.watchers.has(watchId);
  }

  /**
   * Hands one applied entry's changes (all of one revision, as KvStateMachine returns them) to the watchers;
   * returns what each watcher receives, in watcher creation order.
   */
  publish(events: readonly StoreEvent[]): WatchDelivery[] {
    if (events.length === 0) return [];
    const revision = events[0].kv.modRevision;
    if (events.some((event) => event.kv.modRevision !== revision)) {
      throw new Error('WatchHub.publish: events of one call must share one revision');
    }
    const deliveries: WatchDelivery[] = [];
    for (const [watchId, watcher] of this.watchers) {
      if (revision < watcher.nextRevision) continue;
      if (revision > watcher.nextRevision) {
        // Every write that changes something raises the revision by exactly one, so a skipped revision means
        // the caller did not publish one entry's events: the watcher would have a gap.
        throw new Error(`WatchHub.publish: watcher ${watchId} is owed revision ${watcher.nextRevision}, got ${revision}`);
      }
      watcher.nextRevision = revision + 1;
      const matching = events.filter((event) => rangeContains(watcher.range, event.kv.key));
      if (matching.length > 0) deliveries.push({ watchId, events: matching.map((event) => shape(event, watcher.prevKv)) });
    }
    return deliveries;
  }
}

/** The event as a watcher sees it: prevKv only when asked for and present. */
function shape(event: StoreEvent, withPrevKv: boolean): WatchEvent {
  return withPrevKv && event.prevKv !== null ? { type: event.type, kv: event.kv, prevKv: event.prevKv } : { type: event.type, kv: event.kv };
}
