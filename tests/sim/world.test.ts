/**
 * The world against the scenario and trace contract (docs/scenarios.md, docs/trace-format.md): event order, action
 * semantics and no-ops, the bus's drops and duplicates, crash and restart, determinism on both host paths.
 */
import { describe, expect, it } from 'vitest';
import { asAsyncHost } from '../../src/sim/asyncDriver.ts';
import { runUntilAsync } from '../../src/sim/runner.ts';
import { InlineHost } from '../../src/sim/inlineHost.ts';
import { resolveScenario, FieldError } from '../../src/sim/scenario.ts';
import type { ActionEvent, TraceEvent } from '../../src/sim/traceEvents.ts';
import { TraceWriter } from '../../src/sim/traceWriter.ts';
import { isTraceEvent } from '../../src/sim/traceEvents.ts';
import { World } from '../../src/sim/world.ts';
import { run, scenario, states } from './helpers.ts';

const actionsOf = (events: readonly TraceEvent[]) => events.filter((e): e is ActionEvent => e.type === 'action');

describe('the trace', () => {
  const r = run(scenario({ nodes: 5, until: 8000, actions: [{ at: 3000, do: 'crash', node: 'leader' }, { at: 5000, do: 'restart', node: 'lastCrashed' }] }));

  it('starts with the header (effective config and network) and a state event for every node at t=0', () => {
    const header = JSON.parse(r.lines[0]!);
    expect(header).toMatchObject({ type: 'header', format: 'flotilla-trace', version: 1, seed: 1, nodes: [1, 2, 3, 4, 5] });
    expect(header.config).toMatchObject({ electionTimeoutMs: 1000, heartbeatMs: 100, preVote: true, checkQuorum: true });
    expect(header.network).toEqual({ latencyMs: [10, 30], dropRate: 0, duplicateRate: 0 });
    expect(r.lines.slice(1, 6).map((l) => JSON.parse(l))).toEqual([1, 2, 3, 4, 5].map((node) => ({
      t: 0, type: 'state', node, role: 'follower', term: 0, vote: 0, leader: 0, commit: 0, last: [0, 0],
    })));
  });

  it('writes every event type with its keys in the documented order, and t never decreases', () => {
    const keyOrder: Record<string, string> = {
      state: 't,type,node,role,term,vote,leader,commit,last',
      send: 't,type,id,from,to,msg',
      deliver: 't,type,id',
      drop: 't,type,id,reason',
      append: 't,type,node,from,entries',
      apply: 't,type,node,index,term,data',
      crash: 't,type,node',
      restart: 't,type,node',
    };
    let lastT = 0;
    const seen = new Set<string>();
    for (const line of r.lines.slice(1)) {
      const e = JSON.parse(line);
      expect(e.t).toBeGreaterThanOrEqual(lastT);
      lastT = e.t;
      seen.add(e.type);
      if (e.type === 'action') expect(Object.keys(e).slice(0, 3)).toEqual(['t', 'type', 'action']);
      else expect(Object.keys(e).join(',')).toBe(keyOrder[e.type]);
      if (e.type === 'send') expect(Object.keys(e.msg).slice(0, 2)).toEqual(['type', 'term']);
    }
    expect([...seen].sort()).toEqual(['action', 'append', 'apply', 'crash', 'deliver', 'drop', 'restart', 'send', 'state']);
  });

  it('gives every message a run-unique id and traces each send, delivery and drop', () => {
    const sends = r.events.filter((e) => e.type === 'send');
    expect(new Set(sends.map((e) => e.id)).size).toBe(sends.length);
    const fates = new Map<number, number>();
    for (const e of r.events) if (e.type === 'deliver' || e.type === 'drop') fates.set(e.id, (fates.get(e.id) ?? 0) + 1);
    // Without duplication every message has at most one fate (messages still in flight at `until` have none).
    expect([...fates.values()].every((n) => n === 1)).toBe(true);
    expect(sends.filter((s) => !fates.has(s.id)).every((s) => s.t > 8000 - 30)).toBe(true);
  });

  it('writes the state event of a step after its append and apply events', () => {
    for (let i = 0; i < r.events.length; i++) {
      const e = r.events[i]!;
      if (e.type !== 'append' && e.type !== 'apply') continue;
      // The node's next state-or-other-node event at this time: a state of the same node must come later.
      const next = r.events.slice(i + 1).find((x) => !(x.type === 'apply' && x.node === e.node) && !(x.type === 'append' && x.node === e.node));
      if (next?.type === 'state' && next.node === e.node) expect(next.t).toBe(e.t);
    }
  });

  it('records listener-only explanations without writing them to the file', () => {
    expect(r.all.some((e) => e.type === 'explain')).toBe(true);
    expect(r.lines.some((l) => l.includes('"explain"'))).toBe(false);
    expect(r.lines.length - 1).toBe(r.summary.events);
  });
});

