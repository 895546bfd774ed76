/**
 * The vocabulary of the linearizability checker: an operation of a history, a sequential specification
 * (the model) it is checked against, and the verdict.
 *
 * The shape follows Porcupine (anishathalye/porcupine, `model.go`): a model is a pure `step` over immutable
 * states with `equal` and `hash` for the search cache, plus an optional `partition` that splits a history into
 * independent sub-histories (P-compositionality, Horn & Kroening 2015, arXiv 1504.00204).
 */

/** An operation whose outcome is unknown returns at infinity: it may take effect at any time after its call. */
export const UNKNOWN_RETURN = Number.POSITIVE_INFINITY;

/**
 * One operation of a history. `call` and `returnAt` are positions on one real-time axis (virtual ms, or the
 * index of the event in its file). Invariant: `call <= returnAt`.
 * Intervals are closed: an operation whose call equals another's return is concurrent with it (Porcupine's
 * convention), so histories whose clock cannot tell the two apart are never reported wrongly. Callers that
 * know the exact order (a trace lists its events in the order they happened) give every event its own time.
 */
export interface Operation<I, O> {
  /** The client (process) that ran it; used only in reports. */
  readonly clientId: string;
  readonly input: I;
  readonly output: O;
  readonly call: number;
  /** The return time, or `UNKNOWN_RETURN` when the outcome is unknown (Jepsen's `:info`, or no completion). */
  readonly returnAt: number;
}

/**
 * The result of one sequential step: `{ ok, next }` for a deterministic model, or the list of every state the
 * operation may lead to for a nondeterministic one (an empty list means the step is illegal).
 */
export type StepResult<S> = { readonly ok: boolean; readonly next: S } | readonly S[];

/** A sequential specification. Every function must be pure: the search calls them in any order, many times. */
export interface Model<S, I, O> {
  /** The state before any operation. */
  init(): S;
  /** Whether `input` may return `output` in `state`, and the state(s) after it. */
  step(state: S, input: I, output: O): StepResult<S>;
  equal(a: S, b: S): boolean;
  /** A 32-bit hash consistent with `equal`. */
  hash(state: S): number;
  /**
   * Splits a history into sub-histories that can be checked alone: the history is linearizable exactly when
   * every part is (P-compositionality). Absent: the history is checked whole.
   */
  partition?(operations: readonly Operation<I, O>[]): Partition<I, O>[];
  /** A one-line description of an operation, for failure reports. */
  describe?(operation: Operation<I, O>): string;
}

/** One independent part of a history and a label for reports (e.g. the keys it covers). */
export interface Partition<I, O> {
  readonly label: string;
  readonly operations: readonly Operation<I, O>[];
}

/** true: linearizable; false: not linearizable; 'undecided': the search ran out of its step budget. */
export type Verdict = true | false | 'undecided';

/** Why a history is not linearizable (or where the search gave up). */
export interface LinFailure {
  /** The label of the partition that failed. */
  readonly partition: string;
  /** Operations in that partition. */
  readonly operations: number;
  /** The most operations of that partition the search managed to linearize on any path. */
  readonly longestLinearized: number;
  /** The operation the longest path could not get past: nothing legal could be ordered before its return. */
  readonly blockedOperation?: string;
}

/** What a check found. */
export interface LinResult {
  readonly linearizable: Verdict;
  /** Operations checked (failed operations and reads that returned nothing are not counted). */
  readonly operations: number;
  readonly partitions: number;
  /** Search steps spent, over all partitions: a deterministic measure of effort. */
  readonly steps: number;
  /** Present when `linearizable` is false (the first failing partition) or 'undecided' (the first one undecided). */
  readonly failure?: LinFailure;
}
