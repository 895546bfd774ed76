// The key-value views' store, driven by events shaped exactly as docs/trace-format.md and docs/clients.md
// write them: Raft's state/apply events carrying encoded commands, and the contract's client, watch, lease and
// recipe events.
import { describe, expect, it } from 'vitest';
import { encodeCommand, minLeaseTtlMsFor, type KvRequest } from '../../src/kv/index.ts';
import { createKvStore, setKvControls } from '../../src/store/kv/createKvStore.ts';
import { KvIngestor } from '../../src/store/kv/kvIngest.ts';
import type { SimEvent } from '../../src/store/traceEvent.ts';

const ELECTION_TIMEOUT_MS = 1000;

/** A small cluster whose events the tests write by hand. */
function cluster(nodes = 3) {
  const store = createKvStore();
  const ingest = new KvIngestor(store);
  ingest.reset(nodes, ELECTION_TIMEOUT_MS);
  const nextIndex = new Map<number, number>();
  let requestId = 0;
  const api = {
    store,
    ingest,
    at(t: number, ev: Record<string, unknown>) {
      ingest.event({ t, ...ev } as unknown as SimEvent);
      return api;
    },
    leader(t: number, node: number, term: number) {
      for (let n = 1; n <= nodes; n++) {
        api.at(t, { type: 'state', node: n, role: n === node ? 'leader' : 'follower', term, vote: node, leader: node, commit: 0, last: [0, 0] });
      }
      return api;
    },
    /** Node `node` applies the next entry of its log: `request` as a command, or the leader's empty entry. */
    apply(t: number, node: number, term: number, request: KvRequest | null) {
      const index = (nextIndex.get(node) ?? 0) + 1;
      nextIndex.set(node, index);
      const data = request === null ? null : encodeCommand({ clientId: 'c', requestId: ++requestId, request });
      return api.at(t, { type: 'apply', node, index, term, data });
    },
    /** Every node in `nodes` applies the same entry (at the same index). */
    applyOn(t: number, on: number[], term: number, request: KvRequest | null) {
      const data = request === null ? null : encodeCommand({ clientId: 'c', requestId: ++requestId, request });
      for (const node of on) {
        const index = (nextIndex.get(node) ?? 0) + 1;
        nextIndex.set(node, index);
        api.at(t, { type: 'apply', node, index, term, data });
      }
      return api;
    },
    state() {
      ingest.flush();
      return store.getState();
    },
  };
  return api;
}

describe('key-value table', () => {
  it('shows a lagging follower stale, with how many revisions behind', () => {
    const c = cluster();
    c.leader(10, 1, 1).applyOn(20, [1, 2, 3], 1, null)
      .applyOn(30, [1, 2, 3], 1, { do: 'put', key: 'a', value: '1' })
      .applyOn(40, [1, 2], 1, { do: 'put', key: 'b', value: '2' })
      .applyOn(50, [1], 1, { do: 'put', key: 'a', value: '3' });

    setKvControls(c.store, { tableNode: 3 });
    let t = c.state().table;
    expect(t.node).toBe(3);
    expect(t.rows.map((r) => [r.key, r.value])).toEqual([['a', '1']]);
    expect(t.revision).toBe(2);
    expect(t.newestRevision).toBe(4);
    expect(t.behind).toBe(2);

    setKvControls(c.store, { tableNode: 1 });
    t = c.state().table;
    expect(t.behind).toBe(0);
    expect(t.rows).toEqual([
      { key: 'a', value: '3', createRevision: 2, modRevision: 4, version: 2, lease: '0', leaseName: null },
      { key: 'b', value: '2', createRevision: 3, modRevision: 3, version: 1, lease: '0', leaseName: null },
    ]);
  });

  it('follows the leader when no node is chosen, and a restarted node re-applies from scratch', () => {
    const c = cluster();
    c.leader(10, 2, 1).applyOn(20, [1, 2, 3], 1, null).applyOn(30, [1, 2, 3], 1, { do: 'put', key: 'k', value: 'v' });
    expect(c.state().table.node).toBe(2);
    c.at(40, { type: 'crash', node: 3 }).at(50, { type: 'restart', node: 3 });
    setKvControls(c.store, { tableNode: 3 });
    expect(c.state().table.rows).toEqual([]);
    // The restarted node's apply events start again at index 1; the mirror takes them.
    c.at(60, { type: 'apply', node: 3, index: 1, term: 1, data: null });
    c.at(60, { type: 'apply', node: 3, index: 2, term: 1, data: encodeCommand({ clientId: 'c', requestId: 99, request: { do: 'put', key: 'k', value: 'v' } }) });
    expect(c.state().table.rows.map((r) => r.key)).toEqual(['k']);
  });
});

