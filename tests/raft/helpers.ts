/**
 * A tiny hand-driven network for the core's tests: every node is a RawNode with a disk model; messages wait in
 * one queue until the test delivers them (all, some, or none), and links can be cut. Exact and fast: nothing
 * happens unless the test says so. Seeded randomness comes from the simulator's one PRNG (`Prng` in
 * src/sim/prng.ts): tests draw from the same generator as the runs they check.
 */
import { RawNode, defaultRaftConfig } from '../../src/raft/index.ts';
import type {
  Entry, Explanation, HardState, Message, NodeId, RaftConfig, RandomSource, ReadFailure, ReadState, Ready,
} from '../../src/raft/index.ts';

/** A RandomSource that always draws `value` (clamped into range): fixes every randomized timeout. */
export function fixedRandom(value: number): RandomSource {
  return { int: (maxExclusive: number) => Math.min(value, maxExclusive - 1) };
}

/** What a node keeps across a crash. */
export interface Disk {
  hardState: HardState;
  entries: Entry[];
}

export type ConfigOverrides = Partial<Omit<RaftConfig, 'unsafe'>> & { unsafe?: Partial<RaftConfig['unsafe']> };

export class Network {
  readonly ids: NodeId[];
  readonly nodes = new Map<NodeId, RawNode>();
  readonly disks = new Map<NodeId, Disk>();
  /** Every entry each node applied, in order (reset on restart: the node re-applies). */
  readonly applied = new Map<NodeId, Entry[]>();
  /** Messages sent and not yet delivered or dropped, in send order. */
  queue: Message[] = [];
  /** Every message any node ever sent, in order (for counting). */
  readonly sent: Message[] = [];
  readonly explanations: Explanation[] = [];
  readonly readStates = new Map<NodeId, ReadState[]>();
  readonly readFailures = new Map<NodeId, ReadFailure[]>();
  /**
   * Safety violations seen so far (Raft Figure 3): two leaders in one term (Election Safety), or two different
   * entries applied at one index (State Machine Safety). Checked on every flush.
   */
  readonly violations: string[] = [];
  /** The first entry applied at each index, by any node. */
  private readonly appliedAt = new Map<number, { node: NodeId; entry: Entry }>();
  private readonly leaderOfTerm = new Map<number, NodeId>();
  /** Cut links, as "from->to". */
  private readonly cut = new Set<string>();
  readonly crashed = new Set<NodeId>();
  private readonly configs = new Map<NodeId, RaftConfig>();
  /** Called with every Ready a live node hands over, before it is handled (the transcripts print them). */
  onReady?: (id: NodeId, rd: Ready) => void;

  /**
   * `n` nodes S1..Sn. By default every node's randomized timeout is fixed at electionTick + id - 1, so S1
   * times out first; pass `random` per node to change that.
   */
  constructor(n: number, overrides: ConfigOverrides = {}, random?: (id: NodeId) => RandomSource) {
    this.ids = Array.from({ length: n }, (_, i) => i + 1);
    for (const id of this.ids) {
      const config = defaultRaftConfig(id, this.ids, random ? random(id) : fixedRandom(id - 1), {
        ...overrides,
        unsafe: { forgetVote: false, commitOldTerm: false, skipUpToDateCheck: false, noTruncate: false, ...overrides.unsafe },
      } as Partial<RaftConfig>);
      this.configs.set(id, config);
      this.nodes.set(id, new RawNode(config));
      this.disks.set(id, { hardState: { term: 0, vote: 0, commit: 0 }, entries: [] });
      this.applied.set(id, []);
      this.readStates.set(id, []);
      this.readFailures.set(id, []);
    }
  }

