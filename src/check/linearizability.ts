import { Bitset } from './bitset.ts';
import { combineHash } from './hashing.ts';
import type { LinFailure, LinResult, Model, Operation, Partition } from './model.ts';

/** Options of a check. */
export interface CheckOptions {
  /**
   * The most search steps the whole check may spend (over all partitions) before the partitions not yet decided
   * are declared undecided. A step is one visit of a call or return entry, so the budget (unlike a wall-clock
   * timeout) gives the same verdict on every machine. It also bounds memory: the cache grows by at most one
   * entry a step.
   */
  readonly maxSteps?: number;
}

/**
 * About 4x the hardest history in the shared corpus (1.4M steps); a check that spends it all takes a few seconds
 * and at most about 500 MB for its caches (measured: ~90 bytes a step on the 50-client histories).
 */
export const DEFAULT_MAX_STEPS = 5_000_000;

/**
 * Steps a partition may run before the scheduler moves on to the next one. Partitions are searched round-robin in
 * slices of this many steps, so one hard partition cannot hide an easy violation elsewhere (Porcupine gets the same
 * effect by checking partitions in parallel and stopping at the first failure); the order is fixed, so the verdict
 * and the step count are deterministic.
 */
const SLICE_STEPS = 20_000;

/**
 * Checks a history against a model: partitions it when the model can (P-compositionality), then searches every
 * part for a linearization. Any part that is not linearizable makes the verdict false; otherwise any part left
 * undecided (the budget spent) makes it undecided.
 */
export function checkOperations<S, I, O>(
  model: Model<S, I, O>,
  operations: readonly Operation<I, O>[],
  options: CheckOptions = {},
): LinResult {
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const partitions: Partition<I, O>[] = model.partition
    ? model.partition(operations)
    : [{ label: 'all', operations }];
  const searches = partitions.map((part) => new PartitionSearch(model, part.operations));
  const report = (index: number): LinFailure => {
    const search = searches[index];
    return {
      partition: partitions[index].label,
      operations: partitions[index].operations.length,
      longestLinearized: search.longestLinearized,
      ...(search.blocked ? { blockedOperation: describe(model, search.blocked) } : {}),
    };
  };
  let steps = 0;
  let running = searches.map((_, index) => index).filter((index) => searches[index].verdict === 'running');
  while (running.length > 0 && steps < maxSteps) {
    const stillRunning: number[] = [];
    for (const index of running) {
      const search = searches[index];
      const before = search.steps;
      const verdict = search.run(Math.min(SLICE_STEPS, maxSteps - steps));
      steps += search.steps - before;
      if (verdict === false) {
        return { linearizable: false, operations: operations.length, partitions: partitions.length, steps, failure: report(index) };
      }
      if (verdict === 'running') stillRunning.push(index);
    }
    running = stillRunning;
  }
  const undecided = searches.findIndex((search) => search.verdict !== true);
  return {
    linearizable: undecided >= 0 ? 'undecided' : true,
    operations: operations.length,
    partitions: partitions.length,
    steps,
    ...(undecided >= 0 ? { failure: report(undecided) } : {}),
  };
}

function describe<S, I, O>(model: Model<S, I, O>, operation: Operation<I, O>): string {
  if (model.describe) return model.describe(operation);
  const ret = operation.returnAt === Number.POSITIVE_INFINITY ? 'unknown' : String(operation.returnAt);
  return `client ${operation.clientId} [${operation.call}, ${ret}] ${JSON.stringify(operation.input)} -> ${JSON.stringify(operation.output)}`;
}

/**
 * One node of the doubly linked list of call and return entries, in real-time order. A call entry knows its
 * return (`match`); a return entry has `match === null`.
 */
interface Entry {
  readonly id: number;
  readonly time: number;
  readonly isCall: boolean;
  match: Entry | null;
  prev: Entry | null;
  next: Entry | null;
}

