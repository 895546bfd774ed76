/**
 * Connects the key-value views to the run: their ingestor becomes a feed of the Raft store's ingestor (same
 * events, same resets, same flushes), its sentences join the main narration under "Clients", and the verdict
 * is checked on a debounce after each flush that brought new client events.
 */
import type { Ingestor } from '../ingest.ts';
import type { KvStore } from './createKvStore.ts';
import { KvIngestor } from './kvIngest.ts';
import type { KvNarrationSink } from './kvNarrator.ts';
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
  // A feed sees each event before the main ingestor counts it; a sentence about an event is handed over once the
  // main ingestor has counted that event (at the next event or flush), so its "go to" shows the moment after it.
  let pending: Parameters<KvNarrationSink>[0][] = [];
  const handOver = () => {
    for (const line of pending) main.addLine(line.t, line.node, 'client', line.text);
    pending = [];
  };
  ingest.setNarrationSink((line) => pending.push(line));
  const remove = main.addFeed({
    reset(nodeCount) {
      verdict.cancel();
      pending = [];
      ingest.reset(nodeCount, electionTimeoutMs());
    },
    event(ev) {
      handOver();
      ingest.event(ev);
    },
    flush() {
      handOver();
      ingest.flush();
      verdict.poke();
    },
  });
  // A control changed while paused (another node chosen for the table): rebuild what it shows now.
  const unsubscribe = kvStore.subscribe((s, prev) => {
    if (s.controls !== prev.controls) ingest.flush();
  });
  return {
    ingest,
    disconnect() {
      remove();
      unsubscribe();
      verdict.cancel();
      ingest.setNarrationSink(null);
    },
  };
}