describe('lease panel', () => {
  it('counts TTLs on the leader, restarts them on keepalives, and resets them when a new leader takes over', () => {
    const c = cluster();
    const ttlMs = 5000;
    c.leader(10, 1, 1).applyOn(100, [1, 2, 3], 1, null);
    c.at(190, { type: 'client', client: 'c1', id: 1, phase: 'invoke', op: { do: 'grant', lease: 'L1', ttlMs } });
    c.applyOn(200, [1, 2, 3], 1, { do: 'grant', id: 'abc', ttlMs });
    c.at(200, { type: 'lease', node: 1, lease: 'L1', id: 'abc', event: 'granted', ttlMs });
    c.at(210, { type: 'client', client: 'c1', id: 1, phase: 'ok', result: { header: { revision: 1, raftTerm: 1 }, id: 'abc', ttlMs } });
    let l = c.state().leases;
    expect(l.clockNode).toBe(1);
    expect(l.leases).toHaveLength(1);
    expect(l.leases[0]).toMatchObject({ id: 'abc', name: 'L1', owner: 'c1', ttlMs, state: 'live', expiresAtMs: 200 + ttlMs, resetAtMs: null });

    c.at(1000, { type: 'lease', node: 1, lease: 'L1', id: 'abc', event: 'renewed', ttlMs });
    expect(c.state().leases.leases[0].expiresAtMs).toBe(1000 + ttlMs);

    // S2 takes over in term 2; its lessor is promoted when it applies its first entry of term 2.
    c.leader(2000, 2, 2);
    l = c.state().leases;
    expect(l.clockNode).toBe(0);
    expect(l.leases[0].expiresAtMs).toBeNull();
    c.applyOn(2100, [1, 2, 3], 2, null);
    l = c.state().leases;
    expect(l.clockNode).toBe(2);
    expect(l.clockSinceMs).toBe(2100);
    expect(l.leases[0]).toMatchObject({ expiresAtMs: 2100 + ELECTION_TIMEOUT_MS + ttlMs, resetAtMs: 2100 });
    const said = c.store.getState().narration.lines.toArray().map((x) => x.text);
    expect(said.some((s) => s.includes('S2 leads and takes over the lease clock'))).toBe(true);
  });

  it('marks an expired lease and drops its keys when the revoke applies', () => {
    const c = cluster();
    const ttl = minLeaseTtlMsFor(ELECTION_TIMEOUT_MS);
    c.leader(10, 1, 1).applyOn(100, [1, 2, 3], 1, null)
      .applyOn(200, [1, 2, 3], 1, { do: 'grant', id: 'f00', ttlMs: ttl })
      .applyOn(300, [1, 2, 3], 1, { do: 'put', key: 'svc/a', value: 'x', lease: 'f00' });
    expect(c.state().table.rows[0]).toMatchObject({ key: 'svc/a', lease: 'f00' });
    c.at(200 + ttl, { type: 'lease', node: 1, lease: 'f00', id: 'f00', event: 'expired' });
    expect(c.state().leases.leases[0].state).toBe('expired');
    c.applyOn(200 + ttl + 20, [1, 2, 3], 1, { do: 'revoke', id: 'f00' });
    const s = c.state();
    expect(s.table.rows).toEqual([]);
    expect(s.leases.leases).toMatchObject([{ id: 'f00', state: 'expired', endedAtMs: 200 + ttl }]);
  });
});