/** A linearized call on the search path: the state before it, and the other states it may lead to. */
interface Frame<S> {
  readonly call: Entry;
  readonly stateBefore: S;
  /** States not yet explored for this call (nondeterministic models only; null when there are none). */
  readonly alternatives: S[] | null;
}

/**
 * The configurations (linearized set, state) already explored. Bitsets are packed into one growing
 * `Uint32Array` arena (a typed array per entry would cost more in object headers than in bits).
 */
class ConfigurationCache<S> {
  private arena: Uint32Array;
  private readonly states: S[] = [];
  /** Hash → index of the first entry with that hash; collisions chain through `nextInBucket`. */
  private readonly buckets = new Map<number, number>();
  private readonly nextInBucket: number[] = [];

  constructor(private readonly model: Model<S, unknown, unknown>, private readonly words: number) {
    this.arena = new Uint32Array(Math.max(1, words) * 1024);
  }

  /** Adds (linearized, state); false when it was there already. */
  add(linearized: Bitset, state: S): boolean {
    const key = combineHash(linearized.hash, this.model.hash(state));
    const first = this.buckets.get(key);
    for (let index = first ?? -1; index >= 0; index = this.nextInBucket[index]) {
      if (this.model.equal(this.states[index], state) && this.sameBits(index, linearized)) return false;
    }
    const index = this.states.length;
    const offset = index * this.words;
    if (offset + this.words > this.arena.length) {
      const grown = new Uint32Array(this.arena.length * 2);
      grown.set(this.arena);
      this.arena = grown;
    }
    this.arena.set(linearized.words, offset);
    this.states.push(state);
    this.nextInBucket.push(first ?? -1);
    this.buckets.set(key, index);
    return true;
  }

  private sameBits(index: number, linearized: Bitset): boolean {
    const offset = index * this.words;
    const words = linearized.words;
    for (let i = 0; i < this.words; i++) if (this.arena[offset + i] !== words[i]) return false;
    return true;
  }
}

/**
 * Lowe's just-in-time linearization (a Wing & Gong search; Lowe 2017, "Testing for linearizability"), as Porcupine's
 * `checkSingle` does it: walk the entries in real-time order; at a call, try to linearize that operation now
 * (step the model, then "lift" its call and return out of the list and restart from the head); at a return, the
 * operation was not linearized before its return, so undo the last choice ("unlift") and try the next entry.
 * A cache of (linearized set, state) pairs already explored prunes every path that reaches a configuration seen
 * before: what remains to linearize depends only on that pair.
 * The search is resumable: `run` advances it by a number of steps, so partitions can take turns.
 */
class PartitionSearch<S, I, O> {
  verdict: true | false | 'running' = 'running';
  steps = 0;
  /** The most operations linearized on any path so far. */
  longestLinearized = 0;
  /** On the longest path: the first operation whose return was reached while it was still pending. */
  blocked: Operation<I, O> | undefined;

  private readonly head: Entry;
  private readonly linearized: Bitset;
  /** Dropped once the partition is decided, so finished partitions hold no memory. */
  private cache: ConfigurationCache<S> | null;
  private readonly path: Frame<S>[] = [];
  private state: S;
  private entry: Entry | null;

  constructor(private readonly model: Model<S, I, O>, private readonly operations: readonly Operation<I, O>[]) {
    this.head = buildEntryList(operations);
    this.linearized = new Bitset(operations.length);
    this.state = model.init();
    this.entry = this.head.next;
    if (this.head.next === null) this.verdict = true;
    this.cache = this.verdict === true ? null : new ConfigurationCache(model as Model<S, unknown, unknown>, this.linearized.words.length);
  }

