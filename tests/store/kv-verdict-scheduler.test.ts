// The verdict is checked after a quiet time with no new client event, once per burst, never per frame.
import { describe, expect, it } from 'vitest';
import { createKvStore } from '../../src/store/kv/createKvStore.ts';
import { KvIngestor } from '../../src/store/kv/kvIngest.ts';
import { VerdictScheduler, type VerdictTimers } from '../../src/store/kv/verdictScheduler.ts';

/** Manual timers: `advance(ms)` fires what is due, idle work runs at once. */
function manualTimers() {
  let now = 0;
  let next = 1;
  const pending = new Map<number, { at: number; run: () => void }>();
  const timers: VerdictTimers = {
    now: () => now,
    setTimeout: (run, ms) => { pending.set(next, { at: now + ms, run }); return next++; },
    clearTimeout: (h) => { pending.delete(h as number); },
    whenIdle: (run) => run(),
  };
  return {
    timers,
    pendingCount: () => pending.size,
    advance(ms: number) {
      now += ms;
      for (const [h, p] of [...pending]) if (p.at <= now) { pending.delete(h); p.run(); }
    },
  };
}

describe('VerdictScheduler', () => {
  it('waits for a quiet time, checks once, and is not re-armed by flushes without new events', () => {
    const store = createKvStore();
    const ingest = new KvIngestor(store);
    ingest.reset(3, 1000);
    const clock = manualTimers();
    const scheduler = new VerdictScheduler(ingest, clock.timers, 400);
    const put = (t: number, id: number) => {
      ingest.event({ t, type: 'client', client: 'c1', id, phase: 'invoke', op: { do: 'put', key: 'a', value: String(id) } } as never);
      ingest.event({ t: t + 1, type: 'client', client: 'c1', id, phase: 'ok', result: { header: { revision: id + 1 } } } as never);
      ingest.flush();
      scheduler.poke();
    };
    put(10, 1);
    clock.advance(300);
    put(20, 2); // a new event restarts the quiet time
    clock.advance(300);
    expect(store.getState().verdict.status).toBe('pending');
    ingest.flush();
    scheduler.poke(); // nothing new: the timer keeps running
    clock.advance(100);
    expect(store.getState().verdict).toMatchObject({ status: 'linearizable', operations: 2, checkedEvents: 4 });
    scheduler.poke();
    expect(clock.pendingCount()).toBe(0);
  });
});

describe('VerdictScheduler under a steady stream of client events', () => {
  it('still checks within the longest wait', () => {
    const store = createKvStore();
    const ingest = new KvIngestor(store);
    ingest.reset(3, 1000);
    const clock = manualTimers();
    const scheduler = new VerdictScheduler(ingest, clock.timers, 400, 1500);
    let checkedAt = -1;
    for (let i = 1; i <= 20 && checkedAt < 0; i++) {
      ingest.event({ t: i * 10, type: 'client', client: 'c1', id: i, phase: 'invoke', op: { do: 'put', key: 'a', value: String(i) } } as never);
      ingest.event({ t: i * 10 + 1, type: 'client', client: 'c1', id: i, phase: 'ok', result: { header: { revision: i + 1 } } } as never);
      ingest.flush();
      scheduler.poke();
      clock.advance(200); // a new event every 200 ms: never 400 ms of quiet
      if (store.getState().verdict.status === 'linearizable') checkedAt = i * 200;
    }
    expect(checkedAt).toBeGreaterThan(0);
    expect(checkedAt).toBeLessThanOrEqual(1600);
  });
});
