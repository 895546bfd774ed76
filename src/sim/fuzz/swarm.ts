/**
 * Swarm testing (Groce et al. 2012; TigerBeetle's `options_swarm`): every fuzz seed draws its own cluster,
 * timing, network and fault mix, so across seeds some runs are calm, some hammer one kind of fault, and the
 * combinations no hand-written test thinks of get tried.
 */
import type { UnsafeName } from '../../raft/types.ts';
import { Prng } from '../prng.ts';
import type { NetworkSettings, SimConfig } from '../scenario.ts';
import { DEFAULT_CONFIG } from '../scenario.ts';

/** How often each kind of fault is picked (relative weights; 0 disables it for this seed). */
export interface FaultWeights {
  readonly crash: number;
  /** Crash whichever node leads now (6.5840's Figure 8 test: leaders dying right after proposals). */
  readonly crashLeader: number;
  readonly restart: number;
  /** Two-way partition into 2 or 3 random groups. */
  readonly partition: number;
  readonly isolate: number;
  /** Cut one random direction of one link. */
  readonly cutOneWay: number;
  /** Restore one random direction of one link. */
  readonly restoreOneWay: number;
  /** FoundationDB's swizzle-clog: isolate random nodes one by one, then bring them back in random order. */
  readonly swizzle: number;
  readonly heal: number;
  /** New latency, loss and duplication for every link. */
  readonly network: number;
  readonly timeout: number;
  readonly transfer: number;
  /** Pause a node (half the time whichever leads) for a while, then resume it (docs/scenarios.md, "Process pauses"). */
  readonly pause: number;
  /** Pause a key-value client for a while, then resume it. */
  readonly pauseClient: number;
}

/**
 * Faults that react to the run (reactiveNemesis.ts): the chance that each fires when its trigger happens
 * (0: never, for this seed).
 */
export interface ReactiveChances {
  /** Per new leader: isolate it within its first round trip (its first appends die on the wire). */
  readonly isolateNewLeader: number;
  /** Per leader: isolate it right after the first commit of its term (Figure 8: an old-term entry just counted). */
  readonly isolateAfterFirstCommit: number;
  /** Per append of a leader's own entries: crash it while its appends are in flight, dropping them (`dropInFlight`). */
  readonly crashInFlight: number;
  /** Per append of a leader's own entries: isolate it while its appends are in flight (they die on the wire). */
  readonly isolateInFlight: number;
  /** Virtual ms after which a node isolated (restored) or crashed (restarted) by a reactive fault comes back. */
  readonly comebackMs: readonly [number, number];
}

/** Everything one fuzz seed drew (printed on failure). */
export interface SwarmOptions {
  readonly seed: number;
  /** Seed of the world's master PRNG (written to the trace header and the replay scenario). */
  readonly worldSeed: number;
  readonly nodes: number;
  readonly config: SimConfig;
  readonly network: NetworkSettings;
  /** Loss and duplication ceilings for `network` faults. */
  readonly maxDropRate: number;
  readonly maxDuplicateRate: number;
  /** Virtual ms between two faults, drawn uniformly in this range each time. */
  readonly faultIntervalMs: readonly [number, number];
  readonly faults: FaultWeights;
  readonly reactive: ReactiveChances;
  /** A pause lasts this many virtual ms, drawn in this range each time. */
  readonly pauseMs: readonly [number, number];
  /** Virtual ms between two client proposals (the load). */
  readonly proposalIntervalMs: number;
}

/** Choices a fuzz command may pin for every seed. */
export interface SwarmPins {
  readonly nodes?: number;
  readonly unsafe?: readonly UnsafeName[];
}

