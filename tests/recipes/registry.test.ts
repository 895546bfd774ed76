/**
 * Service registry (registry.ts, discovery.ts) and the heartbeat pattern (heartbeat.ts) against the in-memory
 * etcd: the discovered list follows deaths and re-registrations; heartbeats leave dead keys behind.
 */
import { describe, expect, it } from 'vitest';
import { FakeEtcd } from './fakeEtcd.ts';

type Traced = Record<string, unknown> & { t: number; client: string; recipe: string; event: string; detail: Record<string, unknown> };
const lists = (etcd: FakeEtcd, recipe = 'registry'): { t: number; names: string[] }[] =>
  (etcd.recipeEvents('discovered') as Traced[])
    .filter((e) => e.recipe === recipe)
    .map((e) => ({ t: e.t, names: (e.detail.instances as { instance: string }[]).map((i) => i.instance) }));

describe('service registry', () => {
  it('discover follows arrivals, a death after the TTL, and re-registration; round-robin cycles the live list', () => {
    const etcd = new FakeEtcd();
    const TTL = 2000;
    etcd.action({ at: 100, do: 'register', client: 'c1', service: '/services/web/', instance: 'web-1', addr: '10.0.0.1:80', ttlMs: TTL });
    etcd.action({ at: 100, do: 'discover', client: 'd1', service: '/services/web/' });
    etcd.action({ at: 300, do: 'register', client: 'c2', service: '/services/web/', instance: 'web-2', addr: '10.0.0.2:80', ttlMs: TTL });
    etcd.runUntil(1000);
    const discovery = etcd.client('d1').recipes.discoveries.get('/services/web/')!;
    expect([discovery.pick()?.instance, discovery.pick()?.instance, discovery.pick()?.instance]).toEqual(['web-1', 'web-2', 'web-1']);

    // c1's link is cut: its lease expires on the leader, the key goes, the watch tells d1.
    etcd.cut('c1', 1000, 6000);
    etcd.runUntil(6000);
    expect(etcd.recipeEvents('lost').map((e) => e.client)).toEqual(['c1']);
    // Healing alone brings nothing back...
    etcd.runUntil(7000);
    expect(lists(etcd).at(-1)!.names).toEqual(['web-2']);
    // ...until the client registers again.
    etcd.action({ at: 7000, do: 'register', client: 'c1', service: '/services/web/', instance: 'web-1', addr: '10.0.0.1:80', ttlMs: TTL });
    etcd.runUntil(8000);
    const seen = lists(etcd);
    expect(seen.map((l) => l.names)).toEqual([[], ['web-1'], ['web-1', 'web-2'], ['web-2'], ['web-1', 'web-2']]);
    // The death is seen within (2/3 TTL, TTL] after the cut, plus the expiry check and delivery.
    const death = seen[3]!.t;
    expect(death).toBeGreaterThan(1000 + (2 * TTL) / 3);
    expect(death).toBeLessThan(1000 + TTL + 200);
    expect(discovery.list().map((i) => i.addr)).toEqual(['10.0.0.1:80', '10.0.0.2:80']);
    const registered = etcd.recipeEvents('registered') as Traced[];
    expect(registered.map((e) => [e.client, e.detail.instance])).toEqual([['c1', 'web-1'], ['c2', 'web-2'], ['c1', 'web-1']]);
  });

  it('a killed instance vanishes after its TTL; the discovering client sees the full list each time', () => {
    const etcd = new FakeEtcd();
    for (const [client, instance] of [['c1', 'a'], ['c2', 'b'], ['c3', 'c']]) {
      etcd.action({ at: 100, do: 'register', client, service: '/svc/', instance, addr: `${instance}:1`, ttlMs: 3000 });
    }
    etcd.action({ at: 500, do: 'discover', client: 'd1', service: '/svc/' });
    etcd.kill('c2', 1000);
    etcd.runUntil(6000);
    const discovered = etcd.recipeEvents('discovered') as Traced[];
    expect(discovered.map((e) => e.detail.instances)).toEqual([
      [{ instance: 'a', addr: 'a:1' }, { instance: 'b', addr: 'b:1' }, { instance: 'c', addr: 'c:1' }],
      [{ instance: 'a', addr: 'a:1' }, { instance: 'c', addr: 'c:1' }],
    ]);
  });

  it('heartbeat pattern: a dead instance drops out only after it turns stale, and its key stays in the store', () => {
    const etcd = new FakeEtcd();
    etcd.action({ at: 100, do: 'heartbeat', client: 'c1', service: '/hb/', instance: 'web-1', addr: '10.0.0.1:80', everyMs: 500 });
    etcd.action({ at: 100, do: 'heartbeat', client: 'c2', service: '/hb/', instance: 'web-2', addr: '10.0.0.2:80', everyMs: 500 });
    etcd.action({ at: 300, do: 'discoverHeartbeats', client: 'd1', service: '/hb/', everyMs: 400, staleAfterMs: 1500 });
    etcd.kill('c1', 2000);
    etcd.runUntil(8000);
    const seen = lists(etcd, 'heartbeat');
    expect(seen.map((l) => l.names)).toEqual([['web-1', 'web-2'], ['web-2']]);
    // c1's last beat was written at most 500 ms before its death; readers drop it once older than 1500 ms, at
    // their next poll (every 400 ms).
    expect(seen[1]!.t).toBeGreaterThan(2000 + 1500 - 500);
    expect(seen[1]!.t).toBeLessThanOrEqual(2000 + 1500 + 400 + 20);
    const stored = etcd.machine.get({ key: '/hb/', prefix: true });
    expect(stored.ok && stored.result.kvs.map((kv) => kv.key)).toEqual(['/hb/web-1', '/hb/web-2']);
  });
});
