/**
 * The checks of a run's client history, shared by `flotilla sim` (on the trace it writes) and `flotilla check`
 * (on a trace file), so the two give the same verdict on the same trace (docs/trace-format.md, "Checking a
 * trace"; docs/clients.md, "What is checked"):
 * - linearizability of the key-value operations against the etcd model (src/check/traceHistory.ts);
 * - revision order: no client sees the store's revision go back;
 * - watch streams: every watch delivers the committed changes in order, without gap or duplicate.
 */
import { checkTraceHistory, type CheckOptions } from '../../check/index.ts';
import { checkWatchStreams } from './watchCheck.ts';

/** The verdict on a client history, with one line per problem found. */
export interface ClientHistoryVerdict {
  readonly linearizable: boolean | 'undecided';
  /** Key-value operations checked for linearizability. */
  readonly operations: number;
  readonly revisionOrder: boolean;
  readonly watchStreams: boolean;
  /** Why the history fails (at most a few lines per check), empty when it passes. */
  readonly problems: readonly string[];
}

/** Problems reported per check: the first few tell what went wrong; the rest add nothing a reader uses. */
const MAX_PROBLEMS_PER_CHECK = 3;

/**
 * Checks the client events among `events` (parsed trace lines without the header; other events are skipped).
 * `lineOf` turns a 1-based position in `events` into the trace line it came from, for messages. Throws, naming
 * the line and field, when a client event is malformed.
 */
export function checkClientHistory(
  events: readonly object[],
  lineOf: (position: number) => number = (position) => position + 1,
  options: CheckOptions = {},
): ClientHistoryVerdict {
  let lin;
  try {
    lin = checkTraceHistory(events, options);
  } catch (error) {
    // The history reader names the event by its position in `events`: name the trace line instead.
    throw new Error((error as Error).message.replace(/^event (\d+):/, (_, n: string) => `line ${lineOf(Number(n))}:`));
  }
  const watches = checkWatchStreams(events);
  const problems: string[] = [];
  if (lin.linearizable !== true && lin.failure) {
    const f = lin.failure;
    const what = lin.linearizable === false ? 'not linearizable' : 'undecided (search budget spent)';
    const blocked = f.blockedOperation ? `; the longest linearization could not get past: ${f.blockedOperation}` : '';
    problems.push(`client history ${what} in ${f.partition} (${f.operations} operations, at most ${f.longestLinearized} linearized)${blocked}`);
  }
  for (const r of lin.revisionOrder.regressions.slice(0, MAX_PROBLEMS_PER_CHECK)) {
    problems.push(`client ${r.client} saw the revision go back from ${r.previous} to ${r.revision} (operation ${r.id}, line ${lineOf(r.event)})`);
  }
  problems.push(...watches.problems.slice(0, MAX_PROBLEMS_PER_CHECK));
  return {
    linearizable: lin.linearizable,
    operations: lin.operations,
    revisionOrder: lin.revisionOrder.ok,
    watchStreams: watches.ok,
    problems,
  };
}

/** Whether the history passes every check (an undecided search does not pass). */
export function clientHistoryOk(verdict: ClientHistoryVerdict): boolean {
  return verdict.linearizable === true && verdict.revisionOrder && verdict.watchStreams;
}

/**
 * The trace event types the client checks read; every other event is skipped by them. A line that may be one is
 * parsed and its top-level `type` decides (the pattern does not rely on the writer's key order).
 */
const CHECKED_TYPES = new Set(['client', 'apply', 'lease', 'watch']);
const MAYBE_CHECKED_LINE = /"type":"(client|apply|lease|watch)"/;

/**
 * Keeps, from the lines of a trace being written, the events the client checks read (client, lease and watch
 * events, and the first `apply` of each index: the committed log the watch check replays), with their line
 * numbers. Memory grows with the client history and the log, not with messages and ticks.
 */
export class ClientHistoryCollector {
  readonly events: object[] = [];
  private readonly lines: number[] = [];
  private lineNo = 0;
  private readonly applied = new Set<number>();
  private clientEvents = 0;

  /** Takes one trace line (the header first), as TraceWriter hands it out. */
  readonly onLine = (line: string): void => {
    this.lineNo++;
    if (!MAYBE_CHECKED_LINE.test(line)) return;
    const event = JSON.parse(line) as { type: unknown; index?: unknown };
    if (typeof event.type !== 'string' || !CHECKED_TYPES.has(event.type)) return;
    if (event.type === 'apply') {
      if (typeof event.index !== 'number' || this.applied.has(event.index)) return;
      this.applied.add(event.index);
    }
    if (event.type === 'client') this.clientEvents++;
    this.events.push(event);
    this.lines.push(this.lineNo);
  };

  /** Whether the run had any client operation (a run without clients has no history to check). */
  get hasClientEvents(): boolean {
    return this.clientEvents > 0;
  }

  /** The trace line of the event at 1-based `position` in `events`. */
  readonly lineOf = (position: number): number => this.lines[position - 1] ?? 0;

  check(options: CheckOptions = {}): ClientHistoryVerdict {
    return checkClientHistory(this.events, this.lineOf, options);
  }
}
