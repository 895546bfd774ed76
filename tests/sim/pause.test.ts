/**
 * Process pauses (docs/scenarios.md, "Process pauses"): a paused node or client does nothing, its timers stand
 * still, messages to it wait in its inbox and arrive in order on resume, and it resumes with the beliefs it had.
 */
import { describe, expect, it } from 'vitest';
import type { NodeId } from '../../src/raft/types.ts';
import type { ActionEvent, SendEvent, TraceEvent } from '../../src/sim/traceEvents.ts';
import { findLeadershipOverlaps } from '../../src/etcd/recipes/checks.ts';
import { checkTraceHistory } from '../../src/check/traceHistory.ts';
import { run, states, type Run } from './helpers.ts';

const noops = (r: Run): ActionEvent[] => r.events.filter((e): e is ActionEvent => e.type === 'action' && e.noop === true);
const of = <T extends TraceEvent['type']>(r: Run, type: T): Extract<TraceEvent, { type: T }>[] =>
  r.events.filter((e): e is Extract<TraceEvent, { type: T }> => e.type === type);
/** Events that show node `node` did something (a step's output): state, append, apply, or a message it sent. */
function activityOf(r: Run, node: NodeId, from: number, to: number): TraceEvent[] {
  return r.events.filter((e) => e.t > from && e.t < to && (
    ((e.type === 'state' || e.type === 'append' || e.type === 'apply') && e.node === node) ||
    (e.type === 'send' && e.from === node)));
}

describe('pausing a node', () => {
  const scenario = {
    nodes: 3, seed: 7, until: 12_000, network: { latencyMs: [10, 10] },
    actions: [
      { at: 3000, do: 'propose', node: 'leader', data: 'x=1' },
      { at: 4000, do: 'pause', node: 'leader' },
      { at: 7000, do: 'propose', node: 'leader', data: 'x=2' },
      { at: 8000, do: 'resume', node: 'lastPaused' },
    ],
  };
  const r = run(scenario);
  const old = r.summary.leaders[0]!;

  it('writes pause and resume events after their actions, naming the node', () => {
    expect(r.lines.filter((l) => /"type":"(pause|resume)"/.test(l)).map((l) => l.trim())).toEqual([
      `{"t":4000,"type":"pause","node":${old.node}}`,
      `{"t":8000,"type":"resume","node":${old.node}}`,
    ]);
  });

  it('a paused node does nothing: no step, no message sent, no delivery to it', () => {
    expect(activityOf(r, old.node, 4000, 8000)).toEqual([]);
    const delivered = new Set(of(r, 'deliver').filter((e) => e.t > 4000 && e.t < 8000).map((e) => e.id));
    const toOld = of(r, 'send').filter((e) => e.to === old.node && delivered.has(e.id));
    expect(toOld).toEqual([]);
  });

  it('the others elect a new leader; the paused one resumes still believing it leads, then learns the newer term', () => {
    const next = r.summary.leaders[1]!;
    expect(next.term).toBeGreaterThan(old.term);
    expect(next.t).toBeGreaterThan(4000);
    expect(next.t).toBeLessThan(8000);
    // At the moment of its resume, its last state is still "leader of the old term".
    const before = states(r).filter((e) => e.node === old.node && e.t <= 8000 && r.events.indexOf(e) < r.events.findIndex((x) => x.type === 'resume'));
    expect(before.at(-1)).toMatchObject({ role: 'leader', term: old.term });
    const after = states(r).find((e) => e.node === old.node && e.t >= 8000)!;
    expect(after).toMatchObject({ t: 8000, role: 'follower', term: next.term, leader: next.node });
    expect(r.summary.violations).toEqual([]);
  });

  it('messages that reached it while paused wait in its inbox and are delivered on resume, in order', () => {
    // Fixed latency: arrival order is send order, so the inbox must hand them over in ascending id order.
    const sentWhilePaused = of(r, 'send').filter((e) => e.to === old.node && e.t >= 4000 - 10 && e.t < 8000 - 10);
    expect(sentWhilePaused.length).toBeGreaterThan(20);
    const resumeAt = r.events.findIndex((e) => e.type === 'resume');
    const ids = sentWhilePaused.map((e) => e.id);
    const deliveredOnResume: number[] = [];
    for (let i = resumeAt + 1; i < r.events.length; i++) {
      const e = r.events[i]!;
      if (e.t !== 8000) break;
      if (e.type === 'deliver' && ids.includes(e.id)) deliveredOnResume.push(e.id);
    }
    expect(deliveredOnResume).toEqual(ids);
  });

  it('a paused leader is still "leader" for actions: a propose to it is a no-op naming the pause', () => {
    const p = run({ ...scenario, actions: [{ at: 3000, do: 'pause', node: 'leader' }, { at: 3100, do: 'propose', node: 'leader', data: 'x' }] });
    expect(noops(p)).toMatchObject([{ t: 3100, node: p.summary.leaders[0]!.node, reason: 'node is paused' }]);
  });
});

