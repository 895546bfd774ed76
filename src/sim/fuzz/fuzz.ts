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
import type { NodeId, UnsafeName } from '../../raft/types.ts';
import type { NodeHost } from '../host.ts';
import { SyncRunner } from '../runner.ts';
import { InlineHost } from '../inlineHost.ts';
import type { Prng } from '../prng.ts';
import type { SimConfig } from '../scenario.ts';
import { parseAction } from '../scenario.ts';
import { drawRate, drawSwarmOptions, type FaultWeights, type SwarmOptions } from './swarm.ts';
import type { SimListener } from '../traceEvents.ts';
import { ClientWorkload, drawClientWorkload, type ClientWorkloadOptions } from './clientWorkload.ts';
import { drawRecipeWorkload, RecipeWorkload, type RecipeWorkloadOptions } from './recipeWorkload.ts';
import { World, type ViolationReport } from '../world.ts';
import { ReactiveNemesis } from './reactiveNemesis.ts';
import { kvClients } from '../../etcd/index.ts';

/** In the liveness phase, one leader that every live node follows must emerge within this many election timeouts… */
export const LEADER_BOUND_ET = 10;
/** …and every live node must hold the leader's whole log, committed, within this many (testing.md §6.B). */
export const CONVERGENCE_BOUND_ET = 50;

/**
 * The convergence bound grows with the backlog a lagging node must fetch when the liveness phase begins: a slow
 * catch-up is not a stuck one. A leader keeps at most maxInflight appends of maxEntriesPerMsg entries in flight
 * to a follower and sends more as acks come back, so `backlog` entries take ceil(backlog / (maxInflight ×
 * maxEntriesPerMsg)) round trips (2 × the one-way latency ceiling, plus a tick for the follower's step). The
 * bound allows twice that on top of CONVERGENCE_BOUND_ET election timeouts.
 */
export function catchUpAllowanceMs(backlog: number, config: SimConfig, latencyMaxMs: number): number {
  const rounds = Math.ceil(backlog / (config.maxInflight * config.maxEntriesPerMsg));
  return 2 * rounds * (2 * latencyMaxMs + config.tickMs);
}

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

/**
 * Nodes that can win an election: those whose log is at least as up to date as a majority's (Raft §5.4.1). The
 * others still time out and, without PreVote, raise the term and cut short the electable ones' campaigns, so a
 * leader takes longer to emerge the fewer the electable nodes are: the leader bound is LEADER_BOUND_ET election
 * timeouts times ceil(N / electable), measured when the liveness phase begins.
 */
export function electable(world: World): number {
  const n = world.nodeCount;
  let count = 0;
  for (let a = 1; a <= n; a++) {
    const va = world.view(a);
    let below = 0;
    for (let b = 1; b <= n; b++) {
      const vb = world.view(b);
      if (vb.lastTerm < va.lastTerm || (vb.lastTerm === va.lastTerm && vb.lastIndex <= va.lastIndex)) below++;
    }
    if (below > n / 2) count++;
  }
  return Math.max(1, count);
}

/** Entries a lagging node may have to fetch: the longest log's last index minus the lowest commit index. */
export function backlog(world: World): number {
  let last = 0;
  let commit = Infinity;
  for (let node = 1; node <= world.nodeCount; node++) {
    const v = world.view(node);
    last = Math.max(last, v.lastIndex);
    commit = Math.min(commit, v.commit);
  }
  return Math.max(0, last - commit);
}

/** undefined when exactly one live node leads and every live node follows it in its term; else why not. */
export function leadership(world: World): string | undefined {
  let leader: NodeId = 0;
  for (let node = 1; node <= world.nodeCount; node++) {
    if (world.isUp(node) && world.view(node).role === 'leader') {
      if (leader !== 0) return `two live leaders (${leader} and ${node})`;
      leader = node;
    }
  }
  if (leader === 0) return 'no leader';
  const l = world.view(leader);
  for (let node = 1; node <= world.nodeCount; node++) {
    if (!world.isUp(node)) continue;
    const v = world.view(node);
    if (v.term !== l.term || v.leader !== leader) return `node ${node} follows ${v.leader} in term ${v.term}, not ${leader} in term ${l.term}`;
  }
  return undefined;
}

/** undefined when there is one leader and every node is up and holds the leader's log, all committed; else why not. */
export function convergence(world: World): string | undefined {
  const why = leadership(world);
  if (why !== undefined) return why;
  let leader: NodeId = 0;
  for (let node = 1; node <= world.nodeCount; node++) if (world.isUp(node) && world.view(node).role === 'leader') leader = node;
  const l = world.view(leader);
  for (let node = 1; node <= world.nodeCount; node++) {
    if (!world.isUp(node)) return `node ${node} is down`;
    const v = world.view(node);
    if (v.lastIndex !== l.lastIndex || v.lastTerm !== l.lastTerm) return `node ${node} has last [${v.lastIndex}, ${v.lastTerm}], the leader [${l.lastIndex}, ${l.lastTerm}]`;
    if (v.commit !== l.lastIndex) return `node ${node} has commit ${v.commit} of ${l.lastIndex}`;
  }
  return undefined;
}

/** Picks and schedules faults, drawing from the fuzz PRNG (never from the world's). */
class Nemesis {
  private readonly kinds: (keyof FaultWeights)[];
  private readonly totalWeight: number;

