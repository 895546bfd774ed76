/**
 * Recipe histories for the fuzzer (`flotilla fuzz`): next to the key-value clients, a seed may draw 2–4 recipe
 * clients, each with a role: election candidate, lock user, registered instance (with one discovering client),
 * or cron candidate (every cron candidate runs the same job from the same `at`). While the nemesis strikes,
 * they are now and then cut off from a node, healed, killed, made to resign and campaign again, to unlock and
 * lock again, or to register again. Every one of these is a scenario action, so a failing seed replays.
 *
 * After the run, checks.ts judges the trace: a cron period run twice or a fenced record accepted for a deposed
 * leader fails the seed; the windows in which two clients believed they led are counted and reported.
 */
import { minLeaseTtlMsFor } from '../../kv/index.ts';
import { Prng } from '../prng.ts';
import type { SimConfig } from '../scenario.ts';
import type { SimEvent } from '../traceEvents.ts';
import type { World } from '../world.ts';
import { checkRecipes } from '../../etcd/index.ts';

export type RecipeRole = 'election' | 'mutex' | 'registry' | 'cron';
const ROLES: readonly RecipeRole[] = ['election', 'mutex', 'registry', 'cron'];

/** What one seed drew for its recipe clients. */
export interface RecipeWorkloadOptions {
  /** One role per recipe client (r1, r2, ...). */
  readonly roles: readonly RecipeRole[];
  /** Session TTL of every recipe (a few election timeouts). */
  readonly ttlMs: number;
  readonly cronEveryMs: number;
  /** Virtual ms between two perturbations, drawn in this range each time. */
  readonly actionIntervalMs: readonly [number, number];
}

/** The verdict on a run's recipes. */
export interface RecipeCheckResult {
  readonly runs: number;
  readonly refused: number;
  /** Windows in which two clients believed they led the same thing (reported, not a failure). */
  readonly leadershipOverlaps: number;
  readonly failure?: string;
}

/** Where the fuzz recipes live in the key space (apart from the key-value clients' k0..k9). */
export const FUZZ_ELECTION = '/fz/election';
export const FUZZ_MUTEX = '/fz/lock';
export const FUZZ_SERVICE = '/fz/svc/';
export const FUZZ_JOB = 'fz';

/**
 * Draws a seed's recipe workload from its own PRNG (the other draws stay as they were), or nothing: half the
 * seeds run without recipes, so the key-value clients are also fuzzed alone.
 */
export function drawRecipeWorkload(seed: number, config: SimConfig): { options: RecipeWorkloadOptions; prng: Prng } | undefined {
  const prng = new Prng((Math.imul(seed, 0x85ebca6b) ^ 0x72637065) >>> 0);
  if (prng.int(2) === 0) return undefined;
  const et = config.electionTimeoutMs;
  const clients = prng.intBetween(2, 4);
  const roles: RecipeRole[] = [];
  // Contenders come at least in pairs, so there is something to hand over.
  const main = prng.pick(ROLES);
  for (let i = 0; i < clients; i++) roles.push(i < 2 ? main : prng.pick(ROLES));
  const low = prng.intBetween(et, 3 * et);
  return {
    options: {
      roles,
      ttlMs: minLeaseTtlMsFor(et) + prng.intBetween(0, 2 * et),
      cronEveryMs: prng.intBetween(et / 2, 2 * et),
      actionIntervalMs: [low, low + prng.intBetween(0, 3 * et)],
    },
    prng,
  };
}

/** The recipe clients of one fuzz run: created by start(), perturbed by act(), judged by check(). */
export class RecipeWorkload {
  private readonly names: string[] = [];
  private readonly events: object[] = [];
  private registrations = 0;
  nextActionMs = Infinity;

  constructor(
    private readonly world: World,
    readonly options: RecipeWorkloadOptions,
    private readonly prng: Prng,
    private readonly schedule: (written: Record<string, unknown>) => void,
  ) {
    world.subscribe((event: SimEvent) => {
      const type = event.type;
      if (type === 'recipe' || type === 'apply' || type === 'action') this.events.push(event);
    });
  }

