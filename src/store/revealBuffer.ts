/**
 * The driver's reveal buffer (runDriver.ts, "Reveal buffer"): the world runs one host call at a time and a call
 * emits several events; they wait here and are revealed to the store one trace event at a time (a "step"), each
 * with the explanations that follow it. Only revealed events reach the trace recorder, so the downloaded trace is
 * exactly what the UI shows. Separate from the driver because it is the one place that decides what is shown.
 */
import { isTraceEvent } from '../sim/index.ts';
import type { Ingestor } from './ingest.ts';
import type { TraceRecorder } from './traceRecorder.ts';
import type { SimEvent } from './traceEvent.ts';

/** Past this many revealed events still held, the buffer is compacted even while events wait. */
const COMPACT_AFTER_EVENTS = 4096;

export class RevealBuffer {
  private buffer: SimEvent[] = [];
  private head = 0;
  /** Host failures not yet revealed (shown with the crash event the world wrote for them). */
  private readonly failures = new Map<number, string>();

  constructor(private readonly ingest: Ingestor, private readonly recorder: TraceRecorder) {}

  /** Holds an event the world emitted until it is revealed. */
  push(ev: SimEvent): void {
    this.buffer.push(ev);
  }

  /** A node's host failed (its worker threw): the error is shown with the crash event the world writes for it. */
  recordFailure(node: number, error: string): void {
    this.failures.set(node, error);
  }

  /** True when every event the world emitted has been revealed. */
  get empty(): boolean {
    return this.head >= this.buffer.length;
  }

  /** True when an event not yet revealed has time >= t (the world ran past it). */
  holdsEventFrom(t: number): boolean {
    for (let i = this.head; i < this.buffer.length; i++) if (this.buffer[i].t >= t) return true;
    return false;
  }

  hasTraceEvent(): boolean {
    for (let i = this.head; i < this.buffer.length; i++) if (isTraceEvent(this.buffer[i])) return true;
    return false;
  }

  revealUpTo(t: number): void {
    while (this.head < this.buffer.length && this.buffer[this.head].t <= t) this.reveal(this.buffer[this.head]);
    this.compact();
  }

  revealAll(): void {
    while (this.head < this.buffer.length) this.reveal(this.buffer[this.head]);
    this.compact();
  }

  /** Reveals the next trace event and the explanations around it (call once hasTraceEvent() holds). */
  revealStep(): void {
    let sawTrace = false;
    while (this.head < this.buffer.length) {
      const ev = this.buffer[this.head];
      if (isTraceEvent(ev)) {
        if (sawTrace) break;
        sawTrace = true;
      }
      this.reveal(ev);
    }
    this.compact();
  }

  private reveal(ev: SimEvent): void {
    this.head++;
    this.ingest.sim(ev);
    if (ev.type === 'crash' && this.failures.has(ev.node)) {
      this.ingest.nodeFailed(ev.node, this.failures.get(ev.node)!);
      this.failures.delete(ev.node);
    }
    if (isTraceEvent(ev)) this.recorder.event(ev);
  }

  private compact(): void {
    if (this.head === this.buffer.length) {
      this.buffer = [];
      this.head = 0;
    } else if (this.head > COMPACT_AFTER_EVENTS) {
      this.buffer = this.buffer.slice(this.head);
      this.head = 0;
    }
  }
}