describe('clients', () => {
  it('narrates a failed request with its reason and keeps the client next to its node', () => {
    const c = cluster();
    c.at(5, { type: 'action', action: { at: 5, do: 'client', client: 'c1', via: 3, requireLeader: true }, node: 3 });
    c.at(10, { type: 'client', client: 'c1', id: 1, phase: 'invoke', op: { do: 'get', key: 'a' } });
    expect(c.state().clients[0]).toMatchObject({ name: 'c1', node: 3, requireLeader: true, pending: 'get a' });
    c.at(10, { type: 'client', client: 'c1', id: 1, phase: 'fail', error: 'etcdserver: no leader' });
    const s = c.state();
    expect(s.clients[0]).toMatchObject({ pending: null, lastError: { t: 10, reason: 'no leader' } });
    const line = s.narration.lines.toArray().at(-1)!;
    expect(line).toMatchObject({ node: 3, client: 'c1' });
    expect(line.text).toContain('c1’s get a through S3 failed: no leader');

    c.at(20, { type: 'client', client: 'c1', id: 2, phase: 'invoke', op: { do: 'put', key: 'a', value: '1' } });
    c.at(9000, { type: 'client', client: 'c1', id: 2, phase: 'info', error: 'etcdserver: request timed out' });
    expect(c.state().narration.lines.toArray().at(-1)!.text).toMatch(/put a=1 through S3 failed: request timed out.*outcome unknown/);
    expect(c.store.getState().outcomes.lines.toArray().map((o) => [o.op, o.phase, o.text])).toEqual([
      ['get a', 'fail', 'Error: etcdserver: no leader'],
      ['put a=1', 'info', 'Error: etcdserver: request timed out'],
    ]);
  });

  it('tracks a client link cut and restored by name, and a client that moves to another node', () => {
    const c = cluster();
    c.at(5, { type: 'action', action: { at: 5, do: 'client', client: 'c1', via: 'any' }, node: 2 });
    c.at(6, { type: 'action', action: { at: 6, do: 'cut', from: 'c1', to: 2 }, to: 2 });
    expect(c.state().clients[0]).toMatchObject({ node: 2, cutToNode: true, cutFromNode: false });
    c.at(7, { type: 'kvSend', id: 40, msg: { type: 'ClientRequest', from: 'c1', to: 3 } });
    c.at(8, { type: 'action', action: { at: 8, do: 'heal' } });
    expect(c.state().clients[0]).toMatchObject({ node: 3, cutToNode: false });
    c.at(9, { type: 'action', action: { at: 9, do: 'killClient', client: 'c1' } });
    expect(c.state().clients[0].killed).toBe(true);
  });
});