describe('a paused node\'s clock stands still', () => {
  it('its election timer does not advance: it campaigns exactly as much later as it was paused', () => {
    const base = { nodes: 1, seed: 11, until: 20_000 };
    const free = run(base);
    const paused = run({ ...base, actions: [{ at: 100, do: 'pause', node: 1 }, { at: 10_100, do: 'resume', node: 1 }] });
    const firstCampaign = (r: Run): number => states(r).find((e) => e.role !== 'follower')!.t;
    expect(firstCampaign(free)).toBeGreaterThan(100);
    expect(firstCampaign(paused)).toBe(firstCampaign(free) + 10_000);
  });
});

describe('wrong-state pause actions are no-ops, like crash and restart', () => {
  it('names why: already paused, not paused, crashed, no paused node, paused not crashed, leader paused', () => {
    const r = run({
      nodes: 3, seed: 7, until: 5000,
      actions: [
        { at: 10, do: 'resume', node: 'lastPaused' },
        { at: 20, do: 'resume', node: 2 },
        { at: 30, do: 'pause', node: 2 },
        { at: 40, do: 'pause', node: 2 },
        { at: 50, do: 'restart', node: 2 },
        { at: 60, do: 'timeout', node: 2 },
        { at: 70, do: 'crash', node: 3 },
        { at: 80, do: 'pause', node: 3 },
        { at: 90, do: 'resume', node: 3 },
        { at: 95, do: 'resume', node: 2 },
        { at: 100, do: 'restart', node: 3 },
        { at: 3000, do: 'pause', node: 'leader' },
        { at: 3100, do: 'transfer', to: 2 },
      ],
    });
    expect(noops(r).map((e) => [e.t, e.node, e.reason])).toEqual([
      [10, undefined, 'no paused node'],
      [20, 2, 'node is not paused'],
      [40, 2, 'node is already paused'],
      [50, 2, 'node is paused, not crashed'],
      [60, 2, 'node is paused'],
      [80, 3, 'node is crashed'],
      [90, 3, 'node is crashed'],
      [3100, 1, 'the leader is paused'],
    ]);
  });

  it('a crash ends the pause and discards the inbox (dropped as crashed); a restarted node runs', () => {
    const r = run({
      nodes: 3, seed: 7, until: 8000, network: { latencyMs: [10, 10] },
      actions: [
        { at: 3000, do: 'pause', node: 2 },
        { at: 4000, do: 'crash', node: 2 },
        { at: 5000, do: 'restart', node: 2 },
        { at: 6000, do: 'resume', node: 2 },
      ],
    });
    const crashAt = r.events.findIndex((e) => e.type === 'crash');
    const held = of(r, 'send').filter((e) => e.to === 2 && e.t >= 2990 && e.t < 3990).map((e) => e.id);
    expect(held.length).toBeGreaterThan(5);
    const dropped = r.events.slice(crashAt + 1).filter((e) => e.type === 'drop' && e.t === 4000 && e.reason === 'crashed').map((e) => (e as { id: number }).id);
    expect(dropped).toEqual(held);
    expect(noops(r)).toMatchObject([{ t: 6000, node: 2, reason: 'node is not paused' }]);
    expect(activityOf(r, 2, 5000, 6000).length).toBeGreaterThan(0);
  });
});

