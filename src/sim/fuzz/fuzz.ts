/**
 * One fuzz run (`flotilla fuzz`, the fuzz tests, the benchmark): a safety phase in which a nemesis injects the
 * seed's faults and a client proposes steadily, with the invariant checker on every event; then a liveness
 * phase (every link healed, loss and duplication off, every crashed node restarted, no more faults) in which,
 * within LEADER_BOUND_ET election timeouts, one leader must emerge that every live node follows, and within
 * CONVERGENCE_BOUND_ET every live node must hold the leader's log, all of it committed.
 *
 * Every fault and proposal is a scenario action scheduled on the world, so the run's trace records them and
 * `replayScenario` rebuilds a scenario file that `flotilla sim` replays to the very same trace.
 */
import type { UnsafeName } from '../../raft/types.ts';
import type { NodeHost } from '../host.ts';
import { SyncRunner } from '../runner.ts';
import { InlineHost } from '../inlineHost.ts';
import type { Prng } from '../prng.ts';
import type { SimConfig } from '../scenario.ts';
import { parseAction } from '../scenario.ts';
import { drawSwarmOptions, type SwarmOptions } from './swarm.ts';
import type { SimListener } from '../traceEvents.ts';
import { ClientWorkload, drawClientWorkload, type ClientWorkloadOptions } from './clientWorkload.ts';
import { drawRecipeWorkload, RecipeWorkload, type RecipeWorkloadOptions } from './recipeWorkload.ts';
import { World, type ViolationReport } from '../world.ts';
import { ReactiveNemesis } from './reactiveNemesis.ts';
import { Nemesis } from './nemesis.ts';
import { backlog, catchUpAllowanceMs, convergence, CONVERGENCE_BOUND_ET, electable, leadership, LEADER_BOUND_ET } from './liveness.ts';
import { kvClients } from '../../etcd/kvClients.ts';

/** What one seed drew and did (the `drawn` summary of `flotilla fuzz` counts these over the seeds). */
export interface SeedDrawn {
  readonly readOnly: SimConfig['readOnly'];
  /** `kv`: key-value clients only; `kv+recipes`: recipe clients too; `none`: clients off. */
  readonly clients: 'none' | 'kv' | 'kv+recipes';
  /** Faults scheduled in the safety phase, by kind (timer-driven kinds of swarm.ts and reactive kinds). */
  readonly faults: Readonly<Record<string, number>>;
}

export interface FuzzRunOptions {
  /** Trace events in the safety phase. */
  readonly events: number;
  readonly nodes?: number;
  readonly unsafe?: readonly UnsafeName[];
  /** Receives every event (for writing the trace of a failing seed). */
  readonly listener?: SimListener;
  /** Skip the liveness phase (benchmarks measure the safety phase only). */
  readonly safetyOnly?: boolean;
  /** The nodes' host (default: a fresh InlineHost). */
  readonly host?: NodeHost;
  /** Drive key-value clients too, and check their histories (default true). */
  readonly clients?: boolean;
  /** With clients: let half the seeds also run recipes (docs/recipes.md) and check them (default true). */
  readonly recipes?: boolean;
}

export interface FuzzResult {
  readonly seed: number;
  readonly options: SwarmOptions;
  /** Trace events in the whole run. */
  readonly events: number;
  /** Host calls (ticks, deliveries, action steps) in the whole run. */
  readonly steps: number;
  readonly violation?: ViolationReport;
  /** Why the liveness phase failed (the cluster, or a client operation in the healthy stretch), if it did. */
  readonly livenessFailure?: string;
  /** What the seed drew and the faults it scheduled. */
  readonly drawn: SeedDrawn;
  /** An exception thrown during the run (a crash of the core or of the simulator), with the virtual time. */
  readonly error?: string;
  /** Virtual ms the liveness phase took to converge. */
  readonly convergedAfterMs?: number;
  /** Virtual time at the end of the run. */
  readonly endMs: number;
  /** Every action the run scheduled, as written, in order. */
  readonly actions: readonly Record<string, unknown>[];
  /** What the seed drew for its clients (absent when clients were off). */
  readonly clients?: ClientWorkloadOptions;
  /** Client operations checked for linearizability. */
  readonly clientOperations?: number;
  /** Why the client side failed: a history not linearizable (or undecided), a revision gone back, a broken watch stream. */
  readonly clientFailure?: string;
  /** What the seed drew for its recipe clients (absent when it ran none). */
  readonly recipes?: RecipeWorkloadOptions;
  /** Cron runs and refused runs recorded, and windows in which two recipe clients both believed they led. */
  readonly recipeRuns?: number;
  readonly recipeRefused?: number;
  readonly leadershipOverlaps?: number;
  readonly ok: boolean;
}

