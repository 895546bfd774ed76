/**
 * The messages slice's working copy: what is on the wire (sent, not yet delivered or dropped), what died
 * recently (dropped, or delivered a second time: a duplicate) for the dying animation, and each message's
 * timeline item, closed when it lands. Separate from the Ingestor because it is the one part of a run's state
 * keyed by message id, with its own bounded memory of delivered messages.
 */
import type { DeliverEvent, DropEvent, SendEvent } from '../sim/index.ts';
import type { MessageEnded, MessageInFlight, MessagesSlice, TimelineItem } from './state.ts';

/** Dropped or duplicated messages kept for their dying animation. */
export const MAX_ENDED = 48;
/** Delivered messages remembered so that a second delivery (a duplicate) can be recognized. */
const RECENT_DELIVERED = 512;

/** Where the ledger puts the timeline's message items (the Ingestor's timeline). */
export interface MessageTimeline {
  /** Appends an item (it stays open, mutated in place until its message lands). */
  add(item: TimelineItem): void;
  /** An open item was closed in place. */
  changed(): void;
}

export class MessageLedger {
  private readonly inFlight = new Map<number, MessageInFlight>();
  private readonly recentDelivered = new Map<number, MessageInFlight>();
  /** Ids in recentDelivered, oldest overwritten first (a ring: no per-event allocation). */
  private readonly recentIds = new Float64Array(RECENT_DELIVERED);
  private recentNext = 0;
  private ended: MessageEnded[] = [];
  private readonly openTimeline = new Map<number, Extract<TimelineItem, { kind: 'message' }>>();
  private dirty = false;

  constructor(private readonly timeline: MessageTimeline) {}

  reset(): void {
    this.inFlight.clear();
    this.recentDelivered.clear();
    this.recentIds.fill(0);
    this.recentNext = 0;
    this.ended = [];
    this.openTimeline.clear();
    this.dirty = false;
  }

  /** A message put on the bus; `eventIndex` is the count of trace events up to and including its send. */
  send(ev: SendEvent, eventIndex: number): void {
    const msg = ev.msg;
    const m: MessageInFlight = {
      id: ev.id, from: ev.from, to: ev.to, type: msg.type, term: msg.term ?? 0,
      entryCount: 'entries' in msg && Array.isArray(msg.entries) ? msg.entries.length : 0,
      reject: 'reject' in msg && typeof msg.reject === 'boolean' ? msg.reject : null,
      sentAt: ev.t, arriveAt: null,
    };
    this.inFlight.set(ev.id, m);
    this.dirty = true;
    const item: TimelineItem = {
      kind: 'message', id: ev.id, from: ev.from, to: ev.to, type: msg.type, sentAt: ev.t,
      endAt: null, outcome: 'inflight', eventIndex,
    };
    this.openTimeline.set(ev.id, item);
    this.timeline.add(item);
  }

  /** A delivery: the first one lands the message; a later one of a remembered message is a duplicate. */
  deliver(ev: DeliverEvent): void {
    const m = this.inFlight.get(ev.id);
    if (m) {
      this.inFlight.delete(ev.id);
      this.remember(m);
    } else {
      const first = this.recentDelivered.get(ev.id);
      if (first) this.endMessage(first, ev.t, 'duplicate', null);
    }
    this.closeTimeline(ev.id, ev.t, 'delivered');
    this.dirty = true;
  }

  drop(ev: DropEvent): void {
    const m = this.inFlight.get(ev.id) ?? this.recentDelivered.get(ev.id);
    this.inFlight.delete(ev.id);
    if (m) this.endMessage(m, ev.t, 'dropped', ev.reason);
    this.closeTimeline(ev.id, ev.t, 'dropped');
    this.dirty = true;
  }

  /** The messages slice when it changed since the last call, else null. */
  publish(): MessagesSlice | null {
    if (!this.dirty) return null;
    this.dirty = false;
    return { inFlight: Array.from(this.inFlight.values()), ended: this.ended };
  }

  private remember(m: MessageInFlight): void {
    const oldest = this.recentIds[this.recentNext];
    if (oldest !== 0) this.recentDelivered.delete(oldest);
    this.recentIds[this.recentNext] = m.id;
    this.recentNext = (this.recentNext + 1) % RECENT_DELIVERED;
    this.recentDelivered.set(m.id, m);
  }

  private endMessage(m: MessageInFlight, t: number, outcome: MessageEnded['outcome'], reason: string | null): void {
    this.ended = [...this.ended, { ...m, endedAt: t, outcome, reason }].slice(-MAX_ENDED);
  }

  private closeTimeline(id: number, t: number, outcome: 'delivered' | 'dropped'): void {
    const item = this.openTimeline.get(id);
    if (!item) return;
    item.endAt = t;
    item.outcome = outcome;
    this.openTimeline.delete(id);
    this.timeline.changed();
  }
}
