/**
 * Election recipe (src/etcd/concurrency/election.ts, observer.ts) against the in-memory etcd: handover after a
 * client dies, one watch per waiter on its immediate predecessor (no herd), proclaim/resign/leader/observe.
 */
import { describe, expect, it } from 'vitest';
import { findLeadershipOverlaps } from '../../src/etcd/recipes/checks.ts';
import { Election, ERR_ELECTION_NOT_LEADER } from '../../src/etcd/concurrency/election.ts';
import { FakeEtcd } from './fakeEtcd.ts';
import { ManualClient } from './manualClient.ts';

const TTL = 3000;
const campaign = (etcd: FakeEtcd, client: string, at: number, election = '/election/web'): void =>
  etcd.action({ at, do: 'campaign', client, election, value: client, ttlMs: TTL });

type Traced = Record<string, unknown> & { t: number; client: string; detail: Record<string, unknown> };
const elected = (etcd: FakeEtcd): Traced[] => etcd.recipeEvents('elected') as Traced[];

describe('election', () => {
  it('the first candidate leads; after its client is killed, the next one leads within about the TTL', () => {
    const etcd = new FakeEtcd();
    campaign(etcd, 'c1', 100);
    campaign(etcd, 'c2', 200);
    campaign(etcd, 'c3', 300);
    etcd.kill('c1', 2000);
    etcd.runUntil(12_000);
    const leaders = elected(etcd);
    expect(leaders.map((e) => e.client)).toEqual(['c1', 'c2']);
    expect(leaders[0]!.t).toBeLessThan(200);
    // c1's last keepalive was at most TTL/3 before the kill; the lease lives a TTL from it.
    expect(leaders[1]!.t).toBeGreaterThan(2000 + (2 * TTL) / 3);
    expect(leaders[1]!.t).toBeLessThan(2000 + TTL + 200);
    // Keys are prefix/<lease hex>, and the queue order is createRevision order.
    const [first, second] = leaders.map((e) => e.detail);
    expect(first!.key).toBe(`/election/web/${String(first!.lease)}`);
    expect(second!.createRevision as number).toBeGreaterThan(first!.createRevision as number);
    // c3 is still waiting, its session alive: no lost event for anybody but... nobody (c1 is dead and silent).
    expect(etcd.recipeEvents('lost')).toEqual([]);
  });

  it('each waiter watches only its immediate predecessor; a resign wakes exactly one waiter (no herd)', () => {
    const etcd = new FakeEtcd();
    const candidates = ['c1', 'c2', 'c3', 'c4', 'c5'];
    candidates.forEach((c, i) => campaign(etcd, c, 100 + 50 * i));
    etcd.runUntil(1000);
    const keyOf = new Map<string, string>();
    for (const e of etcd.events) {
      if (e.type === 'client' && e.phase === 'invoke' && (e.op as { do: string }).do === 'txn') {
        const put = (e.op as { success: { put?: { key: string } }[] }).success[0]?.put;
        if (put !== undefined) keyOf.set(e.client as string, put.key);
      }
    }
    const watchesOf = (client: string): string[] => etcd.events
      .filter((e) => e.type === 'client' && e.phase === 'invoke' && e.client === client && (e.op as { do: string }).do === 'watch')
      .map((e) => (e.op as { key: string; watch: string }).key);
    expect(watchesOf('c1')).toEqual([]);
    for (let i = 1; i < candidates.length; i++) expect(watchesOf(candidates[i]!)).toEqual([keyOf.get(candidates[i - 1]!)]);
    // Every recipe watch is named with a leading underscore.
    for (const e of etcd.events) {
      if (e.type === 'client' && e.phase === 'invoke' && (e.op as { do: string }).do === 'watch') {
        expect((e.op as { watch: string }).watch.startsWith('_')).toBe(true);
      }
    }

    etcd.action({ at: 1000, do: 'resign', client: 'c1', election: '/election/web' });
    const before = etcd.events.length;
    etcd.runUntil(1500);
    const after = etcd.events.slice(before);
    const deliveries = after.filter((e) => e.type === 'watch');
    expect(deliveries.map((e) => e.client)).toEqual(['c2']);
    // Only c2 read the queue again; c3..c5 sent nothing but keepalives.
    const others = after.filter((e) => e.type === 'client' && e.phase === 'invoke' && ['c3', 'c4', 'c5'].includes(e.client as string));
    expect(others.every((e) => (e.op as { do: string }).do === 'keepalive')).toBe(true);
    expect(elected(etcd).map((e) => e.client)).toEqual(['c1', 'c2']);
    expect(etcd.recipeEvents('resigned').map((e) => e.client)).toEqual(['c1']);
  });

  it('when a middle waiter dies, its successor re-reads and waits on the next predecessor instead', () => {
    const etcd = new FakeEtcd();
    ['c1', 'c2', 'c3'].forEach((c, i) => campaign(etcd, c, 100 + 50 * i));
    etcd.kill('c2', 1000);
    etcd.runUntil(1000 + TTL + 500);
    const c3Watches = etcd.events
      .filter((e) => e.type === 'client' && e.phase === 'invoke' && e.client === 'c3' && (e.op as { do: string }).do === 'watch')
      .map((e) => (e.op as { key: string }).key);
    expect(c3Watches).toHaveLength(2);
    expect(c3Watches[1]).toBe(elected(etcd)[0]!.detail.key);
    expect(elected(etcd).map((e) => e.client)).toEqual(['c1']);
  });

  it('a candidate cut off longer than the TTL loses its session (lost) and the next one leads', () => {
    const etcd = new FakeEtcd();
    campaign(etcd, 'c1', 100);
    campaign(etcd, 'c2', 200);
    etcd.cut('c1', 1000, 20_000);
    etcd.runUntil(8000);
    const lost = etcd.recipeEvents('lost') as Traced[];
    expect(lost.map((e) => e.client)).toEqual(['c1']);
    expect(lost[0]!.detail.reason).toBe('no keepalive reply for a whole TTL');
    // c1 notices within a TTL of its last reply (before the cut), c2 leads once the leader expired the lease.
    expect(lost[0]!.t).toBeLessThanOrEqual(1000 + TTL);
    expect(elected(etcd).map((e) => e.client)).toEqual(['c1', 'c2']);
  });

  it('two clients can both believe they lead: the window is measured, from the new leader to the old one\'s lost', () => {
    // c1's link is slow (300 ms each way): the leader renews its lease 300 ms before c1 hears of it. Once c1's
    // requests stop getting through (answers on their way still arrive), the leader expires the lease a TTL
    // after the last renewal it saw, and c2 is elected, while c1 counts its TTL from the answer, 300 ms later.
    const etcd = new FakeEtcd();
    etcd.client('c1', 300);
    campaign(etcd, 'c1', 100);
    campaign(etcd, 'c2', 1000);
    etcd.cut('c1', 3000, 20_000, true);
    etcd.runUntil(9000);
    const c2Elected = elected(etcd).find((e) => e.client === 'c2')!;
    const c1Lost = (etcd.recipeEvents('lost') as Traced[]).find((e) => e.client === 'c1')!;
    expect(c2Elected.t).toBeLessThan(c1Lost.t);
    expect(findLeadershipOverlaps(etcd.events)).toEqual([{
      recipe: 'election', name: '/election/web', startMs: c2Elected.t, endMs: c1Lost.t, durationMs: c1Lost.t - c2Elected.t,
      clients: ['c1', 'c2'], open: false,
    }]);
    expect(c1Lost.t - c2Elected.t).toBeGreaterThan(100);
    expect(c1Lost.t - c2Elected.t).toBeLessThan(300);
  });

  it('proclaim changes the value only for the leader; leader() reads the first created key; observers follow', () => {
    const etcd = new FakeEtcd();
    etcd.action({ at: 50, do: 'observe', client: 'o1', election: '/election/web' });
    campaign(etcd, 'c1', 100);
    campaign(etcd, 'c2', 200);
    etcd.action({ at: 500, do: 'proclaim', client: 'c1', election: '/election/web', value: 'c1-v2' });
    etcd.runUntil(600);
    const waiting = etcd.client('c2').recipes.elections.get('/election/web')!;
    let notLeaderError: string | undefined;
    waiting.proclaim('nope', (error) => (notLeaderError = error));
    let leaderValue: string | undefined;
    waiting.leader((kv) => (leaderValue = kv?.value));
    etcd.runUntil(700);
    expect(notLeaderError).toBe(ERR_ELECTION_NOT_LEADER);
    expect(leaderValue).toBe('c1-v2');

    etcd.action({ at: 1000, do: 'resign', client: 'c1', election: '/election/web' });
    etcd.runUntil(2000);
    const observed = (etcd.recipeEvents('observed') as Traced[]).map((e) => e.detail.value);
    expect(observed).toEqual(['c1', 'c1-v2', 'c2']);
    expect((etcd.recipeEvents('observed') as Traced[]).every((e) => e.client === 'o1')).toBe(true);
  });

  it('resigning is safe to call when not leading, and a resigned client can campaign again', () => {
    const etcd = new FakeEtcd();
    const client = etcd.client('c1');
    const election = new Election(client, { prefix: '/e', watchBaseName: '_t' });
    const outcomes: (string | undefined)[] = [];
    election.resign((error) => outcomes.push(error ?? 'ok'));
    etcd.runUntil(10);
    election.campaign('v', TTL, (error) => outcomes.push(error ?? 'elected'));
    etcd.runUntil(200);
    election.resign((error) => outcomes.push(error ?? 'resigned'));
    etcd.runUntil(400);
    election.campaign('v', TTL, (error) => outcomes.push(error ?? 'elected'));
    etcd.runUntil(600);
    expect(outcomes).toEqual(['ok', 'elected', 'resigned', 'elected']);
    // Resign closed the first session: its lease is revoked.
    expect(etcd.events.filter((e) => e.type === 'client' && e.phase === 'invoke' && (e.op as { do: string }).do === 'revoke')).toHaveLength(1);
  });

  it('an answer from an earlier campaign does nothing to the next one', () => {
    const client = new ManualClient();
    const election = new Election(client, { prefix: '/e', watchBaseName: '_t' });
    const outcomes: string[] = [];
    const kv = { key: '/e/a1', value: 'v', createRevision: 5, modRevision: 5, version: 1, lease: 'a1' };
    election.campaign('v', TTL, (error) => outcomes.push(error ?? 'elected'));
    client.last('grant').answer({ phase: 'ok', result: { header: { revision: 4 }, id: 'a1', ttlMs: TTL } });
    client.last('txn').answer({ phase: 'ok', result: { header: { revision: 5 }, succeeded: true, responses: [{ put: { prevKv: null } }] } });
    client.last('get').answer({ phase: 'ok', result: { header: { revision: 5 }, kvs: [kv], count: 1 } });
    // No predecessor: the candidate reads its own key, and its session runs out before the answer comes.
    const staleConfirm = client.last('get');
    expect(staleConfirm.request).toEqual({ do: 'get', key: '/e/a1' });
    client.advance(TTL);
    expect(outcomes).toEqual(['session expired']);
    const sentBefore = client.sent.length;
    election.campaign('v', TTL, (error) => outcomes.push(error ?? 'elected'));
    staleConfirm.answer({ phase: 'ok', result: { header: { revision: 6 }, kvs: [kv], count: 1 } });
    staleConfirm.answer({ phase: 'fail', error: 'etcdserver: request timed out' });
    client.advance(TTL + 1000);
    // The late answer neither elected the new campaign nor ended it, nor made it send anything.
    expect(outcomes).toEqual(['session expired']);
    expect(client.sent.slice(sentBefore).map((s) => s.request.do)).toEqual(['grant']);
    expect(client.events.map((e) => e.event)).toEqual(['lost']);
  });

  it('is deterministic: the same actions give the same trace', () => {
    const once = (): string => {
      const etcd = new FakeEtcd();
      ['c1', 'c2', 'c3'].forEach((c, i) => campaign(etcd, c, 100 + 7 * i));
      etcd.kill('c1', 1500);
      etcd.cut('c2', 2500, 9000);
      etcd.runUntil(15_000);
      return JSON.stringify(etcd.events);
    };
    expect(once()).toBe(once());
  });
});