  /** Runs at most `budget` more steps; returns the verdict, or 'running' when the budget ran out first. */
  run(budget: number): true | false | 'running' {
    const { head, linearized, path, model, operations } = this;
    const cache = this.cache;
    if (cache === null) return this.verdict;
    let { state, entry } = this;
    let remaining = budget;
    while (this.verdict === 'running') {
      if (remaining-- <= 0) break;
      this.steps++;
      if (entry === null) throw new Error('linearizability search: ran off the entry list (corrupt history)');
      if (entry.isCall) {
        const op = operations[entry.id];
        const result = model.step(state, op.input, op.output);
        let chosen: S | undefined;
        let hasChosen = false;
        let alternatives: S[] | null = null;
        linearized.toggle(entry.id);
        if (!Array.isArray(result)) {
          const single = result as { readonly ok: boolean; readonly next: S };
          if (single.ok && cache.add(linearized, single.next)) {
            chosen = single.next;
            hasChosen = true;
          }
        } else {
          for (const candidate of result as readonly S[]) {
            if (!cache.add(linearized, candidate)) continue;
            if (!hasChosen) {
              chosen = candidate;
              hasChosen = true;
            } else {
              (alternatives ??= []).push(candidate);
            }
          }
        }
        if (!hasChosen) linearized.toggle(entry.id);
        if (hasChosen) {
          path.push({ call: entry, stateBefore: state, alternatives });
          state = chosen as S;
          lift(entry);
          if (path.length > this.longestLinearized) {
            this.longestLinearized = path.length;
            this.blocked = undefined;
          }
          entry = head.next;
          if (entry === null) this.verdict = true;
        } else {
          entry = entry.next;
        }
      } else {
        // A return whose operation is still pending: it had to be linearized before this point.
        if (path.length === this.longestLinearized && this.blocked === undefined) this.blocked = operations[entry.id];
        const frame = path[path.length - 1];
        if (frame === undefined) {
          this.verdict = false;
          break;
        }
        unlift(frame.call);
        if (frame.alternatives !== null && frame.alternatives.length > 0) {
          // Same call, another state it may lead to (the pair is already cached as ours to explore).
          state = frame.alternatives.pop() as S;
          lift(frame.call);
          entry = head.next;
        } else {
          path.pop();
          state = frame.stateBefore;
          linearized.toggle(frame.call.id);
          entry = frame.call.next;
        }
      }
    }
    this.state = state;
    this.entry = entry;
    if (this.verdict !== 'running') this.cache = null;
    return this.verdict;
  }
}

/**
 * Builds the entry list behind a sentinel head, sorted by time; on equal times calls come before returns (closed
 * intervals: such operations count as concurrent), then by operation index, so the order is deterministic.
 */
function buildEntryList<I, O>(operations: readonly Operation<I, O>[]): Entry {
  const entries: Entry[] = [];
  operations.forEach((op, id) => {
    if (!(op.call <= op.returnAt)) {
      throw new Error(`operation ${id} (client ${op.clientId}): call ${op.call} is after its returnAt ${op.returnAt}`);
    }
    const ret: Entry = { id, time: op.returnAt, isCall: false, match: null, prev: null, next: null };
    entries.push({ id, time: op.call, isCall: true, match: ret, prev: null, next: null }, ret);
  });
  entries.sort((a, b) => {
    if (a.time !== b.time) return a.time < b.time ? -1 : 1;
    if (a.isCall !== b.isCall) return a.isCall ? -1 : 1;
    return a.id - b.id;
  });
  const head: Entry = { id: -1, time: Number.NEGATIVE_INFINITY, isCall: false, match: null, prev: null, next: null };
  let last = head;
  for (const e of entries) {
    last.next = e;
    e.prev = last;
    last = e;
  }
  return head;
}

/** Removes a call and its return from the list; they keep their own links, so `unlift` can put them back. */
function lift(call: Entry): void {
  call.prev!.next = call.next;
  call.next!.prev = call.prev;
  const ret = call.match!;
  ret.prev!.next = ret.next;
  if (ret.next !== null) ret.next.prev = ret.prev;
}

/** Undoes the matching `lift` (lifts and unlifts nest, so neighbours are restored in reverse order). */
function unlift(call: Entry): void {
  const ret = call.match!;
  ret.prev!.next = ret;
  if (ret.next !== null) ret.next.prev = ret;
  call.prev!.next = call;
  call.next!.prev = call;
}
