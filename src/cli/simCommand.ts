/**
 * `flotilla sim SCENARIO.json [--seed N] [--out TRACE.jsonl]`: validates the scenario (nothing runs on bad
 * input), runs it in-process, optionally writes the trace, prints one JSON summary
 * `{seed, events, until, leaders, violations, traceSha256}`.
 */
import { readFileSync } from 'node:fs';
import { MAX_SEED } from '../sim/prng.ts';
import { runScenario } from '../sim/run.ts';
import { parseScenario, ScenarioError } from '../sim/scenario.ts';
import { intFlag, parseArgs, UsageError } from './args.ts';
import { EXIT_BAD_INPUT, EXIT_SAFE, EXIT_VIOLATION, type Io } from './exitCodes.ts';
import { FileSink } from './fileSink.ts';

export function simCommand(argv: readonly string[], io: Io): number {
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
  let scenario;
  try {
    scenario = parseScenario(text, seed);
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    io.stderr(`flotilla sim: ${scenarioPath}: ${error.message}\n`);
    return EXIT_BAD_INPUT;
  }
  let sink: FileSink | undefined;
  try {
    sink = outPath === undefined ? undefined : new FileSink(outPath);
  } catch (error) {
    io.stderr(`flotilla sim: cannot write --out ${outPath}: ${(error as Error).message}\n`);
    return EXIT_BAD_INPUT;
  }
  let summary;
  try {
    summary = runScenario(scenario, { onLine: sink?.write }).summary;
  } catch (error) {
    // A node or the simulator threw: a defect, reported like a violation (the trace so far is kept).
    io.stderr(`flotilla sim: the run failed with an exception: ${(error as Error).stack ?? error}\n`);
    return EXIT_VIOLATION;
  } finally {
    sink?.close();
  }
  io.stdout(JSON.stringify(summary) + '\n');
  for (const v of summary.violations) {
    io.stderr(`flotilla sim: VIOLATION of ${v.invariant} at t=${v.t} ms (nodes ${v.nodes.join(', ')}, seed ${v.seed}): ${v.message}\n`);
  }
  return summary.violations.length > 0 ? EXIT_VIOLATION : EXIT_SAFE;
}
