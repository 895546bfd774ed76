/**
 * The fuzzer's reactive nemesis: faults that answer what the run just did, not a timer. A timer-driven fault
 * lands at a random moment, and the moments that break an unsafe core are short: a new leader's first round
 * trip, the instant a leader counts its first commit of a term, the latency window while appends are on the wire.
 * Jepsen's etcd analyses and the Figure 8 argument (Raft §5.4.2) both live in those windows.
 *
 * It listens to the world's events and, when a trigger happens at time t, schedules the fault as a scenario
 * action at t + d (d >= 1 ms). Never at t itself: an action runs before every other event of its millisecond
 * (docs/scenarios.md), so a replay of an action at t would run it before the very event that triggered it, while
 * one at t + 1 runs at the same point in the fuzz run and in `flotilla sim` on its replay scenario.
 *
 * Triggers (each with the seed's chance, swarm.ts ReactiveChances):
 * - a node becomes leader: isolate it within its first round trip (its no-op and first appends die on the wire);
 * - a leader's commit index first advances in its term: isolate it the next millisecond, so what it sent with
 *   that commit is dropped on the wire (with the unsafe commitOldTerm this is the commit of an old-term entry
 *   counted by replicas: Figure 8 (c), after which a node with a later-term entry at that index can win);
 * - a leader appends its own entries (a proposal): crash it with `dropInFlight` while its appends are in flight
 *   (a crash drops what it had not yet sent), or isolate it then (an isolation drops what is on the wire); the
 *   next leader after such a crash is always isolated within its first round trip (Figure 8 (a)-(b): two
 *   uncommitted suffixes of different terms at the same index);
 * - when a leader is isolated at its first commit, the other node with the most up-to-date log is reconnected
 *   and times out (Figure 8 (d): it wins, and overwrites what the unsafe leader counted as committed).
 * A node isolated by it is reconnected, one crashed restarted, after `comebackMs`.
 */
import type { NodeId, Role } from '../../raft/types.ts';
import { Prng, toPpm } from '../prng.ts';
import type { SwarmOptions } from './swarm.ts';
import type { SimEvent } from '../traceEvents.ts';
import type { World } from '../world.ts';

export type ReactiveFaultKind = 'isolateNewLeader' | 'isolateAfterFirstCommit' | 'crashInFlight' | 'isolateInFlight';

export class ReactiveNemesis {
  /** Faults scheduled, by kind. */
  readonly counts: Record<ReactiveFaultKind, number> = { isolateNewLeader: 0, isolateAfterFirstCommit: 0, crashInFlight: 0, isolateInFlight: 0 };
  private active = true;
  private readonly prng: Prng;
  /** Per node: its role as of its last state event (an append event comes before the state event of its step). */
  private readonly role: Role[] = [];
  /** Per node: the term it last became leader in, and its commit index then. */
  private readonly leaderTerm: number[] = [];
  private readonly commitAtElection: number[] = [];
  /** Per node: the term whose first commit was already seen. */
  private readonly firstCommitTerm: number[] = [];
  /** The first node to become leader at or after this time is isolated within its first round trip (Infinity: none). */
  private successorOfCrashAfterMs = Infinity;
  /** No in-flight fault before this time (one per election timeout at most: the cluster must also make progress). */
  private inFlightQuietUntilMs = 0;

  constructor(
    seed: number,
    private readonly world: World,
    private readonly options: SwarmOptions,
    private readonly schedule: (written: Record<string, unknown>) => void,
  ) {
    this.prng = new Prng((Math.imul(seed, 0x27d4eb2f) ^ 0x72656163) >>> 0);
    const c = options.reactive;
    if (c.isolateNewLeader + c.isolateAfterFirstCommit + c.crashInFlight + c.isolateInFlight > 0) {
      world.subscribe((event) => this.onEvent(event));
    }
  }

  /** No more faults from now on (the liveness phase). */
  stop(): void {
    this.active = false;
  }