describe('actions', () => {
  it('run before any other event of their millisecond, in file order', () => {
    const plain = run(scenario({ nodes: 3, until: 3000 }));
    // A millisecond at which the plain run has events: a heal there must come first, changing nothing else.
    const busy = plain.events.find((e) => e.t > 1000 && e.type === 'deliver')!.t;
    const withActions = run(scenario({ nodes: 3, until: 3000, actions: [{ at: busy, do: 'heal' }, { at: busy, do: 'restore', from: 1, to: 2 }] }));
    const at = withActions.events.filter((e) => e.t === busy);
    expect(at.slice(0, 2).map((e) => (e as ActionEvent).action?.do)).toEqual(['heal', 'restore']);
    expect(at.slice(2)).toEqual(plain.events.filter((e) => e.t === busy));
  });

  it('crash: the action, then the crash event; messages to the node are dropped as crashed; restart recovers it', () => {
    const r = run(scenario({ nodes: 3, until: 8000, actions: [{ at: 2500, do: 'crash', node: 'leader' }, { at: 6000, do: 'restart', node: 'lastCrashed' }] }));
    const crashAction = actionsOf(r.events).find((a) => a.action.do === 'crash')!;
    const i = r.events.indexOf(crashAction);
    const crashed = crashAction.node!;
    expect(r.events[i + 1]).toEqual({ t: 2500, type: 'crash', node: crashed });
    const before = states(r).filter((s) => s.node === crashed && s.t <= 2500).at(-1)!;
    // Nothing of the crashed node's own happens while it is down; messages to it are dropped as crashed.
    expect(r.events.some((e) => e.t > 2500 && e.t < 6000 && ((e.type === 'state' && e.node === crashed) || (e.type === 'send' && e.from === crashed)))).toBe(false);
    const toCrashed = new Set(r.events.filter((e) => e.type === 'send' && e.to === crashed && e.t > 2500 && e.t < 5900).map((e) => (e as { id: number }).id));
    expect(toCrashed.size).toBeGreaterThan(0);
    expect(r.events.filter((e) => e.type === 'drop' && toCrashed.has(e.id)).every((e) => (e as { reason: string }).reason === 'crashed')).toBe(true);
    // Restart: action, restart event, then the recovered state (term, vote and log survive; role is follower).
    const restartAction = actionsOf(r.events).find((a) => a.action.do === 'restart')!;
    expect(restartAction.node).toBe(crashed);
    const j = r.events.indexOf(restartAction);
    expect(r.events[j + 1]).toEqual({ t: 6000, type: 'restart', node: crashed });
    const after = r.events.slice(j + 2).find((e) => e.type === 'state' && e.node === crashed)!;
    expect(after).toMatchObject({ t: 6000, role: 'follower', term: before.term, vote: before.vote, last: before.last });
  });

  it('restores, after every restart, exactly the durable state the node had when it crashed', () => {
    const actions = [];
    for (let k = 0; k < 12; k++) {
      actions.push({ at: 1500 + k * 700, do: 'crash', node: 1 + (k % 3) });
      actions.push({ at: 1500 + k * 700 + 300, do: 'restart', node: 'lastCrashed' });
      actions.push({ at: 1500 + k * 700 + 10, do: 'propose', node: 'leader', data: `v${k}` });
    }
    const r = run(scenario({ nodes: 3, until: 12000, network: { latencyMs: [1, 40], dropRate: 0.05 }, config: { electionTimeoutMs: 300, heartbeatMs: 50 }, actions }));
    expect(r.summary.violations).toEqual([]);
    const lastState = new Map<number, { term: number; vote: number; last: readonly number[]; commit: number }>();
    let restarted = 0;
    for (let i = 0; i < r.events.length; i++) {
      const e = r.events[i]!;
      if (e.type === 'state') lastState.set(e.node, e);
      if (e.type === 'restart') {
        const next = r.events.slice(i + 1).find((x) => x.type === 'state' && x.node === e.node)!;
        const before = lastState.get(e.node)!;
        expect(next).toMatchObject({ term: before.term, vote: before.vote, last: before.last, commit: before.commit });
        restarted++;
      }
    }
    expect(restarted).toBeGreaterThan(5);
  });

  it('records wrong-state actions as no-ops with a reason', () => {
    const r = run(scenario({
      nodes: 3, until: 5000, actions: [
        { at: 100, do: 'propose', node: 'leader', data: 'early' },
        { at: 100, do: 'transfer', to: 2 },
        { at: 100, do: 'restart', node: 'lastCrashed' },
        { at: 200, do: 'crash', node: 3 },
        { at: 300, do: 'crash', node: 3 },
        { at: 300, do: 'timeout', node: 3 },
        { at: 300, do: 'propose', node: 3, data: 'x' },
        { at: 300, do: 'restart', node: 2 },
        { at: 4000, do: 'timeout', node: 'leader' },
        { at: 4000, do: 'transfer', to: 'leader' },
        { at: 4000, do: 'transfer', to: 3 },
      ],
    }));
    const noops = actionsOf(r.events).map((a) => [a.t, a.action.do, a.noop ?? false, a.reason ?? '']);
    expect(noops).toEqual([
      [100, 'propose', true, 'no leader'],
      [100, 'transfer', true, 'no leader'],
      [100, 'restart', true, 'no crashed node'],
      [200, 'crash', false, ''],
      [300, 'crash', true, 'node is already crashed'],
      [300, 'timeout', true, 'node is crashed'],
      [300, 'propose', true, 'node is crashed'],
      [300, 'restart', true, 'node is running'],
      [4000, 'timeout', true, 'node is the leader'],
      [4000, 'transfer', true, 'target is the leader'],
      [4000, 'transfer', true, 'target is crashed'],
    ]);
    // The resolved node is reported at the top level.
    const leaderTimeout = actionsOf(r.events).find((a) => a.t === 4000 && a.action.do === 'timeout')!;
    expect(leaderTimeout.node).toBe(r.summary.leaders.at(-1)!.node);
  });

  it('reports a proposal the core rejects as a no-op, and forwards one from a follower', () => {
    const r = run(scenario({
      nodes: 3, until: 4000, config: { disableProposalForwarding: true }, actions: [
        { at: 3000, do: 'propose', node: 'leader', data: 'to-leader' },
      ],
    }));
    const leader = r.summary.leaders[0]!.node;
    const follower = [1, 2, 3].find((n) => n !== leader)!;
    const r2 = run(scenario({
      nodes: 3, until: 4000, config: { disableProposalForwarding: true }, actions: [
        { at: 3000, do: 'propose', node: follower, data: 'to-follower' },
      ],
    }));
    expect(actionsOf(r.events)[0]).toMatchObject({ node: leader });
    expect(actionsOf(r.events)[0]!.noop).toBeUndefined();
    expect(actionsOf(r2.events)[0]).toMatchObject({ node: follower, noop: true, reason: 'rejected: forwardingDisabled' });
    const r3 = run(scenario({ nodes: 3, until: 4000, actions: [{ at: 3000, do: 'propose', node: follower, data: 'fwd' }] }));
    expect(r3.events.some((e) => e.type === 'send' && e.from === follower && e.msg.type === 'MsgProp')).toBe(true);
    expect(r3.events.filter((e) => e.type === 'apply' && e.data === 'fwd')).toHaveLength(3);
  });

  it('resolves lastCrashed to the down node whose crash came last', () => {
    const r = run(scenario({
      nodes: 5, until: 3000, actions: [
        { at: 2000, do: 'crash', node: 2 }, { at: 2100, do: 'crash', node: 4 }, { at: 2200, do: 'crash', node: 1 },
        { at: 2300, do: 'restart', node: 'lastCrashed' }, { at: 2400, do: 'restart', node: 'lastCrashed' },
      ],
    }));
    expect(actionsOf(r.events).filter((a) => a.action.do === 'restart').map((a) => a.node)).toEqual([1, 4]);
  });
});

