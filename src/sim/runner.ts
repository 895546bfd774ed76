/**
 * The one pull loop that drives a World: ask it for its next host call (World.nextNodeWork), perform the call on
 * the host, hand the result back (World.completeNodeWork), again. A synchronous host (InlineHost: the CLI, the
 * tests, the fuzzer, the page's in-process mode) and an asynchronous one (a Web Worker per node) run the same loop
 * through the same interface, so a caller (the page's driver, the trace check, the fuzzer) does not branch on which
 * host it has: it holds a WorldRunner. Both implementations ask the world in the same order and so write the same
 * trace; only wall-clock time differs.
 */
import type { AsyncNodeHost, NodeHost } from './host.ts';
import { performWork } from './host.ts';
import { runWindowAsync, type NodeFailureListener } from './asyncDriver.ts';
import type { World } from './world.ts';

/** Between two host calls: true to stop and hand control back to the caller (a spent time budget, a found answer). */
export type PauseCheck = () => boolean;

/** Drives a world through one host; `Answer` is `boolean` for a synchronous host, `Promise<boolean>` for an asynchronous one. */
export interface WorldRunner<Answer extends boolean | Promise<boolean> = boolean | Promise<boolean>> {
  /** Which kind of host answers: in this thread at once, or later (Web Workers). */
  readonly mode: 'sync' | 'async';
  /**
   * Performs the next host call (on a windowed async host, the next lookahead window). False when there was none:
   * every event with t <= until has run (the world's clock then reads `until`) or a violation stopped the run.
   */
  advance(world: World, until: number): Answer;
  /**
   * Advances until every event with t <= until has run (true), or until `pause` says to stop (false). `pause` is
   * asked after every 32nd call of a synchronous runner (a call takes microseconds: reading a clock after each would
   * cost a measurable share) and after every call or window of an asynchronous one.
   */
  runUntil(world: World, until: number, pause?: PauseCheck): Answer;
}

/** The synchronous runner: every call in this thread, at once. */
export class SyncRunner implements WorldRunner<boolean> {
  readonly mode = 'sync';
  /** Host calls performed so far (ticks, deliveries, action steps): the fuzzer reports it. */
  calls = 0;

  constructor(readonly host: NodeHost) {}

  advance(world: World, until: number): boolean {
    const work = world.nextNodeWork(until);
    if (!work) return false;
    this.calls++;
    world.completeNodeWork(performWork(this.host, work));
    return true;
  }

  runUntil(world: World, until: number, pause?: PauseCheck): boolean {
    let count = 0;
    while (this.advance(world, until)) {
      if (pause && (++count & 31) === 0 && pause()) return false;
    }
    return true;
  }
}

export interface AsyncRunnerOptions {
  /**
   * Run lookahead windows on a host that can (WindowedNodeHost, the default true): a host failure is then a crash
   * of its node (World.failPendingWork) reported to `onFailure`. False: one call at a time, a failure thrown to the
   * caller (the reference path the tests and benchmarks compare windows with).
   */
  readonly lookahead?: boolean;
  readonly onFailure?: NodeFailureListener;
}

/** The asynchronous runner: each call (or window) awaited before the world is asked again. */
export class AsyncRunner implements WorldRunner<Promise<boolean>> {
  readonly mode = 'async';

  constructor(readonly host: AsyncNodeHost, private readonly options: AsyncRunnerOptions = {}) {}

  async advance(world: World, until: number): Promise<boolean> {
    if (this.options.lookahead !== false) return runWindowAsync(world, this.host, until, this.options.onFailure);
    const work = world.nextNodeWork(until);
    if (!work) return false;
    world.completeNodeWork(await performWork(this.host, work));
    return true;
  }

  async runUntil(world: World, until: number, pause?: PauseCheck): Promise<boolean> {
    while (await this.advance(world, until)) {
      if (pause?.()) return false;
    }
    return true;
  }
}

/** A host as the page's composition root hands it over: which kind it is, and the host. */
export type ModalHost = { readonly mode: 'sync'; readonly host: NodeHost } | { readonly mode: 'async'; readonly host: AsyncNodeHost };

/** The runner for a host of either kind (`onFailure`: see AsyncRunnerOptions). */
export function runnerFor(host: ModalHost, onFailure?: NodeFailureListener): WorldRunner {
  return host.mode === 'sync' ? new SyncRunner(host.host) : new AsyncRunner(host.host, { onFailure });
}

/** Runs every event with t <= until, awaiting each host call in turn (stops early on a violation). */
export async function runUntilAsync(world: World, host: AsyncNodeHost, until: number): Promise<void> {
  await new AsyncRunner(host, { lookahead: false }).runUntil(world, until);
}