describe('recipes', () => {
  it('shows an election queue by createRevision, its owners, the leader believers and the observers', () => {
    const c = cluster();
    c.leader(10, 1, 1).applyOn(20, [1, 2, 3], 1, null);
    for (const [i, client] of ['c1', 'c2'].entries()) {
      const id = `a${i}`;
      c.at(30, { type: 'action', action: { at: 30, do: 'campaign', client, election: '/election/web', value: client, ttlMs: 3000 } });
      c.at(31, { type: 'client', client, id: 1, phase: 'invoke', op: { do: 'grant', ttlMs: 3000 } });
      c.applyOn(32, [1, 2, 3], 1, { do: 'grant', id, ttlMs: 3000 });
      c.at(33, { type: 'client', client, id: 1, phase: 'ok', result: { header: { revision: 1 }, id, ttlMs: 3000 } });
    }
    // c2's key is created first.
    c.applyOn(40, [1, 2, 3], 1, { do: 'put', key: '/election/web/a1', value: 'c2', lease: 'a1' });
    c.applyOn(41, [1, 2, 3], 1, { do: 'put', key: '/election/web/a0', value: 'c1', lease: 'a0' });
    c.at(42, { type: 'recipe', client: 'c2', recipe: 'election', name: '/election/web', event: 'elected', detail: { key: '/election/web/a1', createRevision: 2 } });
    c.at(43, { type: 'recipe', client: 'c3', recipe: 'election', name: '/election/web', event: 'observed', detail: { key: '/election/web/a1', value: 'c2', createRevision: 2 } });
    const [e] = c.state().elections;
    expect(e.name).toBe('/election/web');
    expect(e.queue.map((q) => [q.key, q.createRevision, q.owner])).toEqual([['/election/web/a1', 2, 'c2'], ['/election/web/a0', 3, 'c1']]);
    expect(e.believers).toEqual([{ client: 'c2', sinceMs: 42 }]);
    expect(e.observers).toEqual([{ client: 'c3', value: 'c2', atMs: 43 }]);
    expect([...e.candidates].sort()).toEqual(['c1', 'c2']);

    c.at(50, { type: 'recipe', client: 'c2', recipe: 'election', name: '/election/web', event: 'lost', detail: { reason: 'session expired' } });
    expect(c.state().elections[0].believers).toEqual([]);
  });

  it('lists live instances from the store and each discoverer’s view', () => {
    const c = cluster();
    c.leader(10, 1, 1).applyOn(20, [1, 2, 3], 1, null);
    c.at(21, { type: 'action', action: { at: 21, do: 'discover', client: 'c5', service: '/services/web/' } });
    c.applyOn(30, [1, 2, 3], 1, { do: 'put', key: '/services/web/web-1', value: JSON.stringify({ addr: '10.0.0.7:8080' }) });
    c.at(31, { type: 'recipe', client: 'c4', recipe: 'registry', name: '/services/web/', event: 'registered', detail: { instance: 'web-1', addr: '10.0.0.7:8080' } });
    c.at(35, { type: 'recipe', client: 'c5', recipe: 'registry', name: '/services/web/', event: 'discovered', detail: { instances: [{ instance: 'web-1', addr: '10.0.0.7:8080' }] } });
    let [svc] = c.state().services;
    expect(svc.live).toEqual([{ instance: 'web-1', addr: '10.0.0.7:8080', key: '/services/web/web-1', client: 'c4' }]);
    expect(svc.discoverers).toEqual([{ client: 'c5', instances: [{ instance: 'web-1', addr: '10.0.0.7:8080' }], atMs: 35 }]);
    c.applyOn(40, [1, 2, 3], 1, { do: 'delete', key: '/services/web/web-1' });
    c.at(45, { type: 'recipe', client: 'c5', recipe: 'registry', name: '/services/web/', event: 'discovered', detail: { instances: [] } });
    [svc] = c.state().services;
    expect(svc.live).toEqual([]);
    expect(svc.discoverers[0].instances).toEqual([]);
  });

  it('marks every cron run and refused run, and reports a period run twice', () => {
    const c = cluster();
    c.at(100, { type: 'action', action: { at: 100, do: 'cron', client: 'c6', job: 'backup', everyMs: 5000, election: '/cron/backup', ttlMs: 3000 } });
    const recipe = (t: number, client: string, event: 'run' | 'refused', period: number) =>
      c.at(t, { type: 'recipe', client, recipe: 'cron', name: 'backup', event, detail: { period } });
    recipe(200, 'c6', 'run', 0);
    recipe(5200, 'c6', 'refused', 1);
    recipe(5300, 'c7', 'run', 1);
    let cron = c.state().cron;
    expect(cron.jobs).toEqual([{ job: 'backup', everyMs: 5000, atMs: 100 }]);
    expect(cron.marks.map((m) => [m.client, m.kind, m.period])).toEqual([['c6', 'run', 0], ['c6', 'refused', 1], ['c7', 'run', 1]]);
    expect(cron.doubleRuns).toEqual([]);
    recipe(5400, 'c6', 'run', 1);
    cron = c.state().cron;
    expect(cron.doubleRuns).toEqual([{ job: 'backup', period: 1, clients: ['c7', 'c6'] }]);
  });
});

