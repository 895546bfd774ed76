/**
 * The continuous invariant checker. It reads nothing but trace events (state, append, apply, crash, restart),
 * so the same code checks a live run (fed by the world, event by event) and a trace file offline
 * (`flotilla check`), including traces written by the browser or by another implementation of the contract.
 *
 * Checked (Raft paper Figure 3, plus the persistence rules of Figure 2):
 * - Election Safety: at most one leader per term (§5.2).
 * - Leader Append-Only: a leader never overwrites or deletes entries in its own log while it leads (§5.3).
 * - Log Matching: two logs holding an entry with the same index and term are identical up to it (§5.3).
 * - Leader Completeness: a leader of term T holds every entry committed in a term before T (§5.4).
 * - State Machine Safety: no two nodes apply different entries at one index; a node applies in order (§5.4.3).
 * - Term Monotonicity and Vote Persistence: a node's term never goes back and it casts at most one vote per
 *   term, across crashes and restarts included (Figure 2, "persistent state").
 * - Commit Bounds: applied <= commit <= last index; commit never goes back except across a restart.
 * - Trace Consistency: a `state` event's `last` agrees with the node's appends (the trace is self-consistent).
 *
 * Cost: every check is O(1) per event, plus O(k) for an event carrying k entries or advancing commit by k.
 * Logs are mirrored as running prefix hashes (one 53-bit number per entry): entries with equal (index, hash)
 * have equal prefixes, so Log Matching and prefix comparisons are single number comparisons.
 * NB: 53-bit hashes can collide (probability ~2^-53 per comparison); a collision could only hide a
 * violation, never report a false one.
 */
import type { Entry, LogIndex, NodeId, PersistentState, Role, Term } from '../raft/types.ts';
import type { TraceEvent } from './traceEvents.ts';

/** A broken invariant: what, who, when. The world adds the seed for its report. */
export interface Violation {
  readonly invariant: string;
  readonly nodes: readonly NodeId[];
  /** Virtual time of the event that revealed it. */
  readonly t: number;
  readonly message: string;
}

/** What the checker keeps per node. */
interface NodeMirror {
  /** terms[i] is the term of entry i; terms[0] = 0 stands for the empty prefix. */
  terms: number[];
  /** hashes[i] is the running hash of entries 1..i; hashes[0] = 0. Invariant: same length as terms. */
  hashes: number[];
  up: boolean;
  role: Role;
  term: Term;
  vote: NodeId;
  commit: LogIndex;
  /** Highest index applied since the last (re)start. Invariant: applied <= commit at every state event. */
  applied: LogIndex;
  /** True between a restart and the node's next state event (commit may legitimately go back there). */
  restarted: boolean;
}