  node(id: NodeId): RawNode {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`no node ${id}`);
    return n;
  }

  /** Drains every live node's Ready: persist, queue messages, apply, record reads. */
  flush(): void {
    let again = true;
    while (again) {
      again = false;
      for (const id of this.ids) {
        if (this.crashed.has(id)) continue;
        const node = this.node(id);
        if (!node.hasReady()) continue;
        again = true;
        const rd = node.ready();
        this.onReady?.(id, rd);
        const disk = this.disks.get(id)!;
        if (rd.hardState) disk.hardState = rd.hardState;
        if (rd.append) {
          disk.entries.length = rd.append.from - 1;
          disk.entries.push(...rd.append.entries);
        }
        for (const m of rd.messages) {
          this.queue.push(m);
          this.sent.push(m);
        }
        this.applied.get(id)!.push(...rd.committed);
        for (const e of rd.committed) this.checkApplied(id, e);
        this.readStates.get(id)!.push(...rd.readStates);
        this.readFailures.get(id)!.push(...rd.readFailures);
        this.explanations.push(...rd.explanations);
        node.advance();
        if (node.role === 'leader') this.checkLeader(id, node.term);
      }
    }
  }

  private checkApplied(id: NodeId, e: Entry): void {
    const first = this.appliedAt.get(e.index);
    if (!first) {
      this.appliedAt.set(e.index, { node: id, entry: e });
    } else if (first.entry.term !== e.term || first.entry.data !== e.data) {
      this.violations.push(
        `state machine safety: S${first.node} applied (term ${first.entry.term}, ${first.entry.data}) at index ${e.index}, S${id} applied (term ${e.term}, ${e.data})`,
      );
    }
  }

  private checkLeader(id: NodeId, term: number): void {
    const other = this.leaderOfTerm.get(term);
    if (other === undefined) this.leaderOfTerm.set(term, id);
    else if (other !== id) this.violations.push(`election safety: S${other} and S${id} both led term ${term}`);
  }

  /** Takes the queued messages matching `pred` (all by default) out of the queue. */
  take(pred: (m: Message) => boolean = () => true): Message[] {
    this.flush();
    const taken = this.queue.filter(pred);
    this.queue = this.queue.filter((m) => !pred(m));
    return taken;
  }

  /** Delivers one message now (unless its link is cut or the target is down); false if it was lost. */
  deliver(m: Message): boolean {
    if (!this.reaches(m)) return false;
    this.node(m.to).step(m);
    this.flush();
    return true;
  }

  /** Whether `m` would arrive now: both ends up and the link between them not cut. */
  reaches(m: Message): boolean {
    return !this.crashed.has(m.to) && !this.crashed.has(m.from) && !this.cut.has(`${m.from}->${m.to}`);
  }

  /** Delivers queued messages, and the messages they cause, until the queue is empty (or `maxRounds`). */
  deliverAll(maxRounds = 1000): void {
    for (let i = 0; i < maxRounds; i++) {
      const batch = this.take();
      if (batch.length === 0) return;
      for (const m of batch) this.deliver(m);
    }
    throw new Error('deliverAll: messages still flowing after maxRounds');
  }

  /** Drops every queued message matching `pred` (all by default). */
  drop(pred: (m: Message) => boolean = () => true): Message[] {
    return this.take(pred);
  }

  tick(id: NodeId, times = 1): void {
    for (let i = 0; i < times; i++) this.node(id).tick();
    this.flush();
  }

  /** Ticks every live node once per round, delivering all messages after each round. */
  tickAll(rounds = 1): void {
    for (let r = 0; r < rounds; r++) {
      for (const id of this.ids) if (!this.crashed.has(id)) this.node(id).tick();
      this.deliverAll();
    }
  }

  /** Forces `id` to campaign, then delivers everything. */
  elect(id: NodeId): void {
    this.node(id).campaign();
    this.deliverAll();
  }

  /** Cuts both directions between each node of `a` and each of `b`. */
  partition(a: NodeId[], b: NodeId[]): void {
    for (const x of a) for (const y of b) {
      this.cut.add(`${x}->${y}`);
      this.cut.add(`${y}->${x}`);
    }
  }

  isolate(id: NodeId): void {
    this.partition([id], this.ids.filter((x) => x !== id));
  }

  heal(): void {
    this.cut.clear();
  }

  /** Loses everything but the disk; messages to and from the node in the queue are lost too. */
  crash(id: NodeId): void {
    this.flush();
    this.crashed.add(id);
    this.queue = this.queue.filter((m) => m.to !== id && m.from !== id);
  }

  /** Brings a crashed node back from its disk alone. */
  restart(id: NodeId, configOverrides: Partial<RaftConfig> = {}): RawNode {
    const disk = this.disks.get(id)!;
    const config = { ...this.configs.get(id)!, ...configOverrides };
    const node = new RawNode(config, { hardState: disk.hardState, entries: disk.entries.slice() });
    this.nodes.set(id, node);
    this.crashed.delete(id);
    this.applied.set(id, []);
    this.flush();
    return node;
  }

  /** The ids of live nodes that believe they lead, with their terms. */
  leaders(): { id: NodeId; term: number }[] {
    return this.ids
      .filter((id) => !this.crashed.has(id) && this.node(id).role === 'leader')
      .map((id) => ({ id, term: this.node(id).term }));
  }

  /** The (term, data) pairs of a node's in-memory log. */
  logOf(id: NodeId): [number, string | null][] {
    const n = this.node(id);
    const out: [number, string | null][] = [];
    for (let i = 1; i <= n.lastIndex; i++) {
      const e = n.entryAt(i)!;
      out.push([e.term, e.data]);
    }
    return out;
  }

  /** Explanations of one kind (optionally of one node) seen so far. */
  explained<K extends Explanation['kind']>(kind: K, node?: NodeId): Extract<Explanation, { kind: K }>[] {
    return this.explanations.filter(
      (e): e is Extract<Explanation, { kind: K }> => e.kind === kind && (node === undefined || e.node === node),
    );
  }

  /** Gives `id` a persisted log of the given terms (index 1 first) before the run starts. */
  preload(id: NodeId, terms: number[], term = Math.max(0, ...terms), commit = 0): void {
    const entries = terms.map((t, i) => ({ index: i + 1, term: t, data: `t${t}i${i + 1}` }));
    this.disks.set(id, { hardState: { term, vote: 0, commit }, entries });
    this.crashed.add(id);
    this.restart(id);
  }
}

/** Shorthand: a message filter by type and endpoints. */
export function msg(type: Message['type'], from?: NodeId, to?: NodeId): (m: Message) => boolean {
  return (m) => m.type === type && (from === undefined || m.from === from) && (to === undefined || m.to === to);
}