describe('watch stream', () => {
  it('lists delivered events and cancellations, not the recipes’ own watches', () => {
    const c = cluster();
    c.at(1, { type: 'action', action: { at: 1, do: 'watch', client: 'c1', watch: 'w1', key: 'svc/', prefix: true, startRevision: 0 } });
    c.at(2, { type: 'watch', client: 'c1', watch: 'w1', events: [{ type: 'PUT', kv: { key: 'svc/a', value: 'x', createRevision: 4, modRevision: 4, version: 1, lease: '0' } }] });
    c.at(3, { type: 'watch', client: 'c2', watch: '_election', events: [{ type: 'DELETE', kv: { key: 'e/1', value: '', createRevision: 0, modRevision: 5, version: 0, lease: '0' } }] });
    c.at(4, { type: 'watch', client: 'c1', watch: 'w1', events: [], canceled: true, error: 'mvcc: required revision has been compacted' });
    const w = c.state().watches;
    expect(w.lines.toArray().map((l) => [l.kind, l.key, l.modRevision])).toEqual([['PUT', 'svc/a', 4], ['CANCELED', '', 0]]);
    expect(w.lines.toArray()[1].error).toContain('compacted');
    expect(w.open).toEqual([]);
  });
});

describe('linearizability verdict', () => {
  const put = (c: ReturnType<typeof cluster>, t: number, id: number, value: string, revision: number) => {
    c.at(t, { type: 'client', client: 'c1', id, phase: 'invoke', op: { do: 'put', key: 'a', value } });
    c.at(t + 1, { type: 'client', client: 'c1', id, phase: 'ok', result: { header: { revision, raftTerm: 1 }, prevKv: null } });
  };
  const get = (c: ReturnType<typeof cluster>, t: number, id: number, value: string, revision: number) => {
    c.at(t, { type: 'client', client: 'c2', id, phase: 'invoke', op: { do: 'get', key: 'a' } });
    c.at(t + 1, { type: 'client', client: 'c2', id, phase: 'ok', result: { header: { revision, raftTerm: 1 }, kvs: [{ key: 'a', value, createRevision: 2, modRevision: revision, version: revision - 1, lease: '0' }], count: 1 } });
  };

  it('is pending until checked, then linearizable for a correct history', () => {
    const c = cluster();
    expect(c.state().verdict.status).toBe('none');
    put(c, 10, 1, '1', 2);
    get(c, 20, 1, '1', 2);
    expect(c.state().verdict.status).toBe('pending');
    c.ingest.checkHistory();
    expect(c.store.getState().verdict).toMatchObject({ status: 'linearizable', operations: 2, checkedEvents: 4 });
  });

  it('names the failing key and operation of a stale read', () => {
    const c = cluster();
    put(c, 10, 1, '1', 2);
    put(c, 20, 2, '2', 3);
    get(c, 30, 1, '1', 2); // reads the overwritten value after the second put returned
    c.ingest.checkHistory();
    const v = c.store.getState().verdict;
    expect(v.status).toBe('not-linearizable');
    expect(v.failingKey).toBe('key "a"');
    expect(v.failingOp).toContain('get');
    expect(v.revisionOrderOk).toBe(true);
  });
});

