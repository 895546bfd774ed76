/**
 * Drives one run of the simulator World for the visualizer: loads a scenario, advances virtual time for the
 * playback loop, steps one trace event at a time, seeks backwards by deterministic re-simulation from the start
 * (same scenario + seed + actions = same events), adds the user's actions (forking when the user acts in the
 * past) and keeps the trace for download.
 *
 * Reveal buffer. The world runs one host call at a time and a call emits several events; the driver buffers
 * them and reveals them to the store one trace event at a time (a "step"), each with the explanations that
 * follow it. Only revealed events reach the trace recorder, so the downloaded trace is exactly what the UI shows
 * and, once the run finished, byte-identical to `npx flotilla sim` for the same scenario and seed.
 *
 * Operations are serialized (an async host answers later); `busy` tells the playback loop to skip a frame.
 *
 * Long jobs (a seek far ahead, run to end, a shared link's position) work in slices of JOB_SLICE_MS, yield to the
 * page between slices, publish their progress (run.progress) and stop at the next slice once cancelJobs() is
 * called: Pause, Escape and loading another run call it (docs/ui.md, "Long jobs").
 */
import type { NodeStatus } from '../raft/types.ts';
import { formatExplanation } from '../raft/index.ts';
import { performWork } from '../sim/index.ts';
import { runWindowAsync } from '../sim/index.ts';
import { parseAction, resolveScenario, type ResolvedScenario } from '../sim/index.ts';
import { World } from '../sim/index.ts';
import { namesClient } from '../sim/index.ts';
import type { ClientLayer } from '../etcd/index.ts';
import { isTraceEvent } from '../sim/index.ts';
import { MAX_SPEED_LOG10, setRun, type FlotillaStore } from './createFlotillaStore.ts';
import { TraceRecorder, type TraceDownload } from './traceRecorder.ts';
import { Ingestor } from './ingest.ts';
import type { HostFactory, RunHost } from './runHost.ts';
import type { RunSpec } from './runUrl.ts';
import { effectiveScenario, type ScenarioJson } from './scenarioSource.ts';
import type { ScenarioActionData, SimEvent } from './traceEvent.ts';
import type { RunProgress } from './state.ts';

/**
 * Wall-clock budget of simulation work per animation frame. An in-process host computes on the main thread, so
 * it gets about a third of a 16.7 ms frame and drawing keeps the rest. An async host (Web Workers) mostly waits for replies,
 * which does not block drawing, so it may keep working across a frame or two.
 */
export const FRAME_WORK_BUDGET_MS = 6;
export const ASYNC_FRAME_WORK_BUDGET_MS = 30;
/** Wall ms between two polls of the nodes' live status while playing. */
const STATUS_POLL_MS = 50;
/** Longest virtual step one frame may take at normal speeds (a slow frame must not jump seconds ahead). */
const MAX_FRAME_WALL_MS = 100;
/** Wall ms a long job works before it yields to the page (and shows its progress, and may be cancelled). */
export const JOB_SLICE_MS = 50;

export interface DriverOptions {
  /** Asks the user whether to fork (acting in the past discards the future). Resolves true to go on. */
  confirmFork(message: string): Promise<boolean>;
  /** Trace bytes kept for download (default TRACE_KEEP_BYTES); past it the page offers the CLI instead. */
  readonly traceKeepBytes?: number;
  /**
   * Loads the client layer, asked for only when a run names a client (default: `import()` of src/etcd/kvClients.ts,
   * so a Raft-only page never fetches the clients' and recipes' code).
   */
  readonly loadClientLayer?: () => Promise<ClientLayer>;
}

const importClientLayer = (): Promise<ClientLayer> => import('../etcd/kvClients.ts').then((m) => m.kvClients);

/** What a user action needs: the action without `at` (the driver stamps the current virtual time). */
export type UserAction = Omit<ScenarioActionData, 'at'> & { readonly do: string };

export class RunDriver {
  readonly ingest: Ingestor;
  private world: World | null = null;
  private host: RunHost | null = null;
  private scenario: ResolvedScenario | null = null;
  private base: ScenarioJson = {};
  private spec: RunSpec | null = null;
  private userActions: ScenarioActionData[] = [];
  private recorder: TraceRecorder | null = null;
  private buffer: SimEvent[] = [];
  private bufferHead = 0;
  /** True once the world has no event left up to `until` (or a violation stopped it). */
  private exhausted = false;
  /** Host failures not yet revealed (shown with the crash event the world wrote for them). */
  private readonly failures = new Map<number, string>();
  private queue: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private violationShown = false;
  private statusPolledAt = -Infinity;
  private statusPolledT = -Infinity;
  /** The client layer once loaded (kept for every later world of this page). */
  private clientLayer: ClientLayer | undefined;
  /** Bumped by cancelJobs(): a long job started under an older generation stops at its next slice. */
  private jobGeneration = 0;

