/**
 * Helpers for the simulator tests: run a scenario object and query its trace events. Every time bound is in
 * election timeouts (ET = the scenario's electionTimeoutMs), as testing.md's 6.5840 ports state them.
 */
import type { NodeId, Role } from '../../src/raft/types.ts';
import { runScenario, type RunSummary } from '../../src/sim/run.ts';
import { resolveScenario } from '../../src/sim/scenario.ts';
import type { SimEvent, StateEvent, TraceEvent } from '../../src/sim/traceEvents.ts';
import { isTraceEvent } from '../../src/sim/traceEvents.ts';
import type { World } from '../../src/sim/world.ts';

export interface Run {
  readonly summary: RunSummary;
  readonly events: readonly TraceEvent[];
  /** Listener-only events too (explanations, reads). */
  readonly all: readonly SimEvent[];
  readonly lines: readonly string[];
  readonly world: World;
  /** The scenario's base election timeout in ms. */
  readonly et: number;
}

/** Validates and runs a scenario object in-process, keeping every event and line. */
export function run(scenario: Record<string, unknown>): Run {
  const resolved = resolveScenario(scenario);
  const all: SimEvent[] = [];
  const lines: string[] = [];
  const { summary, world } = runScenario(resolved, { listener: (e) => all.push(e), onLine: (l) => lines.push(l) });
  return { summary, events: all.filter(isTraceEvent), all, lines, world, et: resolved.config.electionTimeoutMs };
}

export function states(r: Run): StateEvent[] {
  return r.events.filter((e): e is StateEvent => e.type === 'state');
}

/** Each node's last state event with t <= at (crash events make it 'down'). */
export function rolesAt(r: Run, at: number): Map<NodeId, Role | 'down'> {
  const roles = new Map<NodeId, Role | 'down'>();
  for (const e of r.events) {
    if (e.t > at) break;
    if (e.type === 'state') roles.set(e.node, e.role);
    else if (e.type === 'crash') roles.set(e.node, 'down');
  }
  return roles;
}

/** The live leaders at time `at`, from the trace. */
export function leadersAt(r: Run, at: number): NodeId[] {
  return [...rolesAt(r, at)].filter(([, role]) => role === 'leader').map(([node]) => node);
}

/** The live node that believes it leads with the highest term at `at` (the scenario's "leader"), or 0. */
export function currentLeader(r: Run, at: number): NodeId {
  const latest = new Map<NodeId, StateEvent | 'down'>();
  for (const e of r.events) {
    if (e.t > at) break;
    if (e.type === 'state') latest.set(e.node, e);
    else if (e.type === 'crash') latest.set(e.node, 'down');
  }
  let best: StateEvent | undefined;
  for (const s of latest.values()) if (s !== 'down' && s.role === 'leader' && (!best || s.term > best.term)) best = s;
  return best?.node ?? 0;
}

/** The first time in [from, to] at which some node became leader, or undefined. */
export function firstLeaderBetween(r: Run, from: number, to: number, among?: readonly NodeId[]): StateEvent | undefined {
  return states(r).find((e) => e.t >= from && e.t <= to && e.role === 'leader' && (!among || among.includes(e.node)));
}

/** The data each node applied, in order (a restart starts the node's list again, as applying starts again). */
export function appliedData(r: Run): Map<NodeId, (string | null)[]> {
  const out = new Map<NodeId, (string | null)[]>();
  for (const e of r.events) {
    if (e.type === 'restart') out.set(e.node, []);
    if (e.type === 'apply') {
      if (!out.has(e.node)) out.set(e.node, []);
      out.get(e.node)!.push(e.data);
    }
  }
  return out;
}

/** Whether any node applied `data`. */
export function applied(r: Run, data: string, before = Infinity): boolean {
  return r.events.some((e) => e.type === 'apply' && e.data === data && e.t <= before);
}

/** The final state of every node (its last state event). */
export function finalStates(r: Run): Map<NodeId, StateEvent> {
  const out = new Map<NodeId, StateEvent>();
  for (const e of states(r)) out.set(e.node, e);
  return out;
}

/** Asserts-friendly: the run converged (one leader; every node at its term, log and commit). Returns why not. */
export function converged(r: Run): string | undefined {
  const final = [...finalStates(r).values()];
  const leaders = final.filter((s) => s.role === 'leader');
  if (leaders.length !== 1) return `${leaders.length} leaders at the end`;
  const l = leaders[0]!;
  for (const s of final) {
    if (s.term !== l.term || s.leader !== l.node) return `node ${s.node} follows ${s.leader} in term ${s.term}`;
    if (s.last[0] !== l.last[0] || s.last[1] !== l.last[1]) return `node ${s.node} last ${s.last} vs leader ${l.last}`;
    if (s.commit !== l.last[0]) return `node ${s.node} commit ${s.commit} of ${l.last[0]}`;
  }
  return undefined;
}

/** A scenario with the given fields over sensible test defaults (ET 1000 ms, heartbeat 100 ms, 10–30 ms latency). */
export function scenario(fields: Record<string, unknown>): Record<string, unknown> {
  return { name: 'test', seed: 1, ...fields };
}