describe('election narration says why the next candidate leads', () => {
  it('names the killed leader whose lease expired', () => {
    const c = cluster();
    c.leader(10, 1, 1).applyOn(20, [1, 2, 3], 1, null);
    for (const [client, id] of [['c1', 'a1'], ['c2', 'a2']] as const) {
      c.at(30, { type: 'action', action: { at: 30, do: 'campaign', client, election: '/election/web', value: client, ttlMs: 3000 } });
      c.at(31, { type: 'client', client, id: 1, phase: 'invoke', op: { do: 'grant', ttlMs: 3000 } });
      c.at(33, { type: 'client', client, id: 1, phase: 'ok', result: { header: { revision: 1 }, id, ttlMs: 3000 } });
    }
    c.at(40, { type: 'recipe', client: 'c1', recipe: 'election', name: '/election/web', event: 'elected', detail: { key: '/election/web/a1', createRevision: 2 } });
    c.at(50, { type: 'action', action: { at: 50, do: 'killClient', client: 'c1' } });
    expect(c.state().elections[0].believers).toEqual([]);
    c.at(3100, { type: 'lease', node: 1, lease: 'a1', id: 'a1', event: 'expired' });
    c.at(3150, { type: 'recipe', client: 'c2', recipe: 'election', name: '/election/web', event: 'elected', detail: { key: '/election/web/a2', createRevision: 3 } });
    const last = c.state().narration.lines.toArray().at(-1)!;
    expect(last.text).toBe('c2 is elected leader of /election/web: its key /election/web/a2 now has the lowest createRevision (3) under the prefix, '
      + "because c1's session lease expired at 3.100 s (no keepalive within its TTL), which deleted its key.");
    expect(c.state().elections[0].candidates).toEqual(['c2']);
  });
});

describe('client actions in words', () => {
  it('describes a client action, a client link, and nothing else', async () => {
    const { describeClientAction } = await import('../../src/store/kv/kvNarration.ts');
    expect(describeClientAction({ do: 'client', client: 'c1', via: 3, requireLeader: true })).toBe('Client c1 attaches to S3 (it requires a leader).');
    expect(describeClientAction({ do: 'put', client: 'c1', key: 'a', value: '1' })).toBe('c1 asks: put a=1.');
    expect(describeClientAction({ do: 'campaign', client: 'c2', election: '/e', value: 'c2', ttlMs: 3000 })).toBe('c2 campaigns on /e with value "c2" (session TTL 3 s).');
    expect(describeClientAction({ do: 'cut', from: 'web1', to: 1 })).toBe('The link web1 → S1 is cut.');
    expect(describeClientAction({ do: 'cut', from: 1, to: 2 })).toBeNull();
    expect(describeClientAction({ do: 'crash', node: 2 })).toBeNull();
  });
});

describe('client links follow the simulator\'s link rules', () => {
  it('a partition keeps a cut it did not heal, and a cut follows the client to its node', () => {
    const c = cluster();
    c.at(5, { type: 'action', action: { at: 5, do: 'client', client: 'c1', via: 'any' }, node: 1 });
    c.at(6, { type: 'action', action: { at: 6, do: 'cut', from: 'c1', to: 2 }, to: 2 });
    expect(c.state().clients[0]).toMatchObject({ node: 1, cutToNode: false, cutFromNode: false });
    c.at(7, { type: 'action', action: { at: 7, do: 'partition', groups: [[1, 'c1'], [2, 3]] } });
    expect(c.state().clients[0]).toMatchObject({ node: 1, cutToNode: false, cutFromNode: false });
    c.at(8, { type: 'kvSend', id: 40, msg: { type: 'ClientRequest', from: 'c1', to: 2 } });
    expect(c.state().clients[0]).toMatchObject({ node: 2, cutToNode: true, cutFromNode: true });
    c.at(9, { type: 'action', action: { at: 9, do: 'heal' } });
    expect(c.state().clients[0]).toMatchObject({ node: 2, cutToNode: false, cutFromNode: false });
  });
});
