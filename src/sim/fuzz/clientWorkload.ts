/**
 * The fuzzer's clients (`flotilla fuzz`): each seed draws 1–8 clients over 1–10 keys, attached to nodes or to
 * "any", some requiring a leader, some with a watch; they get, put, delete, compare-and-swap, grant short leases
 * (kept alive or left to expire), put under them and revoke them, and now and then a client's link is cut or a
 * client dies. Every action is a scenario action, so a failing seed replays from its scenario file.
 *
 * After the run, the client history must be linearizable (src/check; an undecided search counts as a failure),
 * the revisions each client saw must never go back, and every watch stream must be in order with no gap and no
 * duplicate (watchCheck.ts).
 */
import { checkTraceHistory } from '../../check/index.ts';
import { minLeaseTtlMsFor } from '../../kv/index.ts';
import { Prng } from '../prng.ts';
import type { SimConfig } from '../scenario.ts';
import type { SimEvent } from '../traceEvents.ts';
import type { World } from '../world.ts';
import { checkWatchStreams } from '../../etcd/index.ts';

/** The linearizability search's step budget per run (4 × the default: fuzz histories have many unknown outcomes). */
export const CHECK_MAX_STEPS = 20_000_000;

/**
 * Writes of a key (or of the keys a lease links it with) whose outcome may end unknown before the clients stop
 * writing it, and leases that may end
 * unknown (a revoke not yet answered or answered info, or an expiry whose revoke time is unknown) before they
 * stop granting. The search must try every unknown write at every later point, so its cost grows exponentially
 * with them (Lowe 2017, §5); a bounded number keeps every history decidable while a seed still sees them.
 *
 * A write counts from the moment it is scheduled, not only once it ended info: a write's outcome is known only
 * when it is answered, or after the client's timeout (5 s and more), and while the cluster has no leader every
 * write in that window ends info. Counting only the answered ones let a seed pile up 34 unknown writes on three
 * keys in one leaderless stretch (a history the search could not decide in 20 M steps).
 */
export const MAX_UNKNOWN_PER_KEY = 6;
export const MAX_UNKNOWN_LEASES = 6;

/**
 * Client liveness (docs/scenarios.md, "Fuzzing"): once the cluster is healthy (every node up and connected, one
 * leader, logs converged, no fault since), every get, put, delete or txn a client invokes must end ok within this
 * many election timeouts of its invoke. A healthy request needs a few one-way latencies (each below ET/5) plus,
 * for a read, a heartbeat round and the apply of the read index; a client resends an unanswered attempt after
 * retryMs = ET. Three election timeouts allow two lost attempts' worth of slack and still fail a request that
 * waits for something that will not happen (a read waiting for a write nobody makes).
 */
export const CLIENT_OP_BOUND_ET = 3;

/** What one seed drew for its clients. */
export interface ClientWorkloadOptions {
  readonly clients: number;
  readonly keys: number;
  /** Virtual ms between two client actions, drawn in this range each time. */
  readonly actionIntervalMs: readonly [number, number];
  /** Lease TTLs are drawn in this range (short: a few election timeouts). */
  readonly leaseTtlMs: readonly [number, number];
}

/** Draws a seed's client workload from its own PRNG (the fault and network draws stay as they were). */
export function drawClientWorkload(seed: number, config: SimConfig): { options: ClientWorkloadOptions; prng: Prng } {
  const prng = new Prng((Math.imul(seed, 0x9e3779b1) ^ 0x636c6e74) >>> 0);
  const et = config.electionTimeoutMs;
  const low = prng.intBetween(config.tickMs, et);
  const minTtlMs = minLeaseTtlMsFor(et);
  return {
    options: {
      clients: prng.intBetween(1, 8),
      keys: prng.intBetween(1, 10),
      actionIntervalMs: [low, low + prng.intBetween(0, 2 * et)],
      leaseTtlMs: [minTtlMs, minTtlMs + prng.intBetween(0, 3 * et)],
    },
    prng,
  };
}

/** The verdict on a run's client side. */
export interface ClientCheckResult {
  readonly operations: number;
  readonly watchEvents: number;
  /** Why the client side failed, if it did. */
  readonly failure?: string;
}

