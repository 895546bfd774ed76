// The store is fed by trace events exactly as the trace contract writes them; these tests use a tiny hand-written
// feed (no simulator, no React) and check what each slice shows.
import { describe, expect, it } from 'vitest';
import { createFlotillaStore } from '../../src/store/createFlotillaStore.ts';
import { Ingestor, LOG_WINDOW } from '../../src/store/ingest.ts';
import type { TraceEvent } from '../../src/store/traceEvent.ts';
import type { Explanation } from '../../src/raft/types.ts';

function setup(nodes = 3) {
  const store = createFlotillaStore(nodes);
  const ingest = new Ingestor(store, (e: Explanation) => `explained ${e.kind} of S${e.node}`);
  ingest.reset(nodes);
  const feed = (...events: TraceEvent[]) => { for (const e of events) ingest.event(e); ingest.flush(); };
  return { store, ingest, feed };
}

const state = (t: number, node: number, role: 'follower' | 'candidate' | 'leader', term: number, extra: Partial<{ vote: number; leader: number; commit: number; last: [number, number] }> = {}): TraceEvent =>
  ({ t, type: 'state', node, role, term, vote: extra.vote ?? 0, leader: extra.leader ?? 0, commit: extra.commit ?? 0, last: extra.last ?? [0, 0] });

