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
import { formatExplanation } from '../raft/index.ts';
import { parseAction, resolveScenario, type ResolvedScenario } from '../sim/index.ts';
import { World } from '../sim/index.ts';
import { namesClient } from '../sim/index.ts';
import type { ClientLayer } from '../etcd/index.ts';
import { MAX_SPEED_LOG10, setRun, type FlotillaStore } from './createFlotillaStore.ts';
import type { TraceDownload } from './traceRecorder.ts';
import { Ingestor } from './ingest.ts';
import { JobQueue } from './jobQueue.ts';
import { RunSession } from './runSession.ts';
import { StatusPoller } from './statusPoller.ts';
import type { HostFactory } from './runHost.ts';
import type { RunSpec } from './runUrl.ts';
import { effectiveScenario, type ScenarioJson } from './scenarioSource.ts';
import type { ScenarioActionData } from './traceEvent.ts';
import type { RunProgress } from './state.ts';

/**
 * Wall-clock budget of simulation work per animation frame. An in-process host computes on the main thread, so
 * it gets about a third of a 16.7 ms frame and drawing keeps the rest. An async host (Web Workers) mostly waits for replies,
 * which does not block drawing, so it may keep working across a frame or two.
 */
export const FRAME_WORK_BUDGET_MS = 6;
export const ASYNC_FRAME_WORK_BUDGET_MS = 30;
/** Per kind of host: its work budget per frame, and the name the page shows for it. */
const HOST_MODES = {
  sync: { frameBudgetMs: FRAME_WORK_BUDGET_MS, label: 'inline' },
  async: { frameBudgetMs: ASYNC_FRAME_WORK_BUDGET_MS, label: 'worker' },
} as const;
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
  /** The run being played (world, host, trace, reveal buffer); rebuilt on every restart. */
  private session: RunSession | null = null;
  private base: ScenarioJson = {};
  private spec: RunSpec | null = null;
  private userActions: ScenarioActionData[] = [];
  private readonly jobs: JobQueue;
  private readonly statusPoller: StatusPoller;
  /** The client layer once loaded (kept for every later world of this page). */
  private clientLayer: ClientLayer | undefined;

  constructor(
    private readonly store: FlotillaStore,
    private readonly hostFactory: HostFactory,
    private readonly options: DriverOptions,
  ) {
    this.ingest = new Ingestor(store, formatExplanation);
    this.jobs = new JobQueue(store);
    this.statusPoller = new StatusPoller(this.ingest);
  }

  /** True while an operation runs (the playback loop skips frames meanwhile). */
  get busy(): boolean {
    return this.jobs.busy;
  }

  /**
   * Stops the long job running now and every one queued (a seek, run to end): each stops at the end of its
   * current slice, showing what it reached. Pause, Escape and loading another run call it.
   */
  cancelJobs(): void {
    this.jobs.cancel();
  }

  /** A token for a job run outside the driver (checking an imported trace): jobCancelled(token) once cancelJobs() ran. */
  currentJob(): number {
    return this.jobs.current();
  }

  jobCancelled(job: number): boolean {
    return this.jobs.cancelled(job);
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
    return this.session?.scenario ?? null;
  }

  /** Loads a run: the base scenario JSON and the URL's description (seed, overrides, actions, host). */
  load(base: ScenarioJson, spec: RunSpec): Promise<void> {
    const job = this.jobs.current();
    return this.jobs.serial(async () => {
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
    return this.jobs.serial(async () => {
      const session = this.session;
      if (!session) return;
      const { speedLog10 } = this.store.getState().controls;
      const deadline = now() + HOST_MODES[session.host.mode].frameBudgetMs;
      const until = session.scenario.until;
      if (speedLog10 >= MAX_SPEED_LOG10) {
        await session.runWorld(until, deadline);
        session.reveals.revealAll();
      } else {
        const target = Math.min(until, this.shownTime() + Math.min(wallMs, MAX_FRAME_WALL_MS) * 10 ** speedLog10);
        if (await session.runWorld(target, deadline)) {
          session.reveals.revealUpTo(target);
          this.ingest.setNow(target);
        } else {
          // Out of budget: show what ran; virtual time slows down rather than the frame rate.
          session.reveals.revealAll();
        }
      }
      if (this.statusPoller.due(session.scenario.config.tickMs)) await this.pollStatuses();
      await this.publish();
    });
  }

  /** Reveals the next trace event (one step). */
  step(): Promise<void> {
    return this.jobs.serial(async () => {
      await this.session!.stepOnce();
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
    const job = this.jobs.current();
    return this.jobs.serial(async () => {
      if (index < this.ingest.events) await this.restart(false);
      await this.forwardTo(index, job);
      await this.pollStatuses();
      await this.publish();
    });
  }

  /** Moves to virtual time `t`: every event with time <= t revealed. */
  seekTime(t: number): Promise<void> {
    const job = this.jobs.current();
    return this.jobs.serial(async () => {
      if (t < this.shownTime()) await this.restart(false);
      const from = this.shownTime();
      let reached = true;
      while (!(await this.session!.runWorld(t, now() + JOB_SLICE_MS))) {
        this.session!.reveals.revealUpTo(t);
        if (this.jobCancelled(job)) { reached = false; break; }
        await this.showProgress({ label: 'Seeking', done: this.shownTime() - from, total: t - from, unit: 'ms' });
      }
      this.session!.reveals.revealUpTo(t);
      if (reached) this.ingest.setNow(t);
      await this.pollStatuses();
      await this.publish();
    });
  }

  /** Runs every remaining event at full speed (yielding to the page now and then), then shows the end. */
  runToEnd(): Promise<void> {
    const job = this.jobs.current();
    return this.jobs.serial(async () => {
      for (let session = this.session; session && !session.exhausted && !this.jobCancelled(job);) {
        await session.runWorld(session.scenario.until, now() + JOB_SLICE_MS);
        session.reveals.revealAll();
        if (session.exhausted) break;
        await this.showProgress({ label: 'Running to the end', done: this.shownTime(), total: session.scenario.until, unit: 'ms' });
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
    return this.jobs.serial(async () => {
      const session = this.session;
      if (!session) return false;
      const { world, scenario } = session;
      const run = this.store.getState().run;
      const inPast = this.ingest.events < run.horizonEvents;
      // The world may have run a little ahead of what is shown (one host call, or one lookahead window of a
      // few ms); acting just after it lets the action be scheduled on the live world instead of re-simulating.
      const at = inPast ? Math.floor(this.shownTime()) + 1 : Math.max(Math.floor(this.shownTime()), Math.floor(world.now)) + 1;
      if (at > scenario.until) return false;
      if (inPast) {
        const ok = await this.options.confirmFork(
          `You are ${run.horizonEvents - this.ingest.events} events in the past. Acting here starts a new branch at t = ${at} ms: everything after this moment is discarded.`,
        );
        if (!ok) return false;
      }
      const full = actions.map((a) => ({ ...a, at }) as ScenarioActionData);
      // Validate them as the simulator would (names the bad field); throws before anything changes.
      const resolved = full.map((a, i) => parseAction(a, scenario.nodes, `actions[${i}]`));
      const keep = inPast ? this.userActions.filter((a) => a.at <= at) : this.userActions;
      // And with the run's earlier actions: an action naming a client needs the `client` action that made it.
      const spec = this.spec!;
      resolveScenario(effectiveScenario(this.base, spec.seed, spec.overrides, [...keep, ...full]));
      this.userActions = [...keep, ...full];
      if (resolved.some(namesClient)) world.attachClientLayer(await this.loadClientLayer());
      const canSchedule = !inPast && world.now <= at && !session.reveals.holdsEventFrom(at);
      if (canSchedule) {
        for (const r of resolved) world.scheduleAction(r);
      } else {
        const position = this.ingest.events;
        await this.restart(false);
        await this.forwardTo(position, null);
      }
      // Show the action at once, paused or not: advance to its millisecond (1 ms of virtual time).
      await this.session!.runWorld(at, Infinity);
      this.session!.reveals.revealUpTo(at);
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
    return Promise.resolve(this.session ? this.session.recorder.download() : { kind: 'blob', blob: new Blob([]), bytes: 0 });
  }

  // ---- internals ----

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
    this.session?.host.dispose();
    const spec = this.spec!;
    const json = effectiveScenario(this.base, spec.seed, spec.overrides, this.userActions);
    const scenario = resolveScenario(json);
    const clientLayer = scenario.actions.some(namesClient) ? await this.loadClientLayer() : undefined;
    const world = new World({ scenario, clientLayer });
    const host = await this.hostFactory(scenario.nodes);
    this.session = new RunSession(scenario, world, host, this.ingest, this.options.traceKeepBytes);
    const prev = this.store.getState().run;
    this.ingest.reset(scenario.nodes, {
      phase: 'running', error: null, scenarioName: scenario.name || spec.scenario, seed: scenario.seed,
      until: scenario.until, config: scenario.config, network: scenario.network, traceSha256: null, host: HOST_MODES[host.mode].label,
      userActions: this.userActions.slice(),
      horizonEvents: newBranch ? 0 : prev.horizonEvents, horizonT: newBranch ? 0 : prev.horizonT,
    });
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
      if (!(await this.session!.stepOnce())) break;
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

  /** Live status of the running nodes (statusPoller.ts). */
  private pollStatuses(): Promise<void> {
    return this.statusPoller.poll(this.session);
  }

  /** Flushes the store and reports the end of the run with the trace's sha256. */
  private async publish(): Promise<void> {
    const session = this.session;
    const violation = session?.world.violation;
    if (session && violation && !session.violationShown && this.ingest.lastT >= violation.t) {
      session.violationShown = true;
      this.ingest.violation(violation.invariant, violation.t, violation.nodes, violation.message);
    }
    const finished = session !== null && session.exhausted && session.reveals.empty;
    const run = this.store.getState().run;
    if (session && finished && run.phase !== 'finished') {
      if (!session.world.stopped) this.ingest.setNow(session.scenario.until);
      this.ingest.flush({ phase: 'finished', traceSha256: session.recorder.sha256(), userActions: this.userActions.slice(), progress: null });
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