const HASH_HIGH = 0x200000; // 2^21: the high lane keeps 21 bits so lane pairs fit a 53-bit integer

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function dataHash(data: string | null): number {
  if (data === null) return 0x9e3779b9;
  let h = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < data.length; i++) h = Math.imul(h ^ data.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The running hash of a prefix extended by one entry (term, data). */
export function chainHash(prev: number, term: Term, data: string | null): number {
  const low = prev % 0x1_0000_0000;
  const high = Math.floor(prev / 0x1_0000_0000);
  const d = dataHash(data);
  const nextLow = mix32((low ^ Math.imul(term, 0x9e3779b1)) + d);
  const nextHigh = mix32(high ^ nextLow ^ Math.imul(d ^ term, 0x27d4eb2f)) % HASH_HIGH;
  return nextHigh * 0x1_0000_0000 + nextLow;
}

export class RaftInvariantChecker {
  private readonly mirrors: NodeMirror[] = [];
  /** The first node that wrote (index, term), and the prefix hash it had: keyed index, then term. */
  private readonly firstTermAt: number[] = [0];
  private readonly firstHashAt: number[] = [0];
  private readonly firstNodeAt: number[] = [0];
  /** Further terms seen at an index (rare: only after conflicts), keyed `${index}:${term}`. */
  private readonly otherTerms = new Map<string, { hash: number; node: NodeId }>();
  /** The committed prefix 1..committed: its running hashes and, per index, the term in which it was seen committed. */
  private committed: LogIndex = 0;
  private readonly committedHash: number[] = [0];
  /** Invariant: non-decreasing (a running maximum), so it can be binary-searched. */
  private readonly commitTermAt: number[] = [0];
  /** The first entry applied at each index, as its (term, data hash). */
  private readonly appliedTerm: number[] = [0];
  private readonly appliedData: number[] = [0];
  private readonly leaderOfTerm = new Map<Term, NodeId>();
  /** A node, believed leader in `term`, that just truncated its own log: judged when its step's events end. */
  private pendingTruncation: { node: NodeId; term: Term; t: number; from: LogIndex } | undefined;
  private violationFound: Violation | undefined;
  /** Events examined. */
  events = 0;

  constructor(readonly nodes: number) {
    for (let node = 1; node <= nodes; node++) {
      this.mirrors[node] = {
        terms: [0], hashes: [0], up: true, role: 'follower', term: 0, vote: 0, commit: 0, applied: 0, restarted: false,
      };
    }
  }

  /** The first violation found, if any (the checker stops checking after it). */
  get violation(): Violation | undefined {
    return this.violationFound;
  }

  /** Starts a node from a durable state that the trace does not show (benchmarks seeding a long log). */
  seed(node: NodeId, state: PersistentState): void {
    const m = this.mirror(node);
    this.writeEntries(m, node, 1, state.entries, 0);
    m.term = state.hardState.term;
    m.vote = state.hardState.vote;
    m.commit = state.hardState.commit;
    this.advanceCommitted(node, m, state.hardState.commit, 0);
  }

  /** Examines one event; returns the violation it revealed, if any. */
  onEvent(e: TraceEvent): Violation | undefined {
    if (this.violationFound) return this.violationFound;
    this.events++;
    if (this.pendingTruncation) this.judgePendingTruncation(e);
    switch (e.type) {
      case 'append':
        this.onAppend(e.t, e.node, e.from, e.entries);
        break;
      case 'apply':
        this.onApply(e.t, e.node, e.index, e.term, e.data);
        break;
      case 'state':
        this.onState(e.t, e.node, e.role, e.term, e.vote, e.commit, e.last[0], e.last[1]);
        break;
      case 'crash': {
        const m = this.mirror(e.node);
        m.up = false;
        m.role = 'follower';
        break;
      }
      case 'restart': {
        const m = this.mirror(e.node);
        m.up = true;
        m.role = 'follower';
        m.applied = 0;
        m.restarted = true;
        break;
      }
      default:
        break;
    }
    return this.violationFound;
  }

  private mirror(node: NodeId): NodeMirror {
    const m = this.mirrors[node];
    if (!m) throw new Error(`checker: node ${node} is not in the cluster (1..${this.nodes})`);
    return m;
  }

  private fail(invariant: string, nodes: NodeId[], t: number, message: string): void {
    this.violationFound ??= { invariant, nodes: [...new Set(nodes)].sort((a, b) => a - b), t, message };
  }

  /** Leader Append-Only: a truncation by a leader is fine only if the same step shows it no longer leads that term. */
  private judgePendingTruncation(e: TraceEvent): void {
    const p = this.pendingTruncation!;
    const sameStep = e.t === p.t && (e.type === 'append' || e.type === 'apply' || e.type === 'state') && e.node === p.node;
    if (sameStep && e.type !== 'state') return;
    this.pendingTruncation = undefined;
    if (sameStep && e.type === 'state' && (e.role !== 'leader' || e.term !== p.term)) return;
    this.fail('Leader Append-Only', [p.node], p.t, `leader ${p.node} of term ${p.term} overwrote its own log from index ${p.from}`);
  }

  private onAppend(t: number, node: NodeId, from: LogIndex, entries: readonly Entry[]): void {
    const m = this.mirror(node);
    const last = m.terms.length - 1;
    if (from < 1 || from > last + 1) {
      this.fail('Trace Consistency', [node], t, `node ${node} appended at index ${from} but its log ends at ${last}`);
      return;
    }
    if (from <= last && m.role === 'leader') this.pendingTruncation = { node, term: m.term, t, from };
    this.writeEntries(m, node, from, entries, t);
  }

  private writeEntries(m: NodeMirror, node: NodeId, from: LogIndex, entries: readonly Entry[], t: number): void {
    m.terms.length = from;
    m.hashes.length = from;
    let hash = m.hashes[from - 1]!;
    for (let k = 0; k < entries.length; k++) {
      const entry = entries[k]!;
      const index = from + k;
      if (entry.index !== index) {
        this.fail('Trace Consistency', [node], t, `node ${node} appended entry index ${entry.index} at position ${index}`);
        return;
      }
      hash = chainHash(hash, entry.term, entry.data);
      m.terms.push(entry.term);
      m.hashes.push(hash);
      this.registerEntry(node, index, entry.term, hash, t);
    }
  }

  /** Log Matching: the first holder of (index, term) fixes the prefix hash every later holder must have. */
  private registerEntry(node: NodeId, index: LogIndex, term: Term, hash: number, t: number): void {
    if (index >= this.firstTermAt.length) {
      this.firstTermAt.push(term);
      this.firstHashAt.push(hash);
      this.firstNodeAt.push(node);
      return;
    }
    let other: NodeId;
    if (this.firstTermAt[index] === term) {
      if (this.firstHashAt[index] === hash) return;
      other = this.firstNodeAt[index]!;
    } else {
      const key = `${index}:${term}`;
      const seen = this.otherTerms.get(key);
      if (!seen) {
        this.otherTerms.set(key, { hash, node });
        return;
      }
      if (seen.hash === hash) return;
      other = seen.node;
    }
    this.fail('Log Matching', [node, other], t,
      `nodes ${other} and ${node} both hold an entry with index ${index} and term ${term}, but their logs differ before it`);
  }

  private onApply(t: number, node: NodeId, index: LogIndex, term: Term, data: string | null): void {
    const m = this.mirror(node);
    if (index !== m.applied + 1) {
      this.fail('State Machine Safety', [node], t, `node ${node} applied index ${index} after ${m.applied} (out of order)`);
      return;
    }
    m.applied = index;
    if (index >= m.terms.length || m.terms[index] !== term) {
      this.fail('Trace Consistency', [node], t, `node ${node} applied (index ${index}, term ${term}), which is not in its log`);
      return;
    }
    const d = dataHash(data);
    if (index >= this.appliedTerm.length) {
      this.appliedTerm.push(term);
      this.appliedData.push(d);
    } else if (this.appliedTerm[index] !== term || this.appliedData[index] !== d) {
      this.fail('State Machine Safety', [node], t,
        `node ${node} applied (index ${index}, term ${term}, ${JSON.stringify(data)}) where another node applied term ${this.appliedTerm[index]} or other data`);
    }
  }

  private onState(
    t: number, node: NodeId, role: Role, term: Term, vote: NodeId, commit: LogIndex, lastIndex: LogIndex, lastTerm: Term,
  ): void {
    const m = this.mirror(node);
    if (term < m.term) {
      this.fail('Term Monotonicity', [node], t, `node ${node}'s term went back from ${m.term} to ${term}`);
      return;
    }
    if (term === m.term && m.vote !== 0 && vote !== m.vote) {
      this.fail('Vote Persistence', [node, vote, m.vote].filter((n) => n !== 0), t,
        vote === 0
          ? `node ${node} forgot its vote for ${m.vote} in term ${term}`
          : `node ${node} voted twice in term ${term}: for ${m.vote}, then for ${vote}`);
      return;
    }
    const mirrorLast = m.terms.length - 1;
    if (lastIndex !== mirrorLast || lastTerm !== m.terms[mirrorLast]) {
      this.fail('Trace Consistency', [node], t,
        `node ${node} reports last [${lastIndex}, ${lastTerm}] but its appends give [${mirrorLast}, ${m.terms[mirrorLast]}]`);
      return;
    }
    if (commit > lastIndex) {
      this.fail('Commit Bounds', [node], t, `node ${node} has commit ${commit} beyond its last index ${lastIndex}`);
      return;
    }
    if (commit < m.commit && !m.restarted) {
      this.fail('Commit Bounds', [node], t, `node ${node}'s commit went back from ${m.commit} to ${commit}`);
      return;
    }
    if (m.applied > commit) {
      this.fail('Commit Bounds', [node], t, `node ${node} applied up to ${m.applied} but its commit is ${commit}`);
      return;
    }
    const becameLeader = role === 'leader' && (m.role !== 'leader' || m.term !== term);
    m.role = role;
    m.term = term;
    m.vote = vote;
    m.commit = commit;
    m.restarted = false;
    if (role === 'leader') {
      const holder = this.leaderOfTerm.get(term);
      if (holder === undefined) this.leaderOfTerm.set(term, node);
      else if (holder !== node) {
        this.fail('Election Safety', [holder, node], t, `nodes ${holder} and ${node} are both leader in term ${term}`);
        return;
      }
    }
    this.advanceCommitted(node, m, commit, t);
    if (becameLeader) this.checkLeaderCompleteness(node, m, t);
  }

  /** State Machine Safety on the committed prefix: every node's committed prefix is a prefix of one history. */
  private advanceCommitted(node: NodeId, m: NodeMirror, commit: LogIndex, t: number): void {
    const shared = Math.min(commit, this.committed);
    if (m.hashes[shared] !== this.committedHash[shared]) {
      this.fail('State Machine Safety', [node], t,
        `node ${node}'s committed entries up to ${shared} differ from what the cluster committed before`);
      return;
    }
    if (commit <= this.committed) return;
    const commitTerm = Math.max(this.commitTermAt[this.committed]!, m.term);
    for (let i = this.committed + 1; i <= commit; i++) {
      this.committedHash.push(m.hashes[i]!);
      this.commitTermAt.push(commitTerm);
    }
    this.committed = commit;
    // Leader Completeness (§5.4): leaders of later terms must already hold what was just committed.
    for (let other = 1; other <= this.nodes; other++) {
      const o = this.mirrors[other]!;
      if (o.up && o.role === 'leader' && o.term > commitTerm && o.hashes[commit] !== this.committedHash[commit]) {
        this.fail('Leader Completeness', [other, node], t,
          `leader ${other} of term ${o.term} lacks entry ${commit}, committed in term ${commitTerm}`);
        return;
      }
    }
  }

  /** Leader Completeness at election: the new leader holds every entry committed in an earlier term. */
  private checkLeaderCompleteness(node: NodeId, m: NodeMirror, t: number): void {
    // The largest committed index whose commit term is below the leader's (commitTermAt is non-decreasing).
    let lo = 0;
    let hi = this.committed;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.commitTermAt[mid]! < m.term) lo = mid;
      else hi = mid - 1;
    }
    if (lo > 0 && m.hashes[lo] !== this.committedHash[lo]) {
      this.fail('Leader Completeness', [node], t,
        `node ${node} became leader of term ${m.term} without committed entry ${lo} (committed in term ${this.commitTermAt[lo]})`);
    }
  }
}
