import { Bitset } from './bitset.ts';
import { combineHash } from './hashing.ts';
import type { LinFailure, LinResult, Model, Operation, Partition, StepResult } from './model.ts';

/** Options of a check. */
export interface CheckOptions {
  /**
   * The most search steps spent on any one partition before it is declared undecided. A step is one visit of a
   * call or return entry, so the budget (unlike a wall-clock timeout) gives the same verdict on every machine.
   */
  readonly maxStepsPerPartition?: number;
}

/** Enough for every history in the shared corpus many times over, small enough to end in seconds. */
export const DEFAULT_MAX_STEPS_PER_PARTITION = 50_000_000;

/**
 * Checks a history against a model: partitions it when the model can (P-compositionality), then searches each
 * part for a linearization. The first part found not linearizable decides the verdict; otherwise any part left
 * undecided makes the whole undecided.
 */
export function checkOperations<S, I, O>(
  model: Model<S, I, O>,
  operations: readonly Operation<I, O>[],
  options: CheckOptions = {},
): LinResult {
  const maxSteps = options.maxStepsPerPartition ?? DEFAULT_MAX_STEPS_PER_PARTITION;
  const partitions: Partition<I, O>[] = model.partition
    ? model.partition(operations)
    : [{ label: 'all', operations }];
  let steps = 0;
  let undecided: LinFailure | undefined;
  for (const part of partitions) {
    const outcome = searchPartition(model, part.operations, maxSteps);
    steps += outcome.steps;
    if (outcome.verdict === true) continue;
    const failure: LinFailure = {
      partition: part.label,
      operations: part.operations.length,
      longestLinearized: outcome.longestLinearized,
      ...(outcome.blocked ? { blockedOperation: describe(model, outcome.blocked) } : {}),
    };
    if (outcome.verdict === false) {
      return { linearizable: false, operations: operations.length, partitions: partitions.length, steps, failure };
    }
    undecided ??= failure;
  }
  return {
    linearizable: undecided ? 'undecided' : true,
    operations: operations.length,
    partitions: partitions.length,
    steps,
    ...(undecided ? { failure: undecided } : {}),
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
  /** States not yet explored for this call (nondeterministic models only). */
  readonly alternatives: S[];
}

interface CacheEntry<S> {
  readonly linearized: Uint32Array;
  readonly state: S;
}

interface PartitionOutcome<I, O> {
  readonly verdict: true | false | 'undecided';
  readonly steps: number;
  readonly longestLinearized: number;
  readonly blocked?: Operation<I, O>;
}

/**
 * Lowe's just-in-time linearization (a Wing & Gong search; Lowe 2017, "Testing for linearizability"), as Porcupine's
 * `checkSingle` does it: walk the entries in real-time order; at a call, try to linearize that operation now
 * (step the model, then "lift" its call and return out of the list and restart from the head); at a return, the
 * operation was not linearized before its return, so undo the last choice ("unlift") and try the next entry.
 * A cache of (linearized set, state) pairs already explored prunes every path that reaches a configuration seen
 * before: what remains to linearize depends only on that pair.
 */
function searchPartition<S, I, O>(
  model: Model<S, I, O>,
  operations: readonly Operation<I, O>[],
  maxSteps: number,
): PartitionOutcome<I, O> {
  const head = buildEntryList(operations);
  const linearized = new Bitset(operations.length);
  const cache = new Map<number, CacheEntry<S>[]>();
  const path: Frame<S>[] = [];
  let state = model.init();
  let entry: Entry | null = head.next;
  let steps = 0;
  let longest = 0;
  let blocked: Operation<I, O> | undefined;

  // Records (linearized, candidate) in the cache; false when that configuration was reached before.
  const remember = (candidate: S): boolean => {
    const key = combineHash(linearized.hash, model.hash(candidate));
    const bucket = cache.get(key);
    if (bucket === undefined) {
      cache.set(key, [{ linearized: linearized.snapshot(), state: candidate }]);
      return true;
    }
    for (const seen of bucket) {
      if (linearized.equals(seen.linearized) && model.equal(seen.state, candidate)) return false;
    }
    bucket.push({ linearized: linearized.snapshot(), state: candidate });
    return true;
  };

  while (head.next !== null) {
    if (++steps > maxSteps) return { verdict: 'undecided', steps: maxSteps, longestLinearized: longest, blocked };
    if (entry === null) throw new Error('linearizability search: ran off the entry list (corrupt history)');
    if (entry.isCall) {
      const op = operations[entry.id];
      const candidates = nextStates(model.step(state, op.input, op.output));
      let chosen: S | undefined;
      let chosenAny = false;
      const alternatives: S[] = [];
      if (candidates.length > 0) {
        linearized.toggle(entry.id);
        for (const candidate of candidates) {
          if (!remember(candidate)) continue;
          if (chosenAny) alternatives.push(candidate);
          else {
            chosen = candidate;
            chosenAny = true;
          }
        }
        if (!chosenAny) linearized.toggle(entry.id);
      }
      if (chosenAny) {
        path.push({ call: entry, stateBefore: state, alternatives });
        state = chosen as S;
        lift(entry);
        if (path.length > longest) {
          longest = path.length;
          blocked = undefined;
        }
        entry = head.next;
      } else {
        entry = entry.next;
      }
    } else {
      // A return whose operation is still pending: it had to be linearized before this point.
      if (path.length === longest && blocked === undefined) blocked = operations[entry.id];
      const frame = path[path.length - 1];
      if (frame === undefined) return { verdict: false, steps, longestLinearized: longest, blocked };
      unlift(frame.call);
      if (frame.alternatives.length > 0) {
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
  return { verdict: true, steps, longestLinearized: operations.length };
}

function nextStates<S>(result: StepResult<S>): readonly S[] {
  if (Array.isArray(result)) return result as readonly S[];
  const single = result as { readonly ok: boolean; readonly next: S };
  return single.ok ? [single.next] : [];
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