  constructor(
    private readonly world: World,
    private readonly prng: Prng,
    private readonly options: SwarmOptions,
    private readonly schedule: (written: Record<string, unknown>) => void,
    /** The live key-value clients (for client pauses). */
    private readonly clientNames: () => readonly string[],
  ) {
    this.kinds = Object.keys(options.faults) as (keyof FaultWeights)[];
    this.totalWeight = this.kinds.reduce((sum, k) => sum + options.faults[k], 0);
  }

  /** Draws and schedules one fault at `at`; returns its kind (undefined when every weight is 0). */
  strike(at: number): keyof FaultWeights | undefined {
    if (this.totalWeight === 0) return undefined;
    let roll = this.prng.int(this.totalWeight);
    let kind = this.kinds[0]!;
    for (const k of this.kinds) {
      roll -= this.options.faults[k];
      if (roll < 0) {
        kind = k;
        break;
      }
    }
    const n = this.options.nodes;
    const all = Array.from({ length: n }, (_, i) => i + 1);
    const up = all.filter((node) => this.world.isUp(node));
    const down = all.filter((node) => !this.world.isUp(node));
    const p = this.prng;
    switch (kind) {
      case 'crash':
        if (up.length > 0) this.schedule({ at, do: 'crash', node: p.pick(up) });
        break;
      case 'crashLeader':
        this.schedule({ at, do: 'crash', node: 'leader' });
        break;
      case 'restart':
        if (down.length > 0) this.schedule({ at, do: 'restart', node: p.pick(down) });
        break;
      case 'partition': {
        if (n < 2) break; // one node cannot be split
        const order = p.shuffled(all);
        const cut1 = p.intBetween(1, n - 1);
        const groups = [order.slice(0, cut1), order.slice(cut1)];
        if (groups[1]!.length > 1 && p.int(2) === 0) {
          const cut2 = p.intBetween(1, groups[1]!.length - 1);
          groups.splice(1, 1, groups[1]!.slice(0, cut2), groups[1]!.slice(cut2));
        }
        // Sometimes leave the last group unlisted: "nodes not listed form one more group".
        if (p.int(2) === 0) groups.pop();
        this.schedule({ at, do: 'partition', groups });
        break;
      }
      case 'isolate':
        this.schedule({ at, do: 'isolate', node: p.intBetween(1, n) });
        break;
      case 'cutOneWay': {
        const [from, to] = p.shuffled(all);
        if (to !== undefined) this.schedule({ at, do: 'cut', from, to });
        break;
      }
      case 'restoreOneWay': {
        const cut = this.world.network.cutLinks();
        if (cut.length > 0) {
          const [from, to] = p.pick(cut);
          this.schedule({ at, do: 'restore', from, to });
        }
        break;
      }
      case 'swizzle':
        this.swizzle(at, all);
        break;
      case 'heal':
        this.schedule({ at, do: 'heal' });
        break;
      case 'network':
        this.schedule({
          at, do: 'network', dropRate: drawRate(p, this.options.maxDropRate), duplicateRate: drawRate(p, this.options.maxDuplicateRate),
        });
        break;
      case 'timeout':
        if (up.length > 0) this.schedule({ at, do: 'timeout', node: p.pick(up) });
        break;
      case 'transfer':
        this.schedule({ at, do: 'transfer', to: p.intBetween(1, n) });
        break;
      case 'pause': {
        // Half the time the leader: it resumes still believing it leads (docs/scenarios.md, "Process pauses").
        const running = up.filter((node) => !this.world.isPaused(node));
        const leader = this.world.resolveNode('leader');
        const node = leader !== 0 && !this.world.isPaused(leader) && p.int(2) === 0 ? leader : running.length > 0 ? p.pick(running) : 0;
        if (node === 0) break;
        this.schedule({ at, do: 'pause', node });
        this.schedule({ at: at + p.intBetween(this.options.pauseMs[0], this.options.pauseMs[1]), do: 'resume', node });
        break;
      }
      case 'pauseClient': {
        const clients = this.clientNames().filter((c) => !this.world.isClientPaused(c));
        if (clients.length === 0) break;
        const client = p.pick(clients);
        this.schedule({ at, do: 'pause', client });
        this.schedule({ at: at + p.intBetween(this.options.pauseMs[0], this.options.pauseMs[1]), do: 'resume', client });
        break;
      }
    }
    return kind;
  }

  /** Clogs a random subset of nodes one by one, then unclogs them in another random order (FoundationDB). */
  private swizzle(at: number, all: NodeId[]): void {
    const p = this.prng;
    const clogged = p.shuffled(all).slice(0, p.intBetween(1, Math.max(1, all.length - 1)));
    const stepMs = Math.max(1, Math.floor(this.options.config.electionTimeoutMs / 4));
    let t = at;
    for (const node of clogged) {
      this.schedule({ at: t, do: 'isolate', node });
      t += stepMs;
    }
    for (const node of p.shuffled(clogged)) {
      for (const other of all) {
        if (other === node) continue;
        this.schedule({ at: t, do: 'restore', from: node, to: other });
        this.schedule({ at: t, do: 'restore', from: other, to: node });
      }
      t += stepMs;
    }
  }
}