  /** Creates the recipe clients at `at` and starts each one's role. */
  start(at: number): void {
    const p = this.prng;
    const o = this.options;
    o.roles.forEach((role, i) => {
      const client = `r${i + 1}`;
      this.names.push(client);
      this.schedule({ at, do: 'client', client, via: p.int(2) === 0 ? 'any' : p.intBetween(1, this.world.nodeCount) });
      this.begin(client, role, at);
    });
    if (o.roles.includes('registry')) {
      this.schedule({ at, do: 'client', client: 'rd', via: 'any' });
      this.schedule({ at, do: 'discover', client: 'rd', service: FUZZ_SERVICE });
    }
    this.nextActionMs = at + this.drawInterval();
  }

  /** One perturbation of a live recipe client at `at`. */
  act(at: number): void {
    this.nextActionMs = at + this.drawInterval();
    const hub = this.world.clientHub;
    const live = this.names.filter((name) => hub.get(name)?.killed === false);
    if (live.length === 0) return;
    const p = this.prng;
    const client = p.pick(live);
    const role = this.options.roles[Number(client.slice(1)) - 1]!;
    const roll = p.int(100);
    if (roll < 35) {
      const node = p.intBetween(1, this.world.nodeCount);
      const cut = p.int(3) !== 0;
      this.schedule({ at, do: cut ? 'cut' : 'restore', from: client, to: node });
      this.schedule({ at, do: cut ? 'cut' : 'restore', from: node, to: client });
    } else if (roll < 90) {
      this.again(client, role, at);
    } else if (live.length > 1) {
      this.schedule({ at, do: 'killClient', client });
    }
  }

  /** Judges the trace so far (checks.ts). */
  check(): RecipeCheckResult {
    const report = checkRecipes(this.events);
    const count = (event: string): number => this.events.filter((e) => (e as { type?: string; event?: string }).type === 'recipe'
      && (e as { event?: string }).event === event).length;
    let failure: string | undefined;
    const double = report.cronDoubleRuns[0];
    const fence = report.fenceViolations[0];
    if (double) failure = `cron job ${double.job} ran period ${double.period} twice (${double.runs.map((r) => `${r.client} at ${r.t} ms`).join(', ')})`;
    else if (fence) failure = `cron job ${fence.job}, period ${fence.period}, ${fence.client} at ${fence.t} ms: ${fence.problem}`;
    return { runs: count('run'), refused: count('refused'), leadershipOverlaps: report.leadershipOverlaps.length, ...(failure ? { failure } : {}) };
  }

  private begin(client: string, role: RecipeRole, at: number): void {
    const ttlMs = this.options.ttlMs;
    switch (role) {
      case 'election':
        this.schedule({ at, do: 'campaign', client, election: FUZZ_ELECTION, value: client, ttlMs });
        break;
      case 'mutex':
        this.schedule({ at, do: 'lock', client, mutex: FUZZ_MUTEX, ttlMs });
        break;
      case 'registry':
        this.schedule({ at, do: 'register', client, service: FUZZ_SERVICE, instance: client, addr: `${client}:${++this.registrations}`, ttlMs });
        break;
      case 'cron':
        // Every candidate starts in start(), at the same `at`: period k is one window for all of them.
        this.schedule({ at, do: 'cron', client, job: FUZZ_JOB, everyMs: this.options.cronEveryMs, ttlMs });
        break;
    }
  }

  /** The role's "let go and take it again" (a cron candidate campaigns again by itself: it is left alone). */
  private again(client: string, role: RecipeRole, at: number): void {
    switch (role) {
      case 'election':
        this.schedule({ at, do: 'resign', client, election: FUZZ_ELECTION });
        this.schedule({ at, do: 'campaign', client, election: FUZZ_ELECTION, value: client, ttlMs: this.options.ttlMs });
        break;
      case 'mutex':
        this.schedule({ at, do: 'unlock', client, mutex: FUZZ_MUTEX });
        this.schedule({ at, do: 'lock', client, mutex: FUZZ_MUTEX, ttlMs: this.options.ttlMs });
        break;
      case 'registry':
        this.begin(client, role, at);
        break;
      case 'cron':
        break;
    }
  }

  private drawInterval(): number {
    return this.prng.intBetween(this.options.actionIntervalMs[0], this.options.actionIntervalMs[1]);
  }
}