export class ClientWorkload {
  private readonly names: string[] = [];
  private readonly leases = new Map<string, string[]>();
  private readonly lastValue = new Map<string, string>();
  private nextLease = 0;
  private nextValue = 0;
  /**
   * Per group of keys linked by leases (a lease's revoke or expiry deletes all its keys at once, so the checker
   * searches them together), writes not answered yet or answered info, by the group's representative (`group`);
   * and lease ends not answered or of unknown time.
   */
  private readonly unknownWrites = new Map<string, number>();
  /** Union-find links: a key or `lease L` to another member of its group. */
  private readonly linkedTo = new Map<string, string>();
  private unknownLeases = 0;
  /** Keys and leases of the operations in flight, by `client#id`. */
  private readonly opKeys = new Map<string, string>();
  /** Client liveness: from this time on, ops invoked must end ok within the bound (Infinity: not yet healthy). */
  private healthyFromMs = Infinity;
  private boundMs = 0;
  /** Tracked ops of the healthy stretch by `client#id`: invoke time; and the first failure found. */
  private readonly healthyOps = new Map<string, number>();
  private livenessFailure: string | undefined;
  /** Ops still running when the stretch began, by `client#id`: they must end (any outcome) by `settleByMs`. */
  private readonly openAtHealthy = new Set<string>();
  private readonly openOps = new Map<string, string>();
  private settleByMs = Infinity;
  /** Events the checks read: client, watch, lease and apply events. */
  private readonly events: object[] = [];
  nextActionMs: number;

  constructor(
    private readonly world: World,
    readonly options: ClientWorkloadOptions,
    private readonly prng: Prng,
    private readonly schedule: (written: Record<string, unknown>) => void,
  ) {
    this.nextActionMs = 0;
    world.subscribe((event: SimEvent) => {
      const type = event.type;
      if (type === 'client' || type === 'watch' || type === 'lease' || type === 'apply') this.events.push(event);
      // Only this workload's clients: the recipe clients' operations are neither counted nor bounded here.
      if (event.type === 'client' && this.names.includes(event.client)) {
        this.countUnknown(event.client, event.id, event.phase, event.phase === 'invoke' ? event.op : undefined);
        this.trackLiveness(event.t, `${event.client}#${event.id}`, event.phase, event.phase === 'invoke' ? event.op : undefined,
          event.phase === 'fail' || event.phase === 'info' ? event.error : undefined);
      } else if (event.type === 'lease' && event.event === 'expired') this.unknownLeases++;
    });
  }

  /** Creates the clients at `at`, some with a watch on every key. */
  start(at: number): void {
    const p = this.prng;
    const nodes = this.world.nodeCount;
    for (let i = 1; i <= this.options.clients; i++) {
      const client = `c${i}`;
      this.names.push(client);
      // Half roam ("any"), a third require a leader: a pinned client on a leaderless node piles up unknown
      // outcomes, which the linearizability search must then place anywhere later (its cost grows with them).
      const via = p.int(2) === 0 ? 'any' : p.intBetween(1, nodes);
      this.schedule({ at, do: 'client', client, via, ...(p.int(3) === 0 ? { requireLeader: true } : {}) });
      if (p.int(3) === 0) this.schedule({ at, do: 'watch', client, watch: 'all', key: 'k', prefix: true, startRevision: p.int(2) });
    }
    this.nextActionMs = at + this.drawInterval();
  }

  /** Schedules one action of a free client at `at` (a busy client is skipped: actions would only queue). */
  act(at: number): void {
    this.nextActionMs = at + this.drawInterval();
    const p = this.prng;
    const hub = this.world.clientHub;
    const free = this.names.filter((name) => {
      const c = hub.get(name);
      return c !== undefined && !c.killed && !c.isBusy;
    });
    if (free.length === 0) return;
    const client = p.pick(free);
    const key = `k${p.int(this.options.keys)}`;
    let roll = p.int(100);
    if (roll >= 30 && roll < 94 && !this.writable(key)) roll = 0;
    if (roll >= 75 && roll < 82 && this.unknownLeases >= MAX_UNKNOWN_LEASES) roll = 0;
    // Every write below may end unknown: counted now, uncounted when it is answered ok or fail (countUnknown).
    if (roll >= 30 && roll < 75) this.addUnknown(key);
    if (roll < 30) {
      this.schedule({ at, do: 'get', client, key, ...(p.int(6) === 0 ? { prefix: true } : {}), ...(p.int(8) === 0 ? { serializable: true } : {}) });
    } else if (roll < 55) {
      const value = this.value(client);
      this.lastValue.set(key, value);
      this.schedule({ at, do: 'put', client, key, value, ...(p.int(4) === 0 ? { prevKv: true } : {}) });
    } else if (roll < 62) {
      this.schedule({ at, do: 'delete', client, key, ...(p.int(3) === 0 ? { prevKv: true } : {}) });
    } else if (roll < 75) {
      const last = this.lastValue.get(key);
      const compare = last !== undefined && p.int(3) !== 0
        ? [{ key, target: 'value', op: '=', value: last }]
        : [{ key, target: 'version', op: '=', value: 0 }];
      const value = this.value(client);
      this.schedule({ at, do: 'txn', client, compare, success: [{ put: { key, value } }], failure: [{ get: { key } }] });
    } else if (roll < 82) {
      const lease = `L${++this.nextLease}`;
      this.leasesOf(client).push(lease);
      this.schedule({ at, do: 'grant', client, lease, ttlMs: p.intBetween(this.options.leaseTtlMs[0], this.options.leaseTtlMs[1]) });
      if (p.int(2) === 0) this.schedule({ at, do: 'keepalive', client, lease });
    } else if (roll < 90) {
      const leases = this.leasesOf(client);
      if (leases.length === 0) return;
      const lease = p.pick(leases);
      // The put links its key with the lease's other keys: the merged group must stay within the bound.
      if (this.unknownIn(this.group(key)) + this.unknownIn(this.group(`lease ${lease}`)) >= MAX_UNKNOWN_PER_KEY) return;
      this.link(key, `lease ${lease}`);
      this.addUnknown(key);
      this.schedule({ at, do: 'put', client, key, value: this.value(client), lease });
    } else if (roll < 94) {
      const leases = this.leasesOf(client);
      if (leases.length === 0) return;
      this.unknownLeases++;
      this.schedule({ at, do: 'revoke', client, lease: leases.splice(p.int(leases.length), 1)[0]! });
    } else if (roll < 99) {
      const node = p.intBetween(1, this.world.nodeCount);
      const cut = p.int(2) === 0;
      this.schedule({ at, do: cut ? 'cut' : 'restore', ...(p.int(2) === 0 ? { from: client, to: node } : { from: node, to: client }) });
    } else if (this.names.length > 1) {
      this.schedule({ at, do: 'killClient', client });
      this.names.splice(this.names.indexOf(client), 1);
    }
  }

