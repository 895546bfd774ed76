/**
 * `flotilla sim SCENARIO.json [--seed N] [--out TRACE.jsonl]`: validates the scenario (nothing runs on bad
 * input), runs it in-process, optionally writes the trace, prints one JSON summary
 * `{seed, events, until, leaders, violations, traceSha256}`, plus, when the run has client operations, the
 * verdicts `flotilla check` gives on the same trace (`linearizable`, `operations`, `revisionOrder`,
 * `watchStreams`, and `clientProblems` when one fails). Exit 0 safe, 1 a violation or a failed client check,
 * 2 bad input, 3 linearizability undecided (as `flotilla check`).
 */
import { readFileSync } from 'node:fs';
import { MAX_SEED } from '../sim/index.ts';
import { runScenario, type RunSummary } from '../sim/index.ts';
import { parseScenario, type ResolvedScenario } from '../sim/index.ts';
import { FieldError } from '../etcd/index.ts';
import { ClientHistoryCollector, clientHistoryOk, type ClientHistoryVerdict } from '../etcd/index.ts';
import { intFlag, parseArgs, UsageError } from './args.ts';
import { EXIT_UNDECIDED } from './checkHistory.ts';
import { EXIT_BAD_INPUT, EXIT_SAFE, EXIT_VIOLATION, type Io } from './exitCodes.ts';
import { FileSink } from './fileSink.ts';

/** Runs a scenario (injectable so tests can hand the command a run whose trace they altered). */
export type ScenarioRunner = typeof runScenario;

/** A scenario read and validated, and where its trace goes. */
interface SimInput {
  readonly scenarioPath: string;
  readonly scenario: ResolvedScenario;
  readonly outPath: string | undefined;
}

export function simCommand(argv: readonly string[], io: Io, run: ScenarioRunner = runScenario): number {
  const input = readInput(argv, io);
  if (typeof input === 'number') return input;
  const { scenario, outPath } = input;
  let sink: FileSink | undefined;
  try {
    sink = outPath === undefined ? undefined : new FileSink(outPath);
  } catch (error) {
    io.stderr(`flotilla sim: cannot write --out ${outPath}: ${(error as Error).message}\n`);
    return EXIT_BAD_INPUT;
  }
  let summary;
  // The client checks read the trace's own lines, as `flotilla check` reads the file: one verdict for both.
  const clients = new ClientHistoryCollector();
  const onLine = (line: string): void => {
    sink?.write(line);
    clients.onLine(line);
  };
  try {
    summary = run(scenario, { onLine }).summary;
  } catch (error) {
    // A node or the simulator threw: a defect, reported like a violation (the trace so far is kept).
    io.stderr(`flotilla sim: the run failed with an exception: ${(error as Error).stack ?? error}\n`);
    return EXIT_VIOLATION;
  } finally {
    sink?.close();
  }
  return report(summary, clients, input.scenarioPath, io);
}

/** The arguments, the scenario file read and validated (nothing runs on bad input), or the exit code of bad input. */
function readInput(argv: readonly string[], io: Io): SimInput | number {
  let scenarioPath: string;
  let seed: number | undefined;
  let outPath: string | undefined;
  try {
    const args = parseArgs(argv, ['seed', 'out']);
    if (args.positional.length !== 1) throw new UsageError('expected exactly one SCENARIO.json');
    scenarioPath = args.positional[0]!;
    seed = args.flags.has('seed') ? intFlag(args, 'seed', 0, 0, MAX_SEED) : undefined;
    outPath = args.flags.get('out');
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`flotilla sim: ${error.message}\nusage: flotilla sim SCENARIO.json [--seed N] [--out TRACE.jsonl]\n`);
    return EXIT_BAD_INPUT;
  }
  let text: string;
  try {
    text = readFileSync(scenarioPath, 'utf8');
  } catch (error) {
    io.stderr(`flotilla sim: cannot read ${scenarioPath}: ${(error as Error).message}\n`);
    return EXIT_BAD_INPUT;
  }
  try {
    return { scenarioPath, scenario: parseScenario(text, seed), outPath };
  } catch (error) {
    if (!(error instanceof FieldError)) throw error;
    io.stderr(`flotilla sim: ${scenarioPath}: ${error.message}\n`);
    return EXIT_BAD_INPUT;
  }
}

/** Prints the summary (with the client verdicts when the run had clients) and the violations; the exit code. */
function report(summary: RunSummary, clients: ClientHistoryCollector, scenarioPath: string, io: Io): number {
  let verdict: ClientHistoryVerdict | undefined;
  if (clients.hasClientEvents) {
    try {
      verdict = clients.check();
    } catch (error) {
      // The run wrote a client event the checker cannot read: a defect, reported like a violation.
      io.stdout(JSON.stringify(summary) + '\n');
      io.stderr(`flotilla sim: the run's client history is unreadable: ${(error as Error).message}\n`);
      return EXIT_VIOLATION;
    }
  }
  const out = verdict === undefined ? summary : {
    ...summary,
    linearizable: verdict.linearizable,
    operations: verdict.operations,
    revisionOrder: verdict.revisionOrder,
    watchStreams: verdict.watchStreams,
    ...(verdict.problems.length > 0 ? { clientProblems: verdict.problems } : {}),
  };
  io.stdout(JSON.stringify(out) + '\n');
  for (const v of summary.violations) {
    io.stderr(`flotilla sim: VIOLATION of ${v.invariant} at t=${v.t} ms (nodes ${v.nodes.join(', ')}, seed ${v.seed}): ${v.message}\n`);
  }
  for (const problem of verdict?.problems ?? []) io.stderr(`flotilla sim: ${scenarioPath} (seed ${summary.seed}): ${problem}\n`);
  if (summary.violations.length > 0) return EXIT_VIOLATION;
  if (verdict === undefined || clientHistoryOk(verdict)) return EXIT_SAFE;
  // A failed revision order or watch check is a violation even when the search is undecided.
  return verdict.linearizable === 'undecided' && verdict.revisionOrder && verdict.watchStreams ? EXIT_UNDECIDED : EXIT_VIOLATION;
}
