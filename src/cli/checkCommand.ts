/**
 * `flotilla check FILE`: re-checks a Flotilla trace offline with the simulator's invariant checker (and, when
 * it holds client operations, their linearizability); any other file goes to checkForeignHistory (Jepsen logs,
 * EDN histories). Exit 0 safe, 1 violation, 2 unreadable or unknown format (3: linearizability undecided).
 */
import { readFileSync } from 'node:fs';
import { hasClientEvents } from '../check/index.ts';
import { checkTrace, looksLikeTrace, TraceFormatError } from '../sim/index.ts';
import { checkClientHistory, clientHistoryOk } from '../etcd/index.ts';
import { checkForeignHistory, EXIT_UNDECIDED } from './checkHistory.ts';
import { parseArgs, UsageError } from './args.ts';
import { EXIT_BAD_INPUT, EXIT_SAFE, EXIT_VIOLATION, type Io } from './exitCodes.ts';

export function checkCommand(argv: readonly string[], io: Io): number {
  let file: string;
  try {
    const args = parseArgs(argv, []);
    if (args.positional.length !== 1) throw new UsageError('expected exactly one file');
    file = args.positional[0]!;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`flotilla check: ${error.message}\nusage: flotilla check TRACE.jsonl\n`);
    return EXIT_BAD_INPUT;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    io.stderr(`flotilla check: cannot read ${file}: ${(error as Error).message}\n`);
    return EXIT_BAD_INPUT;
  }
  if (looksLikeTrace(text)) return checkFlotillaTrace(text, file, io);
  const foreign = checkForeignHistory(text, file);
  if (foreign) {
    io.stdout(foreign.output + '\n');
    if (foreign.diagnostic) io.stderr(foreign.diagnostic + '\n');
    return foreign.exitCode;
  }
  io.stderr(`flotilla check: ${file}: not a Flotilla trace (its first line must be {"type":"header","format":"flotilla-trace",...}) nor a Jepsen or EDN history\n`);
  return EXIT_BAD_INPUT;
}

function checkFlotillaTrace(text: string, file: string, io: Io): number {
  let report;
  try {
    report = checkTrace(text);
  } catch (error) {
    if (!(error instanceof TraceFormatError)) throw error;
    io.stderr(`flotilla check: ${file}: ${error.message}\n`);
    return EXIT_BAD_INPUT;
  }
  const violations = report.violation ? [{ ...report.violation, seed: report.header.seed }] : [];
  const out: Record<string, unknown> = { seed: report.header.seed, events: report.events, violations };
  let exitCode = violations.length > 0 ? EXIT_VIOLATION : EXIT_SAFE;
  if (hasClientEvents(report.parsed.events)) {
    try {
      // The same checks `flotilla sim` runs on the trace it writes (src/etcd/client/clientHistoryCheck.ts).
      const verdict = checkClientHistory(report.parsed.events);
      out.linearizable = verdict.linearizable;
      out.operations = verdict.operations;
      out.revisionOrder = verdict.revisionOrder;
      out.watchStreams = verdict.watchStreams;
      for (const problem of verdict.problems) io.stderr(`flotilla check: ${file}: ${problem}\n`);
      if (exitCode === EXIT_SAFE && !clientHistoryOk(verdict)) {
        exitCode = verdict.linearizable === 'undecided' && verdict.revisionOrder && verdict.watchStreams ? EXIT_UNDECIDED : EXIT_VIOLATION;
      }
    } catch (error) {
      io.stderr(`flotilla check: ${file}: ${(error as Error).message}\n`);
      return EXIT_BAD_INPUT;
    }
  }
  io.stdout(JSON.stringify(out) + '\n');
  for (const v of violations) {
    io.stderr(`flotilla check: VIOLATION of ${v.invariant} at t=${v.t} ms (nodes ${v.nodes.join(', ')}): ${v.message}\n`);
  }
  return exitCode;
}