describe('user actions (the UI path)', () => {
  it('submitAction validates, fills in `at` with the current time, and runs the action next', () => {
    const world = new World({ scenario: resolveScenario(scenario({ nodes: 3, until: 10000 })) });
    const host = new InlineHost();
    const seen: TraceEvent[] = [];
    world.subscribe((e) => isTraceEvent(e) && seen.push(e));
    world.runUntil(2500, host);
    world.submitAction({ do: 'crash', node: 'leader' });
    expect(() => world.submitAction({ do: 'crash', node: 4 })).toThrow(FieldError);
    expect(() => world.submitAction({ do: 'crash', node: 1, at: 100 })).toThrow(/before the current time/);
    world.runUntil(2600, host);
    const action = seen.find((e) => e.type === 'action') as ActionEvent;
    expect(action).toMatchObject({ t: 2500, action: { at: 2500, do: 'crash', node: 'leader' } });
    expect(seen[seen.indexOf(action) + 1]).toMatchObject({ t: 2500, type: 'crash', node: action.node });
  });
});

describe('the bus', () => {
  it('drops a message as partition when its link is cut at sending', () => {
    const r = run(scenario({ nodes: 3, until: 3000, actions: [{ at: 0, do: 'cut', from: 1, to: 2 }] }));
    const sends = r.events.filter((e) => e.type === 'send' && e.from === 1 && e.to === 2);
    expect(sends.length).toBeGreaterThan(0);
    for (const s of sends) {
      const next = r.events[r.events.indexOf(s) + 1]!;
      expect(next).toEqual({ t: s.t, type: 'drop', id: (s as { id: number }).id, reason: 'partition' });
    }
    // One direction only: 2 -> 1 still delivers.
    const back = r.events.filter((e) => e.type === 'send' && e.from === 2 && e.to === 1).map((e) => (e as { id: number }).id);
    expect(r.events.some((e) => e.type === 'deliver' && back.includes(e.id))).toBe(true);
  });

  it('drops a message as partition when its link is cut before it arrives', () => {
    const base = { nodes: 3, until: 3000, network: { latencyMs: [50, 50] } };
    const plain = run(scenario(base));
    const leader = plain.summary.leaders[0]!.node;
    // Isolate the leader 20 ms after one of its heartbeats left: that heartbeat is then in flight.
    const heartbeat = plain.events.find((e) => e.type === 'send' && e.from === leader && e.t > 2000)!;
    const at = heartbeat.t + 20;
    const r = run(scenario({ ...base, actions: [{ at, do: 'isolate', node: 'leader' }] }));
    const inFlight = r.events.filter((e) => e.type === 'send' && e.from === leader && e.t > at - 50 && e.t < at).map((e) => (e as { id: number }).id);
    expect(inFlight.length).toBeGreaterThan(0);
    for (const id of inFlight) {
      const fate = r.events.find((e) => (e.type === 'drop' || e.type === 'deliver') && e.id === id)!;
      expect(fate).toMatchObject({ type: 'drop', reason: 'partition' });
      expect(fate.t).toBeGreaterThan(at);
    }
  });

  it('partition cuts every link between groups (unlisted nodes form one more group); heal restores all', () => {
    const r = run(scenario({ nodes: 5, until: 20, actions: [{ at: 10, do: 'partition', groups: [[1, 2], [3]] }] }));
    const cut = r.world.network.cutLinks().map(([a, b]) => `${a}>${b}`);
    const groupOf = (n: number) => (n <= 2 ? 0 : n === 3 ? 1 : 2);
    const expected = [];
    for (let a = 1; a <= 5; a++) for (let b = 1; b <= 5; b++) if (a !== b && groupOf(a) !== groupOf(b)) expected.push(`${a}>${b}`);
    expect(cut).toEqual(expected);
    r.world.network.heal();
    expect(r.world.network.cutLinks()).toEqual([]);
  });

  it('loses messages as loss at the drop rate', () => {
    const r = run(scenario({ nodes: 3, until: 3000, network: { dropRate: 1 } }));
    const sends = r.events.filter((e) => e.type === 'send');
    expect(sends.length).toBeGreaterThan(0);
    expect(r.events.filter((e) => e.type === 'drop' && e.reason === 'loss')).toHaveLength(sends.length);
    expect(r.summary.leaders).toEqual([]);
  });

  it('delivers a duplicated message twice under the same id', () => {
    const r = run(scenario({ nodes: 3, until: 3000, network: { duplicateRate: 1 } }));
    const deliveries = new Map<number, number>();
    for (const e of r.events) if (e.type === 'deliver') deliveries.set(e.id, (deliveries.get(e.id) ?? 0) + 1);
    expect(deliveries.size).toBeGreaterThan(0);
    expect([...deliveries.values()].every((n) => n === 2)).toBe(true);
    expect(r.summary.violations).toEqual([]);
  });

  it('applies a network action to every link', () => {
    const r = run(scenario({ nodes: 3, until: 4000, actions: [{ at: 2000, do: 'network', latencyMs: [100, 100] }] }));
    const sendTime = new Map<number, number>();
    for (const e of r.events) {
      if (e.type === 'send') sendTime.set(e.id, e.t);
      if (e.type === 'deliver' && sendTime.get(e.id)! >= 2000) expect(e.t - sendTime.get(e.id)!).toBe(100);
      if (e.type === 'deliver' && sendTime.get(e.id)! < 1900) expect(e.t - sendTime.get(e.id)!).toBeLessThanOrEqual(30);
    }
  });
});

