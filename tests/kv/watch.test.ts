import { describe, expect, it } from 'vitest';
import { ERR_COMPACTED, WatchHub, type WatchDelivery } from '../../src/kv/index.ts';
import { Harness, kv } from './helpers.ts';

/** A state machine whose every applied entry is published to a hub, as a node does; deliveries collected. */
class WatchedHarness extends Harness {
  readonly hub = new WatchHub(this.sm.store);
  readonly deliveries: WatchDelivery[] = [];

  override apply(...args: Parameters<Harness['apply']>) {
    const result = super.apply(...args);
    this.deliveries.push(...this.hub.publish(result.events));
    return result;
  }

  eventsOf(watchId: string) {
    return this.deliveries.filter((d) => d.watchId === watchId).flatMap((d) => d.events);
  }
}

describe('watch', () => {
  it('from revision 0 reports only later changes in range, PUT with the kv and DELETE with key and revision', () => {
    const h = new WatchedHarness();
    h.put('svc/old', '1');
    expect(h.hub.watch('w', { key: 'svc/', prefix: true })).toEqual({ ok: true, header: { revision: 2 }, events: [] });
    h.put('svc/a', 'x'); // 3
    h.put('other', 'y'); // 4
    h.del('svc/old'); // 5
    expect(h.eventsOf('w')).toEqual([
      { type: 'PUT', kv: kv('svc/a', 'x', 3, 3, 1) },
      { type: 'DELETE', kv: { key: 'svc/old', value: '', createRevision: 0, modRevision: 5, version: 0, lease: '0' } },
    ]);
  });

  it('replays history from a past start revision, then continues live with no gap and no duplicate', () => {
    const h = new WatchedHarness();
    h.put('k', '1'); // 2
    h.put('k', '2'); // 3
    h.del('k'); // 4
    h.put('k', '3'); // 5
    const created = h.hub.watch('w', { key: 'k', startRevision: 3, prevKv: true });
    expect(created).toEqual({
      ok: true, header: { revision: 5 },
      events: [
        { type: 'PUT', kv: kv('k', '2', 2, 3, 2), prevKv: kv('k', '1', 2, 2, 1) },
        { type: 'DELETE', kv: { key: 'k', value: '', createRevision: 0, modRevision: 4, version: 0, lease: '0' }, prevKv: kv('k', '2', 2, 3, 2) },
        { type: 'PUT', kv: kv('k', '3', 5, 5, 1) },
      ],
    });
    h.put('k', '4'); // 6
    expect(h.eventsOf('w')).toEqual([{ type: 'PUT', kv: kv('k', '4', 5, 6, 2), prevKv: kv('k', '3', 5, 5, 1) }]);
  });

  it('gives the events of one revision in the order the txn made them', () => {
    const h = new WatchedHarness();
    h.put('b', '0');
    h.hub.watch('live', { key: '', prefix: true });
    h.txn({ success: [{ put: { key: 'c', value: '1' } }, { delete: { key: 'b' } }, { put: { key: 'a', value: '1' } }] });
    const order = (events: readonly { type: string; kv: { key: string } }[]) => events.map((e) => `${e.type} ${e.kv.key}`);
    expect(order(h.eventsOf('live'))).toEqual(['PUT c', 'DELETE b', 'PUT a']);
    // The same order when replayed from history.
    const replay = h.hub.watch('replay', { key: '', prefix: true, startRevision: 3 });
    expect(replay.ok && order(replay.events)).toEqual(['PUT c', 'DELETE b', 'PUT a']);
  });

  it('cancels a watch whose start revision is below the compacted revision', () => {
    const h = new WatchedHarness();
    h.put('k', '1'); // 2
    h.put('k', '2'); // 3
    h.put('k', '3'); // 4
    h.ok({ do: 'compact', revision: 3 });
    expect(h.hub.watch('old', { key: 'k', startRevision: 2 })).toEqual({ ok: false, error: ERR_COMPACTED, compactRevision: 3 });
    expect(h.hub.has('old')).toBe(false);
    const atCompaction = h.hub.watch('ok', { key: 'k', startRevision: 3 });
    expect(atCompaction.ok && atCompaction.events.map((e) => e.kv.modRevision)).toEqual([3, 4]);
  });

  it('still reports a delete made at exactly the compacted revision to a watch starting there', () => {
    const h = new WatchedHarness();
    h.put('k', '1'); // 2
    h.del('k'); // 3
    h.ok({ do: 'compact', revision: 3 });
    const created = h.hub.watch('w', { key: 'k', startRevision: 3 });
    expect(created.ok && created.events.map((e) => e.type)).toEqual(['DELETE']);
  });

  it('waits for a start revision in the future', () => {
    const h = new WatchedHarness();
    h.hub.watch('w', { key: 'k', startRevision: 4 });
    h.put('k', '1'); // 2
    h.put('k', '2'); // 3
    h.put('k', '3'); // 4
    expect(h.eventsOf('w').map((e) => e.kv.value)).toEqual(['3']);
  });

  it('reports the deletes of a lease revoke in one delivery', () => {
    const h = new WatchedHarness();
    h.grant('5', 60_000);
    h.put('s/2', 'x', { lease: '5' });
    h.put('s/1', 'x', { lease: '5' });
    h.hub.watch('w', { key: 's/', prefix: true });
    h.ok({ do: 'revoke', id: '5' });
    expect(h.deliveries).toEqual([{ watchId: 'w', events: [
      { type: 'DELETE', kv: { key: 's/1', value: '', createRevision: 0, modRevision: 4, version: 0, lease: '0' } },
      { type: 'DELETE', kv: { key: 's/2', value: '', createRevision: 0, modRevision: 4, version: 0, lease: '0' } },
    ] }]);
  });

  it('stops on cancel, refuses a duplicate id, and detects a revision the caller forgot to publish', () => {
    const h = new WatchedHarness();
    h.hub.watch('w', { key: 'k' });
    expect(h.hub.watch('w', { key: 'k' }).ok).toBe(false);
    expect(h.hub.cancel('w')).toBe(true);
    expect(h.hub.cancel('w')).toBe(false);
    h.put('k', '1');
    expect(h.deliveries).toEqual([]);
    h.hub.watch('strict', { key: 'k' });
    const unpublished = h.sm.applyCommand({ clientId: '', requestId: 0, request: { do: 'put', key: 'k', value: '2' } }, { index: 100, nowMs: 0 });
    expect(unpublished.events).toHaveLength(1);
    const next = h.sm.applyCommand({ clientId: '', requestId: 0, request: { do: 'put', key: 'k', value: '3' } }, { index: 101, nowMs: 0 });
    expect(() => h.hub.publish(next.events)).toThrow(/owed revision 3, got 4/);
  });
});
