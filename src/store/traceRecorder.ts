/**
 * Keeps the trace of the run so far as JSON Lines, for "Download trace" and the finished run's sha256, within a
 * memory bound. Lines are formatted by the simulator's own serializer (sim/traceWriter.ts), so the bytes are the
 * CLI's. Past TRACE_CAP_BYTES the recorder stops keeping (and formatting) lines: the driver regenerates the
 * trace by re-simulation when asked, which gives the same bytes (determinism). Hashing happens once, on demand,
 * not per event: per-line hashing was the main cost of fast-forward.
 */
import { eventJson, headerJson } from '../sim/traceWriter.ts';
import { Sha256 } from '../sim/traceHash.ts';
import type { TraceEvent, TraceHeader } from './traceEvent.ts';

/** Trace text kept in memory (about 80,000 lines); past it the trace is regenerated on demand. */
export const TRACE_CAP_BYTES = 8 * 1024 * 1024;

export class TraceRecorder {
  private lines: string[] | null = [];
  private bytes = 0;

  constructor(header: TraceHeader, private readonly capBytes = TRACE_CAP_BYTES) {
    this.keep(headerJson(header) + '\n');
  }

  event(ev: TraceEvent): void {
    if (this.lines) this.keep(eventJson(ev) + '\n');
  }

  /** The whole trace so far, or null when it outgrew the cap. */
  text(): string | null {
    return this.lines ? this.lines.join('') : null;
  }

  private keep(line: string): void {
    this.bytes += line.length;
    if (this.bytes > this.capBytes) this.lines = null;
    else this.lines!.push(line);
  }
}

/** SHA-256 of trace text (UTF-8), as the CLI prints it. */
export function traceSha256(text: string): string {
  return new Sha256().updateText(text).digestHex();
}
