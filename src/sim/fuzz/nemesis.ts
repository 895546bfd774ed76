/**
 * The timer-driven nemesis of a fuzz run: every fault interval it draws one fault kind by the seed's weights
 * (swarm.ts) and schedules that fault as scenario actions. Separate from the run (fuzz.ts) because what a fault is
 * (one entry of FAULTS per kind) changes apart from how a seed is driven and checked. It draws from the fuzz PRNG,
 * never from the world's, in a fixed order per kind: a seed's faults are its own.
 */
import type { NodeId } from '../../raft/types.ts';
import type { Prng } from '../prng.ts';
import type { World } from '../world.ts';
import { drawRate, type FaultWeights, type SwarmOptions } from './swarm.ts';

/** What drawing one fault at `at` sees: the world (read only), the PRNG, the seed's options, every node. */
interface Strike {
  readonly at: number;
  readonly world: World;
  readonly p: Prng;
  readonly options: SwarmOptions;
  readonly all: readonly NodeId[];
  readonly schedule: (written: Record<string, unknown>) => void;
  /** The live key-value clients (for client pauses). */
  readonly clientNames: () => readonly string[];
}

const upNodes = (s: Strike): NodeId[] => s.all.filter((node) => s.world.isUp(node));

/** Each fault kind: what it draws and schedules. A kind with nothing to act on (no node down to restart) schedules nothing. */
const FAULTS: { readonly [K in keyof FaultWeights]: (s: Strike) => void } = {
  crash: (s) => {
    const up = upNodes(s);
    if (up.length > 0) s.schedule({ at: s.at, do: 'crash', node: s.p.pick(up) });
  },
  crashLeader: (s) => s.schedule({ at: s.at, do: 'crash', node: 'leader' }),
  restart: (s) => {
    const down = s.all.filter((node) => !s.world.isUp(node));
    if (down.length > 0) s.schedule({ at: s.at, do: 'restart', node: s.p.pick(down) });
  },
  partition: (s) => {
    const { p, all } = s;
    const n = all.length;
    if (n < 2) return; // one node cannot be split
    const order = p.shuffled(all);
    const cut1 = p.intBetween(1, n - 1);
    const groups = [order.slice(0, cut1), order.slice(cut1)];
    if (groups[1]!.length > 1 && p.int(2) === 0) {
      const cut2 = p.intBetween(1, groups[1]!.length - 1);
      groups.splice(1, 1, groups[1]!.slice(0, cut2), groups[1]!.slice(cut2));
    }
    // Sometimes leave the last group unlisted: "nodes not listed form one more group".
    if (p.int(2) === 0) groups.pop();
    s.schedule({ at: s.at, do: 'partition', groups });
  },
  isolate: (s) => s.schedule({ at: s.at, do: 'isolate', node: s.p.intBetween(1, s.all.length) }),
  cutOneWay: (s) => {
    const [from, to] = s.p.shuffled(s.all);
    if (to !== undefined) s.schedule({ at: s.at, do: 'cut', from, to });
  },
  restoreOneWay: (s) => {
    const cut = s.world.network.cutLinks();
    if (cut.length === 0) return;
    const [from, to] = s.p.pick(cut);
    s.schedule({ at: s.at, do: 'restore', from, to });
  },
  swizzle,
  heal: (s) => s.schedule({ at: s.at, do: 'heal' }),
  network: (s) => s.schedule({
    at: s.at, do: 'network', dropRate: drawRate(s.p, s.options.maxDropRate), duplicateRate: drawRate(s.p, s.options.maxDuplicateRate),
  }),
  timeout: (s) => {
    const up = upNodes(s);
    if (up.length > 0) s.schedule({ at: s.at, do: 'timeout', node: s.p.pick(up) });
  },
  transfer: (s) => s.schedule({ at: s.at, do: 'transfer', to: s.p.intBetween(1, s.all.length) }),
  pause: (s) => {
    const { p, world } = s;
    // Half the time the leader: it resumes still believing it leads (docs/scenarios.md, "Process pauses").
    const running = upNodes(s).filter((node) => !world.isPaused(node));
    const leader = world.resolveNode('leader');
    const node = leader !== 0 && !world.isPaused(leader) && p.int(2) === 0 ? leader : running.length > 0 ? p.pick(running) : 0;
    if (node === 0) return;
    s.schedule({ at: s.at, do: 'pause', node });
    s.schedule({ at: s.at + p.intBetween(s.options.pauseMs[0], s.options.pauseMs[1]), do: 'resume', node });
  },
  pauseClient: (s) => {
    const clients = s.clientNames().filter((c) => !s.world.isClientPaused(c));
    if (clients.length === 0) return;
    const client = s.p.pick(clients);
    s.schedule({ at: s.at, do: 'pause', client });
    s.schedule({ at: s.at + s.p.intBetween(s.options.pauseMs[0], s.options.pauseMs[1]), do: 'resume', client });
  },
};

/** Clogs a random subset of nodes one by one, then unclogs them in another random order (FoundationDB). */
function swizzle(s: Strike): void {
  const { p, all } = s;
  const clogged = p.shuffled(all).slice(0, p.intBetween(1, Math.max(1, all.length - 1)));
  const stepMs = Math.max(1, Math.floor(s.options.config.electionTimeoutMs / 4));
  let t = s.at;
  for (const node of clogged) {
    s.schedule({ at: t, do: 'isolate', node });
    t += stepMs;
  }
  for (const node of p.shuffled(clogged)) {
    for (const other of all) {
      if (other === node) continue;
      s.schedule({ at: t, do: 'restore', from: node, to: other });
      s.schedule({ at: t, do: 'restore', from: other, to: node });
    }
    t += stepMs;
  }
}

/** Picks and schedules faults, drawing from the fuzz PRNG (never from the world's). */
export class Nemesis {
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
    const kind = this.drawKind();
    const all = Array.from({ length: this.options.nodes }, (_, i) => i + 1);
    FAULTS[kind]({ at, world: this.world, p: this.prng, options: this.options, all, schedule: this.schedule, clientNames: this.clientNames });
    return kind;
  }

  /** One kind, each with probability its weight over the total. */
  private drawKind(): keyof FaultWeights {
    let roll = this.prng.int(this.totalWeight);
    for (const k of this.kinds) {
      roll -= this.options.faults[k];
      if (roll < 0) return k;
    }
    return this.kinds[0]!;
  }
}