/** Runs one seed. An exception thrown by a node or by the world ends the run as a failure (`error`). */
export function runFuzzSeed(seed: number, run: FuzzRunOptions): FuzzResult {
  const fuzz = new FuzzRun(seed, run);
  try {
    fuzz.safetyPhase();
    if (fuzz.world.stopped || run.safetyOnly) return fuzz.result(fuzz.checkClients());
    return fuzz.result({ ...fuzz.livenessPhase(), ...fuzz.checkClients() });
  } catch (error) {
    return fuzz.result({ error: `${(error as Error).message} (at t=${fuzz.world.now} ms)` });
  }
}

/** Actions that break something (a restore, restart, resume or heal only mends). */
const FAULT_ACTIONS = new Set(['crash', 'isolate', 'partition', 'cut', 'pause', 'network', 'timeout', 'transfer', 'killClient']);

/** The state of one fuzz run: the world, its host, and the actions scheduled so far. */
class FuzzRun {
  readonly options: SwarmOptions;
  readonly world: World;
  private readonly prng: Prng;
  private readonly host: NodeHost;
  private readonly actions: Record<string, unknown>[] = [];
  private steps = 0;
  private readonly clients: ClientWorkload | undefined;
  private readonly recipes: RecipeWorkload | undefined;
  private readonly reactive: ReactiveNemesis;
  /** The latest `at` of a fault action scheduled (FAULT_ACTIONS). */
  private latestFaultMs = 0;
  /** Timer-driven faults scheduled, by kind. */
  private readonly timedFaults: Record<string, number> = {};

  constructor(private readonly seed: number, private readonly run: FuzzRunOptions) {
    const { options, prng } = drawSwarmOptions(seed, { nodes: run.nodes, unsafe: run.unsafe });
    this.options = options;
    this.prng = prng;
    this.world = new World({
      scenario: {
        name: `fuzz seed ${seed}`, description: '', nodes: options.nodes, seed: options.worldSeed,
        until: Number.MAX_SAFE_INTEGER, config: options.config, network: options.network, actions: [],
      },
      clientLayer: kvClients,
    });
    if (run.listener) this.world.subscribe(run.listener);
    this.host = run.host ?? new InlineHost();
    this.reactive = new ReactiveNemesis(seed, this.world, options, (written) => this.schedule(written));
    if (run.clients !== false) {
      const { options: clientOptions, prng: clientPrng } = drawClientWorkload(seed, options.config);
      this.clients = new ClientWorkload(this.world, clientOptions, clientPrng, (written) => this.schedule(written));
      const recipes = run.recipes === false ? undefined : drawRecipeWorkload(seed, options.config);
      if (recipes) this.recipes = new RecipeWorkload(this.world, recipes.options, recipes.prng, (written) => this.schedule(written));
    }
  }

  /** The client side's verdict (nothing when clients were off or a Raft invariant already failed). */
  checkClients(): Partial<FuzzResult> {
    const clients = this.clients;
    if (!clients || this.world.stopped) return {};
    const verdict = clients.check();
    const recipes = this.recipes?.check();
    const failure = verdict.failure ?? (recipes?.failure !== undefined ? `recipes: ${recipes.failure}` : undefined);
    return {
      clients: clients.options, clientOperations: verdict.operations, ...(failure ? { clientFailure: failure } : {}),
      ...(recipes ? {
        recipes: this.recipes!.options, recipeRuns: recipes.runs, recipeRefused: recipes.refused, leadershipOverlaps: recipes.leadershipOverlaps,
      } : {}),
    };
  }

  result(extra: Partial<FuzzResult>): FuzzResult {
    const w = this.world;
    const faults: Record<string, number> = { ...this.timedFaults };
    for (const [kind, count] of Object.entries(this.reactive.counts)) if (count > 0) faults[kind] = count;
    const drawn: SeedDrawn = {
      readOnly: this.options.config.readOnly, clients: !this.clients ? 'none' : this.recipes ? 'kv+recipes' : 'kv', faults,
    };
    return {
      seed: this.seed, options: this.options, events: w.eventCount, steps: this.steps, endMs: w.now, actions: this.actions, drawn,
      violation: w.violation, ...extra, ok: !w.violation && !extra.livenessFailure && !extra.error && !extra.clientFailure,
    };
  }

  /** Faults and a steady client load until `run.events` trace events, the checker on every event. */
  safetyPhase(): void {
    const { options, prng, world } = this;
    const nemesis = new Nemesis(world, prng, options, (written) => this.schedule(written), () => this.clients?.liveClients() ?? []);
    let nextFaultMs = prng.intBetween(options.faultIntervalMs[0], options.faultIntervalMs[1]);
    let nextProposalMs = options.proposalIntervalMs;
    let proposals = 0;
    const clients = this.clients;
    clients?.start(1);
    const recipes = this.recipes;
    recipes?.start(1);
    while (world.eventCount < this.run.events && !world.stopped) {
      const at = Math.min(nextFaultMs, nextProposalMs, clients?.nextActionMs ?? Infinity, recipes?.nextActionMs ?? Infinity);
      this.advance(at - 1);
      if (world.eventCount >= this.run.events || world.stopped) break;
      if (clients && at === clients.nextActionMs) clients.act(at);
      if (recipes && at === recipes.nextActionMs) recipes.act(at);
      if (at === nextFaultMs) {
        const before = this.actions.length;
        const kind = nemesis.strike(at);
        // Counted when it did schedule something (a restart with no node down schedules nothing).
        if (kind !== undefined && this.actions.length > before) this.timedFaults[kind] = (this.timedFaults[kind] ?? 0) + 1;
        nextFaultMs = at + prng.intBetween(options.faultIntervalMs[0], options.faultIntervalMs[1]);
      }
      if (at === nextProposalMs) {
        const node = prng.int(5) === 0 ? prng.intBetween(1, options.nodes) : 'leader';
        this.schedule({ at, do: 'propose', node, data: `v${++proposals}` });
        nextProposalMs = at + options.proposalIntervalMs;
      }
    }
  }