  constructor(
    private readonly store: FlotillaStore,
    private readonly hostFactory: HostFactory,
    private readonly options: DriverOptions,
  ) {
    this.ingest = new Ingestor(store, formatExplanation);
  }

  /** True while an operation runs (the playback loop skips frames meanwhile). */
  get busy(): boolean {
    return this.pending > 0;
  }

  /**
   * Stops the long job running now and every one queued (a seek, run to end): each stops at the end of its
   * current slice, showing what it reached. Pause, Escape and loading another run call it.
   */
  cancelJobs(): void {
    this.jobGeneration++;
  }

  /** A token for a job run outside the driver (checking an imported trace): jobCancelled(token) once cancelJobs() ran. */
  currentJob(): number {
    return this.jobGeneration;
  }

  jobCancelled(job: number): boolean {
    return job !== this.jobGeneration;
  }

  /** The scenario the run plays, with the user's actions: what "Export scenario" writes. */
  scenarioJson(): ScenarioJson {
    const spec = this.spec;
    return spec ? effectiveScenario(this.base, spec.seed, spec.overrides, this.userActions) : {};
  }

  /** The run as a URL spec at the current position (for "Copy link"). */
  shareSpec(): RunSpec | null {
    return this.spec ? { ...this.spec, actions: this.userActions.slice(), position: this.ingest.events, runToEnd: false } : null;
  }

  get resolved(): ResolvedScenario | null {
    return this.scenario;
  }

  /** Loads a run: the base scenario JSON and the URL's description (seed, overrides, actions, host). */
  load(base: ScenarioJson, spec: RunSpec): Promise<void> {
    const job = this.jobGeneration;
    return this.serial(async () => {
      this.base = base;
      this.spec = { ...spec, actions: [], position: null, runToEnd: false };
      this.userActions = spec.actions.slice().sort((a, b) => a.at - b.at);
      await this.restart(true);
      if (spec.position !== null) await this.forwardTo(spec.position, job);
      await this.pollStatuses();
      await this.publish();
    });
  }

  /**
   * Loads the client layer ahead of need: the composition root calls it when the user opens the key-value views,
   * so a client created from there starts without waiting for the code. A run that names a client loads it anyway.
   */
  async prepareClientLayer(): Promise<void> {
    await this.loadClientLayer();
  }

  /** Advances the shown time by `wallMs` of wall clock at the current speed (the playback loop's tick). */
  frame(wallMs: number): Promise<void> {
    return this.serial(async () => {
      if (!this.world) return;
      const { speedLog10 } = this.store.getState().controls;
      const deadline = now() + (this.host?.mode === 'async' ? ASYNC_FRAME_WORK_BUDGET_MS : FRAME_WORK_BUDGET_MS);
      if (speedLog10 >= MAX_SPEED_LOG10) {
        await this.runWorld(this.scenario!.until, deadline);
        this.revealAll();
      } else {
        const target = Math.min(this.scenario!.until, this.shownTime() + Math.min(wallMs, MAX_FRAME_WALL_MS) * 10 ** speedLog10);
        if (await this.runWorld(target, deadline)) {
          this.revealUpTo(target);
          this.ingest.setNow(target);
        } else {
          // Out of budget: show what ran; virtual time slows down rather than the frame rate.
          this.revealAll();
        }
      }
      // Live status (timer arcs, lease, progress): at most 20 times a second, and only once a node clock could
      // have ticked since the last poll (at slow speeds that is far less often). Spares the workers.
      const tickMs = this.scenario!.config.tickMs;
      if (now() - this.statusPolledAt >= STATUS_POLL_MS && this.ingest.time - this.statusPolledT >= tickMs) await this.pollStatuses();
      await this.publish();
    });
  }

  /** Reveals the next trace event (one step). */
  step(): Promise<void> {
    return this.serial(async () => {
      await this.stepOnce();
      await this.pollStatuses();
      await this.publish();
    });
  }

  /** Goes back one trace event (re-simulates from the start to the event before). */
  stepBack(): Promise<void> {
    return this.seekEvent(Math.max(0, this.ingest.events - 1));
  }