  private onEvent(e: SimEvent): void {
    if (!this.active || this.world.stopped) return;
    if (e.type === 'state') {
      this.role[e.node] = e.role;
      if (e.role !== 'leader') return;
      if (this.leaderTerm[e.node] !== e.term) {
        this.leaderTerm[e.node] = e.term;
        this.commitAtElection[e.node] = e.commit;
        // Within its first round trip: before the acks of its first appends can come back. The first leader
        // after an in-flight crash always is (Figure 8 (b): its entries at the index the crashed leader's
        // entries reached a minority at, left on it alone).
        const takesOverFromCrash = this.successorOfCrashAfterMs <= e.t;
        if (takesOverFromCrash) this.successorOfCrashAfterMs = Infinity;
        if (takesOverFromCrash || this.roll('isolateNewLeader')) this.isolate('isolateNewLeader', e.node, e.t + this.prng.intBetween(1, Math.max(1, 2 * this.latencyMaxMs())));
      } else if (e.commit > this.commitAtElection[e.node]! && this.firstCommitTerm[e.node] !== e.term) {
        this.firstCommitTerm[e.node] = e.term;
        if (this.roll('isolateAfterFirstCommit')) {
          this.isolate('isolateAfterFirstCommit', e.node, e.t + 1);
          this.provokeRival(e.node, e.t + 2);
        }
      }
    } else if (e.type === 'append' && this.role[e.node] === 'leader' && e.t >= this.inFlightQuietUntilMs) {
      // Its appends of these entries leave in this very step: hit it while they are on the wire, after the
      // fastest may have arrived and before the slowest do (some followers hold them, others not).
      const [minMs, maxMs] = this.world.network.settings.latencyMs;
      const at = e.t + this.prng.intBetween(Math.min(minMs + 1, Math.max(1, maxMs)), Math.max(1, maxMs));
      if (this.roll('crashInFlight')) {
        this.inFlightQuietUntilMs = e.t + this.options.config.electionTimeoutMs;
        this.counts.crashInFlight++;
        this.schedule({ at, do: 'crash', node: e.node, dropInFlight: true });
        this.successorOfCrashAfterMs = at;
        this.schedule({ at: at + this.comebackMs(), do: 'restart', node: e.node });
      } else if (this.roll('isolateInFlight')) {
        this.inFlightQuietUntilMs = e.t + this.options.config.electionTimeoutMs;
        this.isolate('isolateInFlight', e.node, at);
      }
    }
  }

  /**
   * After a leader was cut off at its first commit: the other live node whose log is most up to date by the
   * election rule (last term, then last index; Raft §5.4.1), the one that would win, is reconnected to every node
   * but that leader and times out at `at`. If the commit counted an entry of an older term that this rival holds
   * with a later term at the same index (Figure 8 (c)), the rival wins and overwrites it: a safe core never
   * counts such an entry, so there is nothing to overwrite.
   */
  private provokeRival(leader: NodeId, at: number): void {
    let rival = 0;
    for (let node = 1; node <= this.world.nodeCount; node++) {
      if (node === leader || !this.world.isUp(node)) continue;
      const v = this.world.view(node);
      const best = rival === 0 ? undefined : this.world.view(rival);
      if (!best || v.lastTerm > best.lastTerm || (v.lastTerm === best.lastTerm && v.lastIndex > best.lastIndex)) rival = node;
    }
    if (rival === 0) return;
    for (let other = 1; other <= this.world.nodeCount; other++) {
      if (other === rival || other === leader) continue;
      this.schedule({ at, do: 'restore', from: rival, to: other });
      this.schedule({ at, do: 'restore', from: other, to: rival });
    }
    this.schedule({ at, do: 'timeout', node: rival });
  }

  private roll(kind: ReactiveFaultKind): boolean {
    const chance = this.options.reactive[kind];
    return chance > 0 && this.prng.chancePpm(toPpm(chance));
  }

  /** Isolates `node` at `at` and reconnects it (every link, both ways) after comebackMs. */
  private isolate(kind: ReactiveFaultKind, node: NodeId, at: number): void {
    this.counts[kind]++;
    this.schedule({ at, do: 'isolate', node });
    const backMs = at + this.comebackMs();
    for (let other = 1; other <= this.world.nodeCount; other++) {
      if (other === node) continue;
      this.schedule({ at: backMs, do: 'restore', from: node, to: other });
      this.schedule({ at: backMs, do: 'restore', from: other, to: node });
    }
  }

  private comebackMs(): number {
    return this.prng.intBetween(this.options.reactive.comebackMs[0], this.options.reactive.comebackMs[1]);
  }

  private latencyMaxMs(): number {
    return this.world.network.settings.latencyMs[1];
  }
}