  /**
   * Heal everything, stop losing and duplicating, restart every crashed node, no more faults: then converge, within
   * bounds that grow with the backlog (catchUpAllowanceMs). Then the clients' healthy stretch: every live client
   * reads, then writes and reads, each operation ok within CLIENT_OP_BOUND_ET election timeouts.
   */
  livenessPhase(): Partial<FuzzResult> {
    const { options, world } = this;
    this.reactive.stop();
    // Faults already scheduled for later (a swizzle's next clogs, a reactive isolation in a new leader's first
    // round trip) run first: the phase begins after the last of them, so nothing strikes once it has begun.
    const startMs = Math.max(world.now + 1, this.latestFaultMs + 1);
    this.advance(startMs - 1);
    if (world.stopped) return {};
    this.schedule({ at: startMs, do: 'heal' });
    this.schedule({ at: startMs, do: 'network', dropRate: 0, duplicateRate: 0 });
    for (let node = 1; node <= options.nodes; node++) {
      if (!world.isUp(node)) this.schedule({ at: startMs, do: 'restart', node });
      else if (world.isPaused(node)) this.schedule({ at: startMs, do: 'resume', node });
    }
    for (const client of this.clients?.liveClients() ?? []) {
      if (world.isClientPaused(client)) this.schedule({ at: startMs, do: 'resume', client });
    }
    const et = options.config.electionTimeoutMs;
    const leaderDeadlineMs = startMs + LEADER_BOUND_ET * et * Math.ceil(options.nodes / electable(world));
    const allowanceMs = catchUpAllowanceMs(backlog(world), options.config, world.network.settings.latencyMs[1]);
    const deadlineMs = startMs + CONVERGENCE_BOUND_ET * et + allowanceMs;
    let leaderFound = false;
    let convergedAfterMs: number | undefined;
    for (let t = startMs; t <= deadlineMs && !world.stopped; t += options.config.heartbeatMs) {
      this.advance(t);
      leaderFound ||= leadership(world) === undefined;
      if (!leaderFound && t >= leaderDeadlineMs) {
        return {
          livenessFailure: `no single leader ${(leaderDeadlineMs - startMs) / et} election timeouts (${leaderDeadlineMs - startMs} ms) after the liveness phase began at ${startMs} ms: ${leadership(world)}`,
        };
      }
      if (convergence(world) === undefined) {
        convergedAfterMs = t - startMs;
        break;
      }
    }
    if (world.stopped) return {};
    if (convergedAfterMs === undefined) {
      return {
        livenessFailure: `not converged ${CONVERGENCE_BOUND_ET} election timeouts + ${allowanceMs} ms for the backlog (${deadlineMs - startMs} ms) after the liveness phase began at ${startMs} ms: ${convergence(world)}`,
      };
    }
    const clientFailure = this.clientLiveness();
    return { convergedAfterMs, ...(clientFailure !== undefined ? { livenessFailure: `clients: ${clientFailure}` } : {}) };
  }

  /** The healthy stretch of the clients (ClientWorkload.beginHealthyStretch): a round of reads, then of writes and reads. */
  private clientLiveness(): string | undefined {
    const clients = this.clients;
    if (!clients) return undefined;
    const world = this.world;
    const stepMs = this.options.config.heartbeatMs;
    clients.beginHealthyStretch(world.now + 1);
    for (const round of ['get', 'put', 'done'] as const) {
      for (let t = world.now + stepMs; !world.stopped; t += stepMs) {
        this.advance(t);
        const failure = clients.livenessVerdict(world.now);
        if (failure !== undefined) return failure;
        if (clients.settled) break;
      }
      if (world.stopped) return undefined;
      if (round === 'get') clients.probe(world.now + 1, 'put');
    }
    return undefined;
  }

  private advance(until: number): void {
    const runner = new SyncRunner(this.host);
    runner.runUntil(this.world, until);
    this.steps += runner.calls;
  }

  private schedule(written: Record<string, unknown>): void {
    if (FAULT_ACTIONS.has(written.do as string)) this.latestFaultMs = Math.max(this.latestFaultMs, written.at as number);
    this.actions.push(written);
    this.world.scheduleAction(parseAction(written, this.options.nodes, `fuzz action ${this.actions.length}`));
  }
}