  /**
   * The healthy stretch begins at `fromMs`: from then on every get, put, delete or txn (without a lease) invoked
   * must end ok within CLIENT_OP_BOUND_ET election timeouts, and what was still running must end (any outcome)
   * within its client's timeout. Then every live client reads a key (linearizable): reads first, with no write
   * in between, so a read that waits for a later write (kv.md: every committed entry advances the applied index)
   * is stuck, not rescued.
   */
  beginHealthyStretch(fromMs: number): void {
    this.healthyFromMs = fromMs;
    this.boundMs = CLIENT_OP_BOUND_ET * this.world.scenario.config.electionTimeoutMs;
    const live = this.liveClients();
    // A killed client's last op never ends: only live clients' ops must.
    for (const op of this.openOps.keys()) if (live.includes(op.slice(0, op.lastIndexOf('#')))) this.openAtHealthy.add(op);
    let timeoutMs = 0;
    for (const name of live) timeoutMs = Math.max(timeoutMs, this.world.clientHub.get(name)!.timeoutMs);
    this.settleByMs = fromMs + timeoutMs + this.boundMs;
    this.probe(fromMs, 'get');
  }

  /** Every live client reads (`get`) or writes then reads (`put`) a random key at `at`. */
  probe(at: number, kind: 'get' | 'put'): void {
    const p = this.prng;
    for (const client of this.liveClients()) {
      const key = `k${p.int(this.options.keys)}`;
      if (kind === 'put') {
        this.addUnknown(key);
        this.schedule({ at, do: 'put', client, key, value: this.value(client) });
      }
      this.schedule({ at, do: 'get', client, key });
    }
  }

  /** True when no op of the healthy stretch, nor one open when it began, is still running. */
  get settled(): boolean {
    return this.healthyOps.size === 0 && this.openAtHealthy.size === 0;
  }

  /** Why client liveness failed by `nowMs` (an op ended not ok, or ran past its bound), if it did. */
  livenessVerdict(nowMs: number): string | undefined {
    if (this.livenessFailure !== undefined) return this.livenessFailure;
    for (const [op, invokedMs] of this.healthyOps) {
      if (nowMs - invokedMs > this.boundMs) return this.stuck(op, invokedMs, nowMs);
    }
    if (nowMs > this.settleByMs && this.openAtHealthy.size > 0) {
      const op = [...this.openAtHealthy][0]!;
      return `client operation ${op} (${this.openOps.get(op)}) still running at ${nowMs} ms, past its client's timeout after the healthy stretch began at ${this.healthyFromMs} ms`;
    }
    return undefined;
  }

  private stuck(op: string, invokedMs: number, nowMs: number): string {
    return `client operation ${op} (${this.openOps.get(op)}) invoked at ${invokedMs} ms in the healthy stretch (from ${this.healthyFromMs} ms) ` +
      `still running at ${nowMs} ms, past the bound of ${CLIENT_OP_BOUND_ET} election timeouts (${this.boundMs} ms)`;
  }

  /**
   * A write a follower refuses with `disableProposalForwarding` (docs/scenarios.md) fails at once by design: a
   * client attached to a follower cannot write, however healthy the cluster.
   */
  private refusedByDesign(error: string | undefined): boolean {
    return this.world.scenario.config.disableProposalForwarding && error !== undefined && error.startsWith('etcdserver: not leader');
  }