  /** Moves the whole UI to the moment `index` trace events into the run. */
  seekEvent(index: number): Promise<void> {
    const job = this.jobGeneration;
    return this.serial(async () => {
      if (index < this.ingest.events) await this.restart(false);
      await this.forwardTo(index, job);
      await this.pollStatuses();
      await this.publish();
    });
  }

  /** Moves to virtual time `t`: every event with time <= t revealed. */
  seekTime(t: number): Promise<void> {
    const job = this.jobGeneration;
    return this.serial(async () => {
      if (t < this.shownTime()) await this.restart(false);
      const from = this.shownTime();
      let reached = true;
      while (!(await this.runWorld(t, now() + JOB_SLICE_MS))) {
        this.revealUpTo(t);
        if (this.jobCancelled(job)) { reached = false; break; }
        await this.showProgress({ label: 'Seeking', done: this.shownTime() - from, total: t - from, unit: 'ms' });
      }
      this.revealUpTo(t);
      if (reached) this.ingest.setNow(t);
      await this.pollStatuses();
      await this.publish();
    });
  }

  /** Runs every remaining event at full speed (yielding to the page now and then), then shows the end. */
  runToEnd(): Promise<void> {
    const job = this.jobGeneration;
    return this.serial(async () => {
      while (this.world && !this.exhausted && !this.jobCancelled(job)) {
        await this.runWorld(this.scenario!.until, now() + JOB_SLICE_MS);
        this.revealAll();
        if (this.exhausted) break;
        await this.showProgress({ label: 'Running to the end', done: this.shownTime(), total: this.scenario!.until, unit: 'ms' });
      }
      await this.pollStatuses();
      await this.publish();
    });
  }

  /**
   * Adds a user action at the current virtual time (`at` = the next millisecond, so it runs before anything
   * else of that millisecond, in the browser and in a replay alike). Acting in the past asks first, then forks:
   * the user's later actions are discarded. Returns false when the user declined or the run is over.
   */
  act(actions: readonly UserAction[]): Promise<boolean> {
    return this.serial(async () => {
      if (!this.world || !this.scenario) return false;
      const run = this.store.getState().run;
      const inPast = this.ingest.events < run.horizonEvents;
      // The world may have run a little ahead of what is shown (one host call, or one lookahead window of a
      // few ms); acting just after it lets the action be scheduled on the live world instead of re-simulating.
      const at = inPast ? Math.floor(this.shownTime()) + 1 : Math.max(Math.floor(this.shownTime()), Math.floor(this.world.now)) + 1;
      if (at > this.scenario.until) return false;
      if (inPast) {
        const ok = await this.options.confirmFork(
          `You are ${run.horizonEvents - this.ingest.events} events in the past. Acting here starts a new branch at t = ${at} ms: everything after this moment is discarded.`,
        );
        if (!ok) return false;
      }
      const full = actions.map((a) => ({ ...a, at }) as ScenarioActionData);
      // Validate them as the simulator would (names the bad field); throws before anything changes.
      const resolved = full.map((a, i) => parseAction(a, this.scenario!.nodes, `actions[${i}]`));
      const keep = inPast ? this.userActions.filter((a) => a.at <= at) : this.userActions;
      // And with the run's earlier actions: an action naming a client needs the `client` action that made it.
      const spec = this.spec!;
      resolveScenario(effectiveScenario(this.base, spec.seed, spec.overrides, [...keep, ...full]));
      this.userActions = [...keep, ...full];
      if (resolved.some(namesClient)) this.world.attachClientLayer(await this.loadClientLayer());
      const buffered = this.buffer.slice(this.bufferHead);
      const canSchedule = !inPast && this.world.now <= at && !buffered.some((e) => e.t >= at);
      if (canSchedule) {
        for (const r of resolved) this.world.scheduleAction(r);
      } else {
        const position = this.ingest.events;
        await this.restart(false);
        await this.forwardTo(position, null);
      }
      // Show the action at once, paused or not: advance to its millisecond (1 ms of virtual time).
      await this.runWorld(at, Infinity);
      this.revealUpTo(at);
      this.ingest.setNow(at);
      if (inPast) setRun(this.store, { horizonEvents: this.ingest.events, horizonT: this.shownTime() });
      setRun(this.store, { userActions: this.userActions.slice() });
      await this.pollStatuses();
      await this.publish();
      return true;
    }, true);
  }

