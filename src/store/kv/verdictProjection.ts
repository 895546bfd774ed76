/**
 * The verdict's projection: the client history (client events and lease expiries) and the linearizability check
 * of it (src/check). The check is not run per event or per frame: `check()` runs it when the caller decides (on
 * a debounce, off the frame path: verdictScheduler.ts); a flush only marks the verdict pending.
 */
import { checkTraceHistory } from '../../check/index.ts';
import type { SimEvent } from '../../sim/index.ts';
import type { KvPatch, KvProjection } from './kvProjection.ts';
import type { KvState, VerdictSlice } from './kvState.ts';

/** The check's step budget: enough for every example, small enough to stay well under a frame budget per 1k ops. */
export const VERDICT_MAX_STEPS = 400_000;
/**
 * Client events kept for the live verdict (the memory bound of a long run with clients). Past it the live check
 * stops and says so; `flotilla check` on the downloaded trace checks the whole history.
 */
export const HISTORY_CAPACITY = 50_000;

export class VerdictProjection implements KvProjection {
  private history: object[] = [];
  /** Whether the history holds a client operation (a lease expiry alone has nothing to check). */
  private hasClientOps = false;
  /** Client events dropped once the history reached HISTORY_CAPACITY. */
  private overflow = 0;
  private checkedEvents = 0;

  reset(): void {
    this.history = [];
    this.hasClientOps = false;
    this.overflow = 0;
    this.checkedEvents = 0;
  }

  /** Client events (and lease expiries) recorded so far. */
  get historyLength(): number {
    return this.history.length;
  }

  /** Whether client events arrived since the last check. */
  get stale(): boolean {
    return this.history.length !== this.checkedEvents;
  }

  event(ev: SimEvent): void {
    if (ev.type === 'client') {
      this.record(ev);
      this.hasClientOps = true;
    } else if (ev.type === 'lease' && ev.event === 'expired') {
      this.record(ev);
    }
  }

  publish(state: KvState, patch: KvPatch): void {
    if (this.stale && state.verdict.status !== 'pending' && this.hasClientOps && this.overflow === 0) {
      patch.verdict = { ...state.verdict, status: 'pending' };
    }
  }

  /** Checks the history so far; `previous` is the verdict shown now. Costly on long histories: never per frame. */
  check(previous: VerdictSlice): VerdictSlice {
    const events = this.history;
    this.checkedEvents = events.length;
    if (this.overflow > 0) {
      return {
        ...previous, status: 'undecided', checkedEvents: events.length, failingKey: null,
        failingOp: `the history outgrew the live check (${HISTORY_CAPACITY} events): run flotilla check on the downloaded trace`,
      };
    }
    if (!this.hasClientOps) return { ...previous, status: 'none', checkedEvents: events.length };
    try {
      const r = checkTraceHistory(events, { maxSteps: VERDICT_MAX_STEPS });
      const regression = r.revisionOrder.regressions[0];
      return {
        status: r.linearizable === true ? 'linearizable' : r.linearizable === false ? 'not-linearizable' : 'undecided',
        operations: r.operations, checkedEvents: events.length,
        failingKey: r.failure?.partition ?? null, failingOp: r.failure?.blockedOperation ?? null,
        revisionOrderOk: r.revisionOrder.ok,
        revisionOrderMessage: regression
          ? `${regression.client} saw revision ${regression.revision} after ${regression.previous} (operation ${regression.id})`
          : null,
      };
    } catch (error) {
      // A malformed client event is a bug in the run, not a verdict: say so rather than guess.
      return {
        status: 'undecided', operations: 0, checkedEvents: events.length, failingKey: null,
        failingOp: `the history could not be read: ${(error as Error).message}`, revisionOrderOk: true, revisionOrderMessage: null,
      };
    }
  }

  private record(ev: object): void {
    if (this.history.length >= HISTORY_CAPACITY) this.overflow++;
    else this.history.push(ev);
  }
}