describe('pausing a client', () => {
  it('its retry timer is frozen: the next attempt goes out as much later as it was paused', () => {
    const base = {
      nodes: 3, seed: 3, until: 12_000,
      actions: [
        { at: 100, do: 'client', client: 'c1', via: 1 },
        { at: 2000, do: 'cut', from: 'c1', to: 1 },
        { at: 2000, do: 'get', client: 'c1', key: 'k' },
      ] as Record<string, unknown>[],
    };
    const attempts = (r: Run): number[] =>
      r.events.filter((e) => e.type === 'kvSend' && e.msg.from === 'c1').map((e) => e.t);
    const free = run(base);
    const paused = run({ ...base, actions: [...base.actions, { at: 2500, do: 'pause', client: 'c1' }, { at: 5500, do: 'resume', client: 'c1' }] });
    const f = attempts(free);
    const p = attempts(paused);
    expect(f.slice(0, 2)).toEqual([2000, 3000]);
    expect(p.slice(0, 2)).toEqual([2000, 6000]);
    expect(paused.lines.filter((l) => /"type":"(pause|resume)"/.test(l)).map((l) => l.trim())).toEqual([
      '{"t":2500,"type":"pause","client":"c1"}',
      '{"t":5500,"type":"resume","client":"c1"}',
    ]);
  });

  it('an answer that reaches it while paused waits, and is handled on resume', () => {
    const r = run({
      nodes: 3, seed: 3, until: 8000,
      actions: [
        { at: 100, do: 'client', client: 'c1', via: 'any' },
        { at: 2000, do: 'put', client: 'c1', key: 'k', value: 'v' },
        { at: 2001, do: 'pause', client: 'c1' },
        { at: 4000, do: 'resume', client: 'c1' },
        { at: 4000, do: 'get', client: 'c1', key: 'k' },
      ],
    });
    const replies = r.events.filter((e) => e.type === 'kvSend' && e.msg.to === 'c1').map((e) => (e as { id: number }).id);
    expect(replies.length).toBeGreaterThan(0);
    for (const e of r.events) {
      if (e.type === 'deliver' && replies.includes(e.id)) expect(e.t).toBeGreaterThanOrEqual(4000);
    }
    const clientEvents = r.events.filter((e) => e.type === 'client' && e.client === 'c1') as unknown as { t: number; phase: string }[];
    expect(clientEvents.map((e) => [e.phase, e.t >= 4000])).toEqual([['invoke', false], ['ok', true], ['invoke', true], ['ok', true]]);
  });

  it('actions on a paused client are no-ops; unknown, killed and wrong-state clients too', () => {
    const r = run({
      nodes: 3, seed: 3, until: 5000,
      actions: [
        { at: 100, do: 'client', client: 'c1', via: 1 },
        { at: 100, do: 'client', client: 'c2', via: 1 },
        { at: 200, do: 'resume', client: 'c1' },
        { at: 300, do: 'pause', client: 'c1' },
        { at: 400, do: 'pause', client: 'c1' },
        { at: 500, do: 'put', client: 'c1', key: 'k', value: 'v' },
        { at: 600, do: 'killClient', client: 'c2' },
        { at: 700, do: 'pause', client: 'c2' },
      ],
    });
    expect(noops(r).map((e) => [e.t, e.reason])).toEqual([
      [200, 'client c1 is not paused'],
      [400, 'client c1 is already paused'],
      [500, 'client c1 is paused'],
      [700, 'client c2 was killed'],
    ]);
  });

  it('a paused lock holder resumes still believing it holds the lock, though its lease expired and another holds it', () => {
    const TTL = 2000;
    const r = run({
      nodes: 3, seed: 5, until: 16_000,
      actions: [
        { at: 200, do: 'client', client: 'c1', via: 1 },
        { at: 200, do: 'client', client: 'c2', via: 2 },
        { at: 1500, do: 'lock', client: 'c1', mutex: '/lock/db', ttlMs: TTL },
        { at: 1600, do: 'lock', client: 'c2', mutex: '/lock/db', ttlMs: TTL },
        { at: 3000, do: 'pause', client: 'c1' },
        { at: 9000, do: 'resume', client: 'c1' },
      ],
    });
    const mutex = r.events.filter((e) => e.type === 'recipe' && e.recipe === 'mutex') as unknown as { t: number; client: string; event: string }[];
    const c2Locked = mutex.find((e) => e.client === 'c2' && e.event === 'locked')!;
    const c1Lost = mutex.find((e) => e.client === 'c1' && e.event === 'lost')!;
    expect(mutex[0]).toMatchObject({ client: 'c1', event: 'locked' });
    // c2 gets the lock during the pause (the leader expired c1's lease), and c1 learns it only after resuming.
    expect(c2Locked.t).toBeGreaterThan(3000);
    expect(c2Locked.t).toBeLessThan(9000);
    expect(c1Lost.t).toBeGreaterThan(9000);
    const overlaps = findLeadershipOverlaps(r.events);
    expect(overlaps).toHaveLength(1);
    expect(overlaps[0]).toMatchObject({ recipe: 'mutex', clients: ['c1', 'c2'] });
    expect(overlaps[0]!.startMs).toBe(c2Locked.t);
  });
});