describe('Ingestor', () => {
  it('shows roles, terms and votes from state events, and marks the election on the timeline', () => {
    const { store, feed } = setup();
    feed(state(1500, 2, 'candidate', 1, { vote: 2 }), state(1520, 1, 'follower', 1, { vote: 2 }), state(1540, 2, 'leader', 1, { vote: 2, leader: 2 }));
    const s = store.getState();
    expect(s.cluster.nodes[1]).toMatchObject({ role: 'leader', term: 1, vote: 2, leader: 2 });
    expect(s.cluster.nodes[0]).toMatchObject({ role: 'follower', term: 1, vote: 2 });
    expect(s.run.eventIndex).toBe(3);
    expect(s.run.now).toBe(1540);
    expect(s.timeline.bands).toEqual([{ term: 1, start: 1500 }]);
    const kinds = s.timeline.items.toArray().map((i) => i.kind);
    expect(kinds).toEqual(['leader']);
  });

  it('publishes new snapshots only for the nodes that changed', () => {
    const { store, feed } = setup();
    const before = store.getState().cluster.nodes;
    feed(state(10, 3, 'candidate', 1));
    const after = store.getState().cluster.nodes;
    expect(after).not.toBe(before);
    expect(after[0]).toBe(before[0]);
    expect(after[2]).not.toBe(before[2]);
    const logsBefore = store.getState().logs;
    feed(state(11, 3, 'candidate', 2));
    expect(store.getState().logs).toBe(logsBefore);
  });

  it('tracks messages in flight, shows drops dying and recognizes a duplicate delivery', () => {
    const { store, feed } = setup();
    feed({ t: 1, type: 'send', id: 7, from: 1, to: 2, msg: { type: 'MsgApp', from: 1, to: 2, term: 1, prevLogIndex: 0, prevLogTerm: 0, commit: 0, entries: [{ index: 1, term: 1, data: 'x' }] } },
      { t: 1, type: 'send', id: 8, from: 1, to: 3, msg: { type: 'MsgHeartbeat', from: 1, to: 3, term: 1, commit: 0, readRound: 0 } });
    expect(store.getState().messages.inFlight.map((m) => [m.id, m.type, m.entryCount])).toEqual([[7, 'MsgApp', 1], [8, 'MsgHeartbeat', 0]]);
    feed({ t: 20, type: 'deliver', id: 7 }, { t: 21, type: 'drop', id: 8, reason: 'loss' });
    let m = store.getState().messages;
    expect(m.inFlight).toEqual([]);
    expect(m.ended.map((e) => [e.id, e.outcome, e.reason])).toEqual([[8, 'dropped', 'loss']]);
    feed({ t: 25, type: 'deliver', id: 7 });
    m = store.getState().messages;
    expect(m.ended.map((e) => [e.id, e.outcome])).toEqual([[8, 'dropped'], [7, 'duplicate']]);
    const items = store.getState().timeline.items.toArray();
    expect(items.map((i) => (i.kind === 'message' ? [i.id, i.outcome, i.endAt] : null))).toEqual([[7, 'delivered', 20], [8, 'dropped', 21]]);
  });

  it('truncates a conflicting log suffix and keeps it to flash (Raft §5.3)', () => {
    const { store, feed } = setup();
    feed({ t: 1, type: 'append', node: 1, from: 1, entries: [{ index: 1, term: 1, data: null }, { index: 2, term: 1, data: 'a' }, { index: 3, term: 1, data: 'b' }] });
    feed({ t: 9, type: 'append', node: 1, from: 2, entries: [{ index: 2, term: 2, data: 'c' }] });
    const log = store.getState().logs[0];
    expect(log.entries.map((e) => [e.index, e.term])).toEqual([[1, 1], [2, 2]]);
    expect(log.truncated).toEqual([{ t: 9, entries: [{ index: 2, term: 1, data: 'a' }, { index: 3, term: 1, data: 'b' }] }]);
  });

  it('keeps at most LOG_WINDOW entries per node and remembers where they start', () => {
    const { store, feed } = setup(1);
    const entries = Array.from({ length: LOG_WINDOW + 10 }, (_, i) => ({ index: i + 1, term: 1, data: null }));
    feed({ t: 1, type: 'append', node: 1, from: 1, entries });
    const log = store.getState().logs[0];
    expect(log.entries.length).toBe(LOG_WINDOW);
    expect(log.firstIndex).toBe(11);
    expect(log.entries[0].index).toBe(11);
  });

  it('mirrors cuts from partition, isolate, cut, restore and heal actions', () => {
    const { store, feed } = setup(3);
    feed({ t: 1, type: 'action', action: { at: 1, do: 'partition', groups: [[1]] } });
    expect([...store.getState().cluster.cuts].sort()).toEqual(['1>2', '1>3', '2>1', '3>1']);
    feed({ t: 2, type: 'action', action: { at: 2, do: 'restore', from: 1, to: 2 } });
    expect(store.getState().cluster.cuts.has('1>2')).toBe(false);
    feed({ t: 3, type: 'action', action: { at: 3, do: 'heal' } });
    expect(store.getState().cluster.cuts.size).toBe(0);
    feed({ t: 4, type: 'action', action: { at: 4, do: 'isolate', node: 'leader' }, node: 2 });
    expect([...store.getState().cluster.cuts].sort()).toEqual(['1>2', '2>1', '2>3', '3>2']);
    feed({ t: 5, type: 'action', action: { at: 5, do: 'cut', from: 3, to: 1 }, noop: true, reason: 'test' });
    expect(store.getState().cluster.cuts.has('3>1')).toBe(false);
  });

  it('narrates crashes, restarts, actions and explanations, in order, with categories', () => {
    const { store, ingest, feed } = setup();
    feed({ t: 3000, type: 'action', action: { at: 3000, do: 'crash', node: 'leader' }, node: 2 }, { t: 3000, type: 'crash', node: 2 });
    ingest.explanation(4100, { kind: 'timerFired', node: 3, term: 1, preVote: false });
    ingest.flush();
    feed({ t: 5000, type: 'action', action: { at: 5000, do: 'timeout', node: 2 }, node: 2, noop: true, reason: 'node is crashed' });
    const lines = store.getState().narration.lines.toArray();
    expect(lines.map((l) => [l.node, l.category])).toEqual([[2, 'fault'], [3, 'election'], [2, 'fault']]);
    expect(lines[0].text).toMatch(/^S2 crashes/);
    expect(lines[1].text).toBe('explained timerFired of S3');
    expect(lines[2].text).toMatch(/no effect \(node is crashed\)/);
    expect(store.getState().cluster.nodes[1].crashed).toBe(true);
  });

  it('reports the timer and the lease from live status, and clears them on a crash', () => {
    const { store, ingest, feed } = setup(3);
    feed(state(10, 1, 'leader', 1, { leader: 1 }));
    const base = { vote: 0, leader: 1, commit: 0, applied: 0, lastIndex: 0, lastTerm: 0, transferee: 0 };
    ingest.statuses([
      { ...base, id: 1, role: 'leader', term: 1, electionElapsed: 0, randomizedElectionTimeout: 12, leaseElapsed: 5, progress: [{ node: 2, match: 0, next: 1, state: 'probe', inflight: 0, recentActive: true }] },
      { ...base, id: 2, role: 'follower', term: 1, electionElapsed: 3, randomizedElectionTimeout: 12, leaseElapsed: 0, progress: [] },
    ], 10);
    ingest.flush();
    const [n1, n2] = store.getState().cluster.nodes;
    expect(n1.leaseFraction).toBe(0.5);
    expect(n1.timerFraction).toBeNull();
    expect(n1.progress.map((p) => p.node)).toEqual([2]);
    expect(n2.timerFraction).toBe(0.25);
    feed({ t: 20, type: 'crash', node: 1 });
    expect(store.getState().cluster.nodes[0]).toMatchObject({ crashed: true, leaseFraction: null, progress: [] });
  });

  it('narrates a leader\'s confirmed read once, and a follower\'s read index in its own words', () => {
    const { store, ingest } = setup();
    const confirmed: Explanation = { kind: 'readConfirmed', node: 1, term: 2, index: 7, via: 'readIndex', acks: [1, 2], context: 'r1' };
    ingest.sim({ t: 500, type: 'explain', node: 1, explanation: confirmed });
    ingest.sim({ t: 500, type: 'read', node: 1, context: 'r1', index: 7 });
    ingest.sim({ t: 530, type: 'read', node: 3, context: 'r9', index: 7 });
    ingest.sim({ t: 540, type: 'read', node: 2, context: 'r4', reason: 'no leader' });
    ingest.flush();
    const texts = store.getState().narration.lines.toArray().map((l) => l.text);
    expect(texts).toEqual([
      'explained readConfirmed of S1',
      'S3 learns read index 7: it serves the read once it has applied that entry.',
      'S2 refuses a read: no leader.',
    ]);
  });

  it('keeps the first violation of an invariant and raises it in the narration', () => {
    const { store, ingest } = setup();
    ingest.violation('Election Safety', 900, [1, 2], 'two leaders in term 3');
    ingest.violation('Election Safety', 950, [1, 3], 'again');
    ingest.flush();
    const inv = store.getState().safety.invariants.find((i) => i.name === 'Election Safety');
    expect(inv).toMatchObject({ ok: false, violation: { t: 900, nodes: [1, 2], message: 'two leaders in term 3' } });
    expect(store.getState().safety.invariants.filter((i) => i.ok).length).toBe(4);
  });
});

describe('Ingestor feeds', () => {
  it('hands every event, reset and flush to an added feed, and its lines join the narration', () => {
    const { store, ingest } = setup();
    const seen: string[] = [];
    const remove = ingest.addFeed({ reset: (n) => seen.push(`reset ${n}`), event: (e) => seen.push(e.type), flush: () => seen.push('flush') });
    ingest.reset(3);
    ingest.sim({ t: 5, type: 'crash', node: 1 });
    ingest.sim({ t: 5, type: 'explain', node: 2, explanation: { kind: 'timerFired', node: 2, term: 0, preVote: false } });
    ingest.addLine(6, 2, 'client', 'a client line');
    ingest.flush();
    expect(store.getState().narration.lines.toArray().map((l) => [l.category, l.text]).at(-1)).toEqual(['client', 'a client line']);
    remove();
    ingest.sim({ t: 7, type: 'restart', node: 1 });
    expect(seen).toEqual(['reset 3', 'crash', 'explain', 'flush']);
  });
});
