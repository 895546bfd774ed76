import {
  casRegisterModel,
  checkOperations,
  looksLikeEdnKvHistory,
  looksLikeJepsenRegisterLog,
  parseEdnKvHistory,
  parseJepsenRegisterLog,
  stringRegisterModel,
  type CheckOptions,
  type LinResult,
} from '../check/index.ts';
import { EXIT_BAD_INPUT, EXIT_SAFE, EXIT_VIOLATION } from './exitCodes.ts';

/** What `flotilla check` prints and exits with for a history from another system. */
export interface ForeignHistoryReport {
  /** 0 linearizable, 1 not linearizable, 3 undecided (search budget spent), 2 unreadable. */
  readonly exitCode: number;
  /** One JSON line: `{"linearizable": true|false|"undecided", "operations": N, "ms": T}`, or `{"error": ...}`. */
  readonly output: string;
  /** For stderr: why the history is not linearizable, or where the search gave up. */
  readonly diagnostic?: string;
}

/** The search spent its step budget without a verdict (tests count it as a failure). */
export const EXIT_UNDECIDED = 3;

/**
 * Checks a Jepsen register log (`INFO  jepsen.util - P :TYPE :F VALUE` lines) against a CAS register, or a
 * Jepsen-style EDN key-value history (`{:process …, :type …, :f :get|:put|:append, :key …, :value …}` lines)
 * against string registers partitioned by key. Returns null when the text is neither format (so the caller can try
 * a Flotilla trace). Wall time is measured here, never in src/check, which stays deterministic. `options` sets the
 * search budget (the default suits every history in the shared corpus).
 */
export function checkForeignHistory(text: string, fileName: string, options: CheckOptions = {}): ForeignHistoryReport | null {
  const startMs = performance.now();
  let result: LinResult;
  try {
    if (looksLikeJepsenRegisterLog(text)) {
      result = checkOperations(casRegisterModel, parseJepsenRegisterLog(text), options);
    } else if (looksLikeEdnKvHistory(text)) {
      result = checkOperations(stringRegisterModel, parseEdnKvHistory(text), options);
    } else {
      return null;
    }
  } catch (error) {
    const message = `${fileName}: ${(error as Error).message}`;
    return { exitCode: EXIT_BAD_INPUT, output: JSON.stringify({ error: message }), diagnostic: message };
  }
  const ms = Math.round(performance.now() - startMs);
  return {
    exitCode: exitCodeOf(result),
    output: JSON.stringify({ linearizable: result.linearizable, operations: result.operations, ms }),
    ...(result.failure ? { diagnostic: describeFailure(fileName, result) } : {}),
  };
}

/** The exit code for a verdict (shared with the check of Flotilla traces). */
export function exitCodeOf(result: Pick<LinResult, 'linearizable'>): number {
  if (result.linearizable === true) return EXIT_SAFE;
  return result.linearizable === false ? EXIT_VIOLATION : EXIT_UNDECIDED;
}

/** A human-readable account of a failed or undecided check. */
export function describeFailure(fileName: string, result: LinResult): string {
  const failure = result.failure;
  if (!failure) return `${fileName}: linearizable`;
  const what = result.linearizable === false ? 'not linearizable' : 'undecided (search budget spent)';
  const blocked = failure.blockedOperation ? `; the longest linearization could not get past: ${failure.blockedOperation}` : '';
  return `${fileName}: ${what} in ${failure.partition} (${failure.operations} operations, at most ${failure.longestLinearized} linearized)${blocked}`;
}