describe('sends while paused never happen', () => {
  it('a paused node sends nothing and a paused client sends nothing', () => {
    const r = run({
      nodes: 3, seed: 9, until: 9000,
      actions: [
        { at: 100, do: 'client', client: 'c1', via: 'any' },
        { at: 1500, do: 'grant', client: 'c1', lease: 'L', ttlMs: 3000 },
        { at: 1500, do: 'keepalive', client: 'c1', lease: 'L' },
        { at: 3000, do: 'pause', client: 'c1' },
        { at: 3000, do: 'pause', node: 3 },
        { at: 7000, do: 'resume', client: 'c1' },
        { at: 7000, do: 'resume', node: 3 },
      ],
    });
    const sends = r.events.filter((e): e is SendEvent => e.type === 'send' && e.t > 3000 && e.t < 7000);
    expect(sends.some((e) => e.from === 3)).toBe(false);
    expect(sends.length).toBeGreaterThan(0);
    expect(r.events.some((e) => e.type === 'kvSend' && e.t > 3000 && e.t < 7000 && e.msg.from === 'c1')).toBe(false);
    expect(r.events.some((e) => e.type === 'kvSend' && e.t >= 7000 && e.msg.from === 'c1')).toBe(true);
  });
});

describe('reads across a pause', () => {
  /**
   * Leader S1 is paused and cut off at 2.5 s; the others elect a new leader, which writes k=2 at 6 s; a read of k
   * through S1 is asked at 8 s, and S1 resumes at 8.5 s with nothing in its inbox to tell it of the newer term.
   */
  /** The values client r's answered reads returned. */
  const valuesReadByR = (r: Run): string[] => (r.events.filter((e) => e.type === 'client') as unknown as
    { client: string; phase: string; result?: { kvs?: { value: string }[] } }[])
    .filter((e) => e.client === 'r' && e.phase === 'ok').flatMap((e) => e.result?.kvs ?? []).map((kv) => kv.value);
  const pausedLeaderRun = (config: Record<string, unknown>): Run => run({
    nodes: 3, seed: 4, until: 12_000, config,
      actions: [
        { at: 100, do: 'client', client: 'w', via: 'any' },
        { at: 100, do: 'client', client: 'r', via: 1 },
        { at: 1500, do: 'put', client: 'w', key: 'k', value: '1' },
        { at: 2500, do: 'pause', node: 1 },
        { at: 2500, do: 'isolate', node: 1 },
        { at: 2500, do: 'cut', from: 'w', to: 1 },
        { at: 2500, do: 'cut', from: 1, to: 'w' },
        { at: 6000, do: 'put', client: 'w', key: 'k', value: '2' },
        { at: 8000, do: 'get', client: 'r', key: 'k' },
        { at: 8500, do: 'resume', node: 1 },
      ],
  });

  it('a paused leader cut off from the others resumes believing it leads; its ReadIndex reads cannot confirm, so no stale read', () => {
    // The resumed old leader has nothing in its inbox to tell it of the newer term (it is isolated): with
    // readOnly "safe" a read needs a heartbeat round with a quorum (thesis §6.4), which it cannot get.
    const r = pausedLeaderRun({ readOnly: 'safe' });
    expect(r.summary.leaders.map((l) => l.node)).toEqual([1, expect.any(Number)]);
    // It still believes it leads term 1 after its resume, until its own CheckQuorum (its clock frozen while paused)
    // finds no quorum: that takes it more than half an election timeout of its own ticks after the resume.
    const stepDown = states(r).find((e) => e.node === 1 && e.t >= 8500)!;
    expect(stepDown.t).toBeGreaterThan(9000);
    expect(stepDown).toMatchObject({ role: 'follower', term: 1 });
    // Meanwhile it acts as the leader it believes it is: heartbeats of term 1 (dropped: it is cut off).
    const beats = r.events.filter((e): e is SendEvent => e.type === 'send' && e.from === 1 && e.t >= 8500 && e.t < stepDown.t && e.msg.type === 'MsgHeartbeat');
    expect(beats.length).toBeGreaterThan(0);
    expect(beats.every((e) => e.msg.term === 1)).toBe(true);
    expect(valuesReadByR(r)).not.toContain('1');
    expect(checkTraceHistory(r.events).linearizable).toBe(true);
  });

  it('with lease reads the same run serves a stale read: the documented price of leases under pauses, and why the fuzzer never draws both', () => {
    // Lease reads rest on bounded clock drift (thesis §6.4); a pause freezes the leader's clock, so on resume it
    // still counts itself inside its lease (docs/scenarios.md, "Process pauses"). This is the configuration's
    // hazard, shown on purpose; the same run with ReadIndex reads stays linearizable (the test above).
    const r = pausedLeaderRun({ readOnly: 'lease', checkQuorum: true });
    expect(valuesReadByR(r)).toContain('1');
    expect(checkTraceHistory(r.events).linearizable).toBe(false);
  });
});