  private trackLiveness(t: number, op: string, phase: string, written: Readonly<Record<string, unknown>> | undefined, error: string | undefined): void {
    if (written !== undefined) {
      this.openOps.set(op, JSON.stringify(written));
      const checked = (written.do === 'get' || written.do === 'put' || written.do === 'delete' || written.do === 'txn') && written.lease === undefined;
      if (t >= this.healthyFromMs && checked) this.healthyOps.set(op, t);
      return;
    }
    const invokedMs = this.healthyOps.get(op);
    if (invokedMs !== undefined) {
      this.healthyOps.delete(op);
      if (this.livenessFailure === undefined) {
        if (phase !== 'ok' && !this.refusedByDesign(error)) this.livenessFailure = `client operation ${op} (${this.openOps.get(op)}) invoked at ${invokedMs} ms in the healthy stretch (from ${this.healthyFromMs} ms) ended ${phase} at ${t} ms`;
        else if (t - invokedMs > this.boundMs) this.livenessFailure = this.stuck(op, invokedMs, t);
      }
    }
    this.openAtHealthy.delete(op);
    this.openOps.delete(op);
  }

  /** The clients not killed. */
  liveClients(): string[] {
    const hub = this.world.clientHub;
    return this.names.filter((name) => hub.get(name)?.killed === false);
  }

  /** Checks the client history (linearizability, revision order) and every watch stream. */
  check(): ClientCheckResult {
    const verdict = checkTraceHistory(this.events, { maxSteps: CHECK_MAX_STEPS });
    const watches = checkWatchStreams(this.events);
    let failure: string | undefined;
    if (verdict.linearizable !== true) {
      const f = verdict.failure;
      failure = `client history ${verdict.linearizable === false ? 'not linearizable' : 'undecided (search budget spent)'}`
        + (f ? ` in ${f.partition}${f.blockedOperation ? `; stuck at ${f.blockedOperation}` : ''}` : '');
    } else if (!verdict.revisionOrder.ok) {
      const r = verdict.revisionOrder.regressions[0]!;
      failure = `client ${r.client} saw the revision go back from ${r.previous} to ${r.revision} (operation ${r.id})`;
    } else if (!watches.ok) {
      failure = watches.problems[0];
    }
    return { operations: verdict.operations, watchEvents: watches.events, ...(failure !== undefined ? { failure } : {}) };
  }

  private countUnknown(client: string, id: number, phase: string, op: Readonly<Record<string, unknown>> | undefined): void {
    const key = `${client}#${id}`;
    if (op !== undefined) {
      if (op.do === 'put' || op.do === 'delete' || op.do === 'txn') this.opKeys.set(key, String(op.key ?? (op.compare as { key: string }[])[0]?.key));
      else if (op.do === 'revoke') this.opKeys.set(key, '');
      return;
    }
    const written = this.opKeys.get(key);
    if (written === undefined) return;
    this.opKeys.delete(key);
    // Counted as unknown since it was scheduled; an answer (ok or fail) makes its outcome known.
    if (phase === 'info') return;
    if (written === '') this.unknownLeases--;
    else {
      const root = this.group(written);
      this.unknownWrites.set(root, this.unknownWrites.get(root)! - 1);
    }
  }

  private addUnknown(key: string): void {
    const root = this.group(key);
    this.unknownWrites.set(root, this.unknownIn(root) + 1);
  }

  private unknownIn(root: string): number {
    return this.unknownWrites.get(root) ?? 0;
  }

  /** The representative of the keys (and leases) linked with `member` (union-find with path halving). */
  private group(member: string): string {
    let m = member;
    for (let parent = this.linkedTo.get(m); parent !== undefined; parent = this.linkedTo.get(m)) {
      const grand = this.linkedTo.get(parent);
      if (grand !== undefined) this.linkedTo.set(m, grand);
      m = grand ?? parent;
    }
    return m;
  }

  /** Links two groups; their unknown writes add up. */
  private link(a: string, b: string): void {
    const ra = this.group(a);
    const rb = this.group(b);
    if (ra === rb) return;
    this.linkedTo.set(rb, ra);
    this.unknownWrites.set(ra, this.unknownIn(ra) + this.unknownIn(rb));
    this.unknownWrites.delete(rb);
  }

  private writable(key: string): boolean {
    return this.unknownIn(this.group(key)) < MAX_UNKNOWN_PER_KEY;
  }

  private leasesOf(client: string): string[] {
    let leases = this.leases.get(client);
    if (!leases) this.leases.set(client, (leases = []));
    return leases;
  }

  private value(client: string): string {
    return `${client}-${++this.nextValue}`;
  }

  private drawInterval(): number {
    return this.prng.intBetween(this.options.actionIntervalMs[0], this.options.actionIntervalMs[1]);
  }
}
