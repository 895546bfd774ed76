/**
 * Keeps the trace of the run so far for "Download trace" and the finished run's sha256, within a memory bound,
 * without ever building the trace as one string. Lines are formatted by the simulator's own serializer
 * (sim/traceWriter.ts), so the bytes are the CLI's. They are gathered into parts of about TRACE_PART_CHARS
 * characters; each part is encoded once, fed to an incremental SHA-256 and kept as a Blob (which the browser may
 * hold outside the page's heap). The download is a Blob of those parts. Past TRACE_KEEP_BYTES the parts are
 * dropped (the hash goes on): the page then says how large the trace is and how to write it with the CLI.
 */
import { eventJson, headerJson } from '../sim/index.ts';
import { Sha256 } from '../sim/index.ts';
import type { TraceEvent, TraceHeader } from './traceEvent.ts';

/** Trace bytes kept for download (UTF-8); past it the page offers the CLI instead (docs/ui.md). */
export const TRACE_KEEP_BYTES = 256 * 1024 * 1024;
/** Characters gathered before a part is encoded, hashed and kept: hashing per part, not per line, is cheap. */
export const TRACE_PART_CHARS = 1024 * 1024;

/** The trace as a file to save, or why there is none. */
export type TraceDownload =
  | { readonly kind: 'blob'; readonly blob: Blob; readonly bytes: number }
  | { readonly kind: 'tooLarge'; readonly bytes: number };

export class TraceRecorder {
  private pending: string[] = [];
  private pendingChars = 0;
  private parts: Blob[] | null = [];
  private readonly hash = new Sha256();
  private readonly encoder = new TextEncoder();

  constructor(header: TraceHeader, private readonly keepBytes = TRACE_KEEP_BYTES, private readonly partChars = TRACE_PART_CHARS) {
    this.add(headerJson(header) + '\n');
  }

  event(ev: TraceEvent): void {
    this.add(eventJson(ev) + '\n');
  }

  /** UTF-8 bytes of the trace so far. */
  get bytes(): number {
    this.seal();
    return this.hash.byteLength;
  }

  /** SHA-256 (hex) of the trace so far, as `npx flotilla sim` prints it. Recording may go on afterwards. */
  sha256(): string {
    this.seal();
    return this.hash.clone().digestHex();
  }

  /** The trace so far as a Blob of its parts, or its size when it outgrew the keep bound. */
  download(type = 'application/x-ndjson'): TraceDownload {
    this.seal();
    const bytes = this.hash.byteLength;
    return this.parts ? { kind: 'blob', blob: new Blob(this.parts, { type }), bytes } : { kind: 'tooLarge', bytes };
  }

  private add(line: string): void {
    this.pending.push(line);
    this.pendingChars += line.length;
    if (this.pendingChars >= this.partChars) this.seal();
  }

  /** Encodes, hashes and keeps the pending lines as one part. */
  private seal(): void {
    if (this.pending.length === 0) return;
    const bytes = this.encoder.encode(this.pending.join(''));
    this.pending = [];
    this.pendingChars = 0;
    this.hash.update(bytes);
    if (this.parts && this.hash.byteLength > this.keepBytes) this.parts = null;
    this.parts?.push(new Blob([bytes]));
  }
}

/** SHA-256 of trace text (UTF-8), as the CLI prints it. */
export function traceSha256(text: string): string {
  return new Sha256().updateText(text).digestHex();
}
