/**
 * The key-value views' narration: plain-English lines about clients, leases and recipes, kept in the narration
 * slice's ring and handed to a sink (the main narration, once connected). Every projection narrates through it,
 * so the lines keep one sequence.
 */
import type { NodeId } from '../../raft/types.ts';
import type { KvStore } from './createKvStore.ts';
import type { KvPatch } from './kvProjection.ts';
import type { KvNarrationLine, KvState } from './kvState.ts';

/** A sink of narration lines about clients, leases and recipes (the Raft narration, once wired). */
export type KvNarrationSink = (line: Omit<KvNarrationLine, 'seq'>) => void;

export class KvNarrator {
  private seq = 0;
  private dirty = false;
  private sink: KvNarrationSink | null = null;

  constructor(private readonly store: KvStore) {}

  /** Sends every line to `sink` as well; null stops it. */
  setSink(sink: KvNarrationSink | null): void {
    this.sink = sink;
  }

  reset(): void {
    this.seq = 0;
    this.dirty = false;
  }

  line(t: number, node: NodeId, client: string | null, text: string): void {
    this.store.getState().narration.lines.push({ seq: ++this.seq, t, node, client, text });
    this.dirty = true;
    this.sink?.({ t, node, client, text });
  }

  publish(state: KvState, patch: KvPatch): void {
    if (this.dirty) patch.narration = { ...state.narration, version: state.narration.version + 1 };
    this.dirty = false;
  }
}
