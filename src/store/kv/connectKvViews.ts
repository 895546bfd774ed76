/**
 * Connects the key-value views to the run: their ingestor becomes a feed of the Raft store's ingestor (same
 * events, same resets, same flushes), its sentences join the main narration under "Clients", and the verdict
 * is checked on a debounce after each flush that brought new client events.
 */
import type { Ingestor } from '../ingest.ts';
import type { KvStore } from './createKvStore.ts';
import { KvIngestor, type AnyEvent } from './kvIngest.ts';
import { browserTimers, VerdictScheduler, type VerdictTimers } from './verdictScheduler.ts';

export interface KvConnection {
  readonly ingest: KvIngestor;
  /** Stops feeding the views. */
  disconnect(): void;
}

/**
 * Feeds `kvStore` from `main`. `electionTimeoutMs` is read at each reset (a new run may change it): leases
 * restart with an election timeout's extension when a new leader takes over.
 */
export function connectKvViews(main: Ingestor, kvStore: KvStore, electionTimeoutMs: () => number, timers: VerdictTimers = browserTimers): KvConnection {
  const ingest = new KvIngestor(kvStore);
  const verdict = new VerdictScheduler(ingest, timers);
  ingest.setNarrationSink((line) => main.addLine(line.t, line.node, 'client', line.text));
  const remove = main.addFeed({
    reset(nodeCount) {
      verdict.cancel();
      ingest.reset(nodeCount, electionTimeoutMs());
    },
    event(ev) {
      ingest.event(ev as AnyEvent);
    },
    flush() {
      ingest.setNow(main.time);
      ingest.flush();
      verdict.poke();
    },
  });
  return {
    ingest,
    disconnect() {
      remove();
      verdict.cancel();
      ingest.setNarrationSink(null);
    },
  };
}
