/**
 * Runtime invariant checks (in the spirit of TigerBeetle's assertions): the core checks the invariants its
 * comments state where the state changes, and throws at once rather than let a broken state spread. A host turns
 * the throw into a failed node (docs/workers.md). Checks are plain comparisons on the hot path; the message is
 * built only when one fails.
 */

/** An invariant of the core does not hold: a bug, never an input error. */
export class InvariantError extends Error {
  constructor(message: string) {
    super(`invariant violated: ${message}`);
    this.name = 'InvariantError';
  }
}

/** Throws an InvariantError with `message()` unless `condition` holds. Not for the hottest paths (it takes a closure). */
export function assert(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new InvariantError(message());
}
