/**
 * One simulated run as the driver plays it: the world, the host its nodes run on and the runner between them
 * (sim/runner.ts: the driver never asks which kind of host it has), the trace recorded so far and the reveal
 * buffer. Built afresh on every restart (seeking back re-simulates from the start), so everything here lives exactly
 * as long as one world; the driver (runDriver.ts) keeps what outlives it (the store, the user's actions, the jobs).
 */
import { runnerFor, type ResolvedScenario, type World, type WorldRunner } from '../sim/index.ts';
import type { Ingestor } from './ingest.ts';
import { RevealBuffer } from './revealBuffer.ts';
import type { RunHost } from './runHost.ts';
import { TraceRecorder } from './traceRecorder.ts';

export class RunSession {
  /** True once the world has no event left up to `until` (or a violation stopped it). */
  exhausted = false;
  /** True once the violation that stopped the world has been shown. */
  violationShown = false;
  readonly runner: WorldRunner;
  /** The trace of what was revealed so far (for download and the finished run's sha256). */
  readonly recorder: TraceRecorder;
  /** What the world emitted and the store has not been shown yet. */
  readonly reveals: RevealBuffer;

  constructor(readonly scenario: ResolvedScenario, readonly world: World, readonly host: RunHost, ingest: Ingestor, traceKeepBytes?: number) {
    // A node's host failed (its worker threw): the world records a crash; the UI shows the error with it.
    this.runner = runnerFor(host, (node, error) => this.reveals.recordFailure(node, error));
    this.recorder = new TraceRecorder(world.header(), traceKeepBytes);
    const reveals = new RevealBuffer(ingest, this.recorder);
    this.reveals = reveals;
    world.subscribe((ev) => { reveals.push(ev); });
  }

  /**
   * Performs host calls until every event with t <= until has run (returns true) or the deadline passed
   * (returns false). Sets `exhausted` when the run has nothing left at all. An async host runs lookahead
   * windows (runWindowAsync: nodes compute in parallel, the world merges in its own order).
   */
  async runWorld(until: number, deadline: number): Promise<boolean> {
    if (!(await this.runner.runUntil(this.world, until, () => performance.now() > deadline))) return false;
    if (until >= this.scenario.until || this.world.stopped) this.exhausted = true;
    return true;
  }

  /** Reveals one trace event and the explanations around it, running the world if none is buffered. */
  async stepOnce(): Promise<boolean> {
    while (!this.reveals.hasTraceEvent()) {
      if (this.exhausted) return false;
      // One host call (or one lookahead window); none left: the run is exhausted.
      if (!(await this.runner.advance(this.world, this.scenario.until))) this.exhausted = true;
    }
    this.reveals.revealStep();
    return true;
  }
}