describe('determinism', () => {
  const s = scenario({
    nodes: 5, until: 15000, network: { latencyMs: [5, 60], dropRate: 0.1, duplicateRate: 0.05 },
    actions: [
      { at: 3000, do: 'crash', node: 'leader' }, { at: 3500, do: 'propose', node: 'leader', data: 'a' },
      { at: 6000, do: 'restart', node: 'lastCrashed' }, { at: 7000, do: 'partition', groups: [[1, 2]] },
      { at: 9000, do: 'heal' }, { at: 10000, do: 'transfer', to: 1 },
    ],
  });

  it('gives the same trace hash for the same scenario and seed, and a different one for another seed', () => {
    const a = run(s);
    const b = run(s);
    expect(a.summary.traceSha256).toBe(b.summary.traceSha256);
    expect(a.lines).toEqual(b.lines);
    const c = run({ ...s, seed: 2 });
    expect(c.summary.traceSha256).not.toBe(a.summary.traceSha256);
  });

  it('writes byte-identical traces when the nodes answer asynchronously (the Web Worker path)', async () => {
    const sync = run(s);
    const world = new World({ scenario: resolveScenario(s) });
    const lines: string[] = [];
    const writer = new TraceWriter((l) => lines.push(l));
    writer.header(world.header());
    world.subscribe((e) => isTraceEvent(e) && writer.event(e));
    await runUntilAsync(world, asAsyncHost(new InlineHost()), 15000);
    expect(writer.sha256()).toBe(sync.summary.traceSha256);
    expect(lines).toEqual(sync.lines);
  });

  it('writes the same trace whether the run goes in one call or in many small ones', () => {
    const whole = run(s);
    const world = new World({ scenario: resolveScenario(s) });
    const writer = new TraceWriter();
    writer.header(world.header());
    world.subscribe((e) => isTraceEvent(e) && writer.event(e));
    const host = new InlineHost();
    for (let t = 0; t <= 15000; t += 37) world.runUntil(t, host);
    world.runUntil(15000, host);
    expect(writer.sha256()).toBe(whole.summary.traceSha256);
  });
});