  /**
   * The trace of the run so far (JSON Lines, header first) as a Blob built from parts, never one string; or, past
   * the keep bound, its size (the page then points to `npx flotilla sim --out`).
   */
  traceDownload(): Promise<TraceDownload> {
    // Not queued behind a long job: the recorder holds exactly the events revealed so far at any moment between
    // two slices, so Download during a day-long run to the end gives the trace up to where it got.
    return Promise.resolve(this.recorder ? this.recorder.download() : { kind: 'blob', blob: new Blob([]), bytes: 0 });
  }

  // ---- internals ----

  /**
   * Runs `op` after the operations before it. A failure ends the run (phase "error", shown to the user) unless
   * `recoverable`: a rejected user action leaves the run as it was.
   */
  private serial<T>(op: () => Promise<T>, recoverable = false): Promise<T> {
    this.pending++;
    const run = this.queue.then(op).finally(() => { this.pending--; });
    this.queue = run.catch(() => undefined);
    if (recoverable) return run;
    return run.catch((error: unknown) => {
      setRun(this.store, { phase: 'error', error: (error as Error).message, progress: null });
      throw error;
    });
  }

  private async loadClientLayer(): Promise<ClientLayer> {
    this.clientLayer ??= await (this.options.loadClientLayer ?? importClientLayer)();
    return this.clientLayer;
  }

  /** Virtual time the user sees. */
  private shownTime(): number {
    return this.ingest.time;
  }

  /** Builds a fresh world and host from the effective scenario. `newBranch` also forgets the horizon. */
  private async restart(newBranch: boolean): Promise<void> {
    this.host?.dispose();
    const spec = this.spec!;
    const json = effectiveScenario(this.base, spec.seed, spec.overrides, this.userActions);
    const scenario = resolveScenario(json);
    this.scenario = scenario;
    const clientLayer = scenario.actions.some(namesClient) ? await this.loadClientLayer() : undefined;
    const world = new World({ scenario, clientLayer });
    this.world = world;
    this.host = await this.hostFactory(scenario.nodes);
    this.buffer = [];
    this.bufferHead = 0;
    this.exhausted = false;
    this.failures.clear();
    this.violationShown = false;
    this.recorder = new TraceRecorder(world.header(), this.options.traceKeepBytes);
    world.subscribe((ev) => { this.buffer.push(ev); });
    const prev = this.store.getState().run;
    this.ingest.reset(scenario.nodes, {
      phase: 'running', error: null, scenarioName: scenario.name || spec.scenario, seed: scenario.seed,
      until: scenario.until, config: scenario.config, network: scenario.network, traceSha256: null, host: this.host.mode === 'sync' ? 'inline' : 'worker',
      userActions: this.userActions.slice(),
      horizonEvents: newBranch ? 0 : prev.horizonEvents, horizonT: newBranch ? 0 : prev.horizonT,
    });
  }

  /**
   * Performs host calls until every event with t <= until has run (returns true) or the deadline passed
   * (returns false). Sets `exhausted` when the run has nothing left at all. An async host runs lookahead
   * windows (runWindowAsync: nodes compute in parallel, the world merges in its own order).
   */
  private async runWorld(until: number, deadline: number): Promise<boolean> {
    const world = this.world!;
    const host = this.host!;
    if (host.mode === 'async') {
      while (await runWindowAsync(world, host.host, until, this.onNodeFailure)) {
        if (now() > deadline) return false;
      }
    } else {
      let count = 0;
      for (let work = world.nextNodeWork(until); work; work = world.nextNodeWork(until)) {
        world.completeNodeWork(performWork(host.host, work));
        if ((++count & 31) === 0 && now() > deadline) return false;
      }
    }
    if (until >= this.scenario!.until || world.stopped) this.exhausted = true;
    return true;
  }

  /** Runs the world by one host call (or one window), or marks the run exhausted. */
  private async advanceWorld(): Promise<void> {
    const world = this.world!;
    const host = this.host!;
    const until = this.scenario!.until;
    if (host.mode === 'async') {
      if (!(await runWindowAsync(world, host.host, until, this.onNodeFailure))) this.exhausted = true;
      return;
    }
    const work = world.nextNodeWork(until);
    if (work) world.completeNodeWork(performWork(host.host, work));
    else this.exhausted = true;
  }

  /** A node's host failed (its worker threw): the world records a crash; the UI shows the error with it. */
  private readonly onNodeFailure = (node: number, error: string): void => {
    this.failures.set(node, error);
  };