/** Draws one seed's options. The fuzz run then keeps drawing its faults from `prng` (returned, ready). */
export function drawSwarmOptions(seed: number, pins: SwarmPins = {}): { options: SwarmOptions; prng: Prng } {
  const prng = new Prng(seed);
  const worldSeed = prng.childSeed();
  const nodes = pins.nodes ?? prng.pick([3, 5, 5, 7]);
  const tickMs = 10;
  // ET of 10..20 ticks and a heartbeat every 1..3 ticks (testing.md §6.B): short timeouts mean many elections
  // per simulated second, which is where the bugs are.
  const electionTicks = prng.intBetween(10, 20);
  const heartbeatTicks = prng.intBetween(1, 3);
  const electionTimeoutMs = electionTicks * tickMs;
  const maxInflight = prng.pick([1, 4, 64]);
  const config: SimConfig = {
    ...DEFAULT_CONFIG,
    electionTimeoutMs,
    heartbeatMs: heartbeatTicks * tickMs,
    tickMs,
    preVote: prng.int(2) === 0,
    checkQuorum: prng.int(2) === 0,
    maxInflight,
    // Never one entry per message with one message in flight: a lagging follower then catches up one entry per
    // round trip, slower than the fuzzer's proposal rate builds a backlog, so the liveness bound would measure
    // the backlog (slow, not stuck), not the protocol.
    maxEntriesPerMsg: prng.pick(maxInflight === 1 ? [8, 64] : [1, 8, 64]),
    disableProposalForwarding: prng.int(4) === 0,
    unsafe: pins.unsafe ?? [],
  };
  // Latency stays below a fifth of the election timeout so a healed cluster can elect a leader: liveness is
  // only promised when messages arrive well within a timeout (Raft §5.6, broadcastTime << electionTimeout).
  const latencyMaxMs = prng.intBetween(1, Math.floor(electionTimeoutMs / 5));
  const latencyMinMs = prng.intBetween(0, latencyMaxMs);
  const maxDropRate = prng.pick([0, 0.05, 0.1, 0.3]);
  const maxDuplicateRate = prng.pick([0, 0.05, 0.2]);
  const network: NetworkSettings = {
    latencyMs: [latencyMinMs, latencyMaxMs],
    dropRate: drawRate(prng, maxDropRate),
    duplicateRate: drawRate(prng, maxDuplicateRate),
  };
  const weight = (): number => prng.pick([0, 1, 2, 4]);
  const faults: Omit<FaultWeights, 'pause' | 'pauseClient'> = {
    crash: weight(), crashLeader: weight(), restart: weight() + 2, partition: weight(), isolate: weight(), cutOneWay: weight(),
    restoreOneWay: weight(), swizzle: weight(), heal: weight() + 1, network: weight(), timeout: weight(), transfer: weight(),
  };
  const faultLowMs = prng.intBetween(Math.floor(electionTimeoutMs / 4), electionTimeoutMs);
  const faultIntervalMs: [number, number] = [faultLowMs, faultLowMs + prng.intBetween(0, 3 * electionTimeoutMs)];
  const proposalIntervalMs = prng.intBetween(tickMs, Math.max(tickMs, Math.floor(electionTimeoutMs / 2)));
  // Drawn last, so the draws above stay what they were for a seed. Lease reads need CheckQuorum (etcd refuses them
  // without it, docs/scenarios.md): two seeds of three that have it read by lease.
  const leaseConfig: SimConfig = config.checkQuorum && prng.int(3) !== 0 ? { ...config, readOnly: 'lease' } : config;
  // A quarter of the seeds react to nothing, so the timer-driven nemesis is also tried alone.
  const reactiveOn = prng.int(4) !== 0;
  const chance = (choices: readonly number[]): number => (reactiveOn ? prng.pick(choices) : 0);
  const reactive: ReactiveChances = {
    isolateNewLeader: chance([0, 0.3, 0.6]),
    isolateAfterFirstCommit: chance([0.3, 0.6, 1]),
    crashInFlight: chance([0, 0.05, 0.1, 0.2]),
    isolateInFlight: chance([0, 0.05, 0.1, 0.2]),
    comebackMs: [electionTimeoutMs / 2, electionTimeoutMs / 2 + prng.intBetween(0, 4 * electionTimeoutMs)],
  };
  // Pauses: a few hundred ms to a few election timeouts, long enough for the others to elect a new leader.
  // Node pauses are never drawn with lease reads: a lease rests on bounded clock drift (Raft thesis §6.4), which a
  // pause breaks by design (a resumed leader still counts itself inside its lease), so a stale read there is the
  // documented price of the configuration, not a bug to find (docs/scenarios.md, "Process pauses"). Client pauses
  // stay. The weight is drawn either way, so the draws after it stay what they were for a seed.
  const nodePause = weight();
  const withPauses: FaultWeights = { ...faults, pause: leaseConfig.readOnly === 'lease' ? 0 : nodePause, pauseClient: weight() };
  const pauseMs: [number, number] = [tickMs, tickMs + prng.intBetween(electionTimeoutMs, 5 * electionTimeoutMs)];
  const options: SwarmOptions = {
    seed, worldSeed, nodes, config: leaseConfig, network, maxDropRate, maxDuplicateRate, faultIntervalMs, faults: withPauses, reactive, pauseMs,
    proposalIntervalMs,
  };
  return { options, prng };
}

/** A rate in [0, max], in whole parts per thousand. */
export function drawRate(prng: Prng, max: number): number {
  return prng.intBetween(0, Math.round(max * 1000)) / 1000;
}
