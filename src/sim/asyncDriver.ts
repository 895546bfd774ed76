/**
 * Lookahead windows for a World whose nodes answer asynchronously (one Web Worker per node): the next host call
 * and every step the world promises will follow it run at once, and the world takes their results one by one in
 * its own order, so the trace is exactly the one of the one-call-at-a-time path: only the wall-clock time
 * differs. The async runner (runner.ts) drives the world with it.
 */
import type { NodeId } from '../raft/types.ts';
import type { AsyncNodeHost, NodeHost, NodeWork, StepResult } from './host.ts';
import { performWork } from './host.ts';
import type { World } from './world.ts';

/** Wraps a synchronous host as an asynchronous one (tests use it to prove both paths write the same trace). */
export function asAsyncHost(host: NodeHost): AsyncNodeHost {
  return {
    create: async (node, init) => host.create(node, init),
    step: async (node, input) => host.step(node, input),
    crash: async (node) => host.crash(node),
    status: async (node) => host.status(node),
  };
}

/** One step of a lookahead window: a node and its input. */
export type WindowStep = Extract<NodeWork, { op: 'step' }>;

/** What became of one step: its result, or the error that killed the node's host (its worker threw). */
export type StepOutcome = { readonly ok: true; readonly result: StepResult } | { readonly ok: false; readonly error: string };

/**
 * An asynchronous host that can run many steps at once. Steps for the same node run in the given order; steps
 * for different nodes may run in parallel. A node whose host fails answers every later step of the window with
 * the same failure.
 */
export interface WindowedNodeHost extends AsyncNodeHost {
  stepWindow(steps: readonly WindowStep[]): Promise<StepOutcome[]>;
}

function isWindowed(host: AsyncNodeHost): host is WindowedNodeHost {
  return typeof (host as Partial<WindowedNodeHost>).stepWindow === 'function';
}

/** Called when a node's host fails; the world has already recorded it as a crash. */
export type NodeFailureListener = (node: NodeId, error: string) => void;

/**
 * Runs the next host call and, on a windowed host, every step the world promises will follow it
 * (World.upcomingSteps), all at once; then hands the results to the world in order, so the trace is the one
 * of the one-call-at-a-time path. A failed host call is a crash of that node (World.failPendingWork).
 * The whole window completes before this returns, so a driver may schedule actions between calls.
 * Returns false when every event up to `until` has run (or a violation stopped the run).
 */
export async function runWindowAsync(world: World, host: AsyncNodeHost, until: number, onFailure?: NodeFailureListener): Promise<boolean> {
  const first = world.nextNodeWork(until);
  if (!first) return false;
  const ahead = first.op === 'step' && isWindowed(host) ? world.upcomingSteps(until) : [];
  if (ahead.length === 0) {
    let outcome: StepOutcome | undefined;
    try {
      const result = await performWork(host, first);
      outcome = result && { ok: true, result };
    } catch (error) {
      outcome = { ok: false, error: errorText(error) };
    }
    settle(world, first, outcome, onFailure);
    return true;
  }
  const steps = [first as WindowStep, ...(ahead as WindowStep[])];
  const outcomes = await (host as WindowedNodeHost).stepWindow(steps);
  settle(world, first, outcomes[0], onFailure);
  for (let i = 1; i < steps.length; i++) {
    const expected = steps[i]!;
    // A node that failed earlier in this window is down now: the world drops its messages and skips its ticks.
    if (!world.isUp(expected.node)) continue;
    const work = world.nextNodeWork(until);
    if (!work) {
      if (world.stopped) return true;
      throw new Error(`runWindowAsync: the world ended before step ${i} of its lookahead (node ${expected.node})`);
    }
    if (!sameStep(work, expected)) {
      throw new Error(`runWindowAsync: the world diverged from its lookahead at step ${i}: expected ${describe(expected)}, got ${describe(work)}`);
    }
    settle(world, work, outcomes[i], onFailure);
  }
  return true;
}

function settle(world: World, work: NodeWork, outcome: StepOutcome | undefined, onFailure?: NodeFailureListener): void {
  if (outcome && !outcome.ok) {
    if (work.op === 'crash') {
      world.completeNodeWork(undefined);
      return;
    }
    world.failPendingWork(outcome.error);
    onFailure?.(work.node, outcome.error);
    return;
  }
  world.completeNodeWork(outcome?.result);
}

function sameStep(work: NodeWork, expected: WindowStep): boolean {
  if (work.op !== 'step' || work.node !== expected.node || work.input.kind !== expected.input.kind) return false;
  return work.input.kind !== 'message' || expected.input.kind !== 'message' || work.input.message === expected.input.message;
}

function describe(work: NodeWork): string {
  return work.op === 'step' ? `${work.input.kind} on node ${work.node}` : `${work.op} of node ${work.node}`;
}

/** The text of a thrown value (a worker's Error, an ErrorEvent's message, or anything else). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