  /** Reveals one trace event and the explanations around it, running the world if none is buffered. */
  private async stepOnce(): Promise<boolean> {
    while (!this.hasBufferedTraceEvent()) {
      if (this.exhausted) return false;
      await this.advanceWorld();
    }
    let sawTrace = false;
    while (this.bufferHead < this.buffer.length) {
      const ev = this.buffer[this.bufferHead];
      if (isTraceEvent(ev)) {
        if (sawTrace) break;
        sawTrace = true;
      }
      this.reveal(ev);
    }
    this.compactBuffer();
    return true;
  }

  private hasBufferedTraceEvent(): boolean {
    for (let i = this.bufferHead; i < this.buffer.length; i++) if (isTraceEvent(this.buffer[i])) return true;
    return false;
  }

  /**
   * Reveals events up to the `index`th, yielding every JOB_SLICE_MS with its progress shown. Stops early when
   * the run ends or when job `job` is cancelled (null: this seek cannot be cancelled, it restores a position).
   */
  private async forwardTo(index: number, job: number | null): Promise<void> {
    const from = this.ingest.events;
    let sliceEnd = now() + JOB_SLICE_MS;
    let steps = 0;
    while (this.ingest.events < index) {
      if (!(await this.stepOnce())) break;
      if ((++steps & 63) !== 0 || now() < sliceEnd) continue;
      if (job !== null && this.jobCancelled(job)) break;
      await this.showProgress({ label: 'Seeking', done: this.ingest.events - from, total: index - from, unit: 'events' });
      sliceEnd = now() + JOB_SLICE_MS;
    }
  }

  /** Shows what the world reached and how far the job got, then lets the page draw and take input. */
  private async showProgress(progress: RunProgress): Promise<void> {
    this.ingest.flush({ progress });
    await yieldToPage();
  }

  private revealUpTo(t: number): void {
    while (this.bufferHead < this.buffer.length && this.buffer[this.bufferHead].t <= t) this.reveal(this.buffer[this.bufferHead]);
    this.compactBuffer();
  }

  private revealAll(): void {
    while (this.bufferHead < this.buffer.length) this.reveal(this.buffer[this.bufferHead]);
    this.compactBuffer();
  }

  private reveal(ev: SimEvent): void {
    this.bufferHead++;
    this.ingest.sim(ev);
    if (ev.type === 'crash' && this.failures.has(ev.node)) {
      this.ingest.nodeFailed(ev.node, this.failures.get(ev.node)!);
      this.failures.delete(ev.node);
    }
    if (isTraceEvent(ev)) this.recorder!.event(ev);
  }

  private compactBuffer(): void {
    if (this.bufferHead === this.buffer.length) {
      this.buffer = [];
      this.bufferHead = 0;
    } else if (this.bufferHead > 4096) {
      this.buffer = this.buffer.slice(this.bufferHead);
      this.bufferHead = 0;
    }
  }

  private async pollStatuses(): Promise<void> {
    this.statusPolledAt = now();
    this.statusPolledT = this.ingest.time;
    const world = this.world;
    const host = this.host;
    if (!world || !host || !this.scenario) return;
    const ids = Array.from({ length: this.scenario.nodes }, (_, i) => i + 1).filter((id) => world.isUp(id));
    let statuses: NodeStatus[];
    if (host.mode === 'sync') statuses = ids.map((id) => host.host.status(id));
    else {
      try {
        statuses = await Promise.all(ids.map((id) => host.host.status(id)));
      } catch {
        return;
      }
    }
    const c = this.scenario.config;
    this.ingest.statuses(statuses, c.electionTimeoutMs / c.tickMs);
  }

  /** Flushes the store and reports the end of the run with the trace's sha256. */
  private async publish(): Promise<void> {
    const world = this.world;
    const violation = world?.violation;
    if (violation && !this.violationShown && this.ingest.lastT >= violation.t) {
      this.violationShown = true;
      this.ingest.violation(violation.invariant, violation.t, violation.nodes, violation.message);
    }
    const finished = this.exhausted && this.bufferHead >= this.buffer.length;
    const run = this.store.getState().run;
    if (finished && run.phase !== 'finished') {
      if (!world?.stopped) this.ingest.setNow(this.scenario!.until);
      this.ingest.flush({ phase: 'finished', traceSha256: this.recorder!.sha256(), userActions: this.userActions.slice(), progress: null });
    } else {
      const patch: Partial<typeof run> = run.phase === 'finished' && !finished ? { phase: 'running', traceSha256: null } : {};
      this.ingest.flush(run.progress ? { ...patch, progress: null } : patch);
    }
  }
}

function now(): number {
  return performance.now();
}

function yieldToPage(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
