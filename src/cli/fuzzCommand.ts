/**
 * `flotilla fuzz [--seeds N] [--events M] [--nodes K] [--unsafe NAME] [--from-seed S] [--out-dir DIR] [--keep-going]`:
 * swarm-tests the core (sim/fuzz/fuzz.ts) seed after seed, with a progress line on stderr. On the first failing
 * seed it prints the seed, the drawn options and the command that reproduces it, writes the trace and a
 * replay scenario, and exits 1; with --keep-going it reports every failing seed that way, runs them all, and
 * exits 1 at the end if any failed. The JSON summary on stdout counts what the seeds drew (`drawn`).
 */
import path from 'node:path';
import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { UNSAFE_NAMES, type UnsafeName } from '../raft/index.ts';
import { CLIENT_OP_BOUND_ET } from '../sim/index.ts';
import { CONVERGENCE_BOUND_ET, LEADER_BOUND_ET, runFuzzSeed, type FuzzResult } from '../sim/index.ts';
import { MAX_SEED } from '../sim/index.ts';
import { replayScenario } from '../sim/index.ts';
import { runScenario } from '../sim/index.ts';
import { MAX_NODES, resolveScenario } from '../sim/index.ts';
import { intFlag, parseArgs, UsageError } from './args.ts';
import { EXIT_BAD_INPUT, EXIT_SAFE, EXIT_VIOLATION, type Io } from './exitCodes.ts';
import { FileSink } from './fileSink.ts';

const USAGE = 'usage: flotilla fuzz [--seeds N] [--events M] [--nodes K] [--unsafe NAME] [--from-seed S] [--out-dir DIR] [--keep-going]';

interface FuzzSettings {
  readonly seeds: number;
  readonly events: number;
  readonly fromSeed: number;
  readonly nodes?: number;
  readonly unsafe?: UnsafeName;
  readonly outDir: string;
  /** Run every seed and report every failure (default: stop at the first). */
  readonly keepGoing: boolean;
}

function readSettings(argv: readonly string[]): FuzzSettings {
  const args = parseArgs(argv, ['seeds', 'events', 'nodes', 'unsafe', 'from-seed', 'out-dir'], ['keep-going']);
  if (args.positional.length > 0) throw new UsageError(`unexpected argument '${args.positional[0]}'`);
  const unsafe = args.flags.get('unsafe');
  if (unsafe !== undefined && !(UNSAFE_NAMES as readonly string[]).includes(unsafe)) {
    throw new UsageError(`--unsafe must be one of ${UNSAFE_NAMES.join(', ')}, got '${unsafe}'`);
  }
  const seeds = intFlag(args, 'seeds', 100, 1, 100_000_000);
  const fromSeed = intFlag(args, 'from-seed', 1, 0, MAX_SEED);
  // The last seed run is fromSeed + seeds - 1; past MAX_SEED the PRNG throws (a stack trace after the first seeds).
  if (fromSeed > MAX_SEED - (seeds - 1)) {
    throw new UsageError(`--from-seed ${fromSeed} with --seeds ${seeds} goes past the last seed ${MAX_SEED}`);
  }
  return {
    seeds,
    events: intFlag(args, 'events', 20_000, 1, 1_000_000_000),
    fromSeed,
    nodes: args.flags.has('nodes') ? intFlag(args, 'nodes', 5, 1, MAX_NODES) : undefined,
    unsafe: unsafe as UnsafeName | undefined,
    outDir: outDirFlag(args.flags.get('out-dir') ?? '.'),
    keepGoing: args.switches.has('keep-going'),
  };
}

/**
 * --out-dir must be a writable directory, checked before any seed runs: a failing seed's trace and replay are
 * written there, and a bad directory found only then ended the run in a stack trace (ENOENT).
 */
function outDirFlag(dir: string): string {
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (stat === undefined) throw new UsageError(`--out-dir ${dir}: no such directory`);
  if (!stat.isDirectory()) throw new UsageError(`--out-dir ${dir}: not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(`--out-dir ${dir}: not writable`);
  }
  return dir;
}

/** The one command that reruns exactly this seed. */
export function reproduceCommand(seed: number, s: FuzzSettings): string {
  let cmd = `npx flotilla fuzz --from-seed ${seed} --seeds 1 --events ${s.events}`;
  if (s.nodes !== undefined) cmd += ` --nodes ${s.nodes}`;
  if (s.unsafe !== undefined) cmd += ` --unsafe ${s.unsafe}`;
  return cmd;
}

export function fuzzCommand(argv: readonly string[], io: Io): number {
  let s: FuzzSettings;
  try {
    s = readSettings(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`flotilla fuzz: ${error.message}\n${USAGE}\n`);
    return EXIT_BAD_INPUT;
  }
  const startMs = performance.now();
  let events = 0;
  let clientOperations = 0;
  // Recipes (docs/recipes.md): cron runs and refused runs, and the double-belief windows measured.
  const recipes = { seeds: 0, runs: 0, refused: 0, leadershipOverlaps: 0 };
  let lastProgressMs = 0;
  const progress = (seed: number, done: number, final: boolean): void => {
    const nowMs = performance.now();
    if (!final && nowMs - lastProgressMs < (io.stderrIsTty ? 100 : 2000)) return;
    lastProgressMs = nowMs;
    const line = `fuzz: seed ${seed} (${done}/${s.seeds})  ${events.toLocaleString('en-US')} events  ${((nowMs - startMs) / 1000).toFixed(1)} s`;
    io.stderr(io.stderrIsTty ? `\r${line}${final ? '\n' : ''}` : `${line}\n`);
  };
  const drawn = new DrawnCounts();
  const failed: number[] = [];
  for (let i = 0; i < s.seeds; i++) {
    const seed = s.fromSeed + i;
    const result = runFuzzSeed(seed, { events: s.events, nodes: s.nodes, unsafe: s.unsafe ? [s.unsafe] : undefined });
    events += result.events;
    clientOperations += result.clientOperations ?? 0;
    drawn.add(result);
    if (result.recipes) {
      recipes.seeds++;
      recipes.runs += result.recipeRuns ?? 0;
      recipes.refused += result.recipeRefused ?? 0;
      recipes.leadershipOverlaps += result.leadershipOverlaps ?? 0;
    }
    progress(seed, i + 1, !result.ok || i + 1 === s.seeds);
    if (!result.ok) {
      failed.push(seed);
      const report = reportFailure(result, s, io);
      if (!s.keepGoing) return report;
    }
  }
  io.stdout(JSON.stringify({
    ok: failed.length === 0, seeds: s.seeds, fromSeed: s.fromSeed, ...(s.keepGoing ? { failed } : {}), events, clientOperations, recipes,
    drawn: drawn.summary(),
    livenessBoundsEt: { leader: LEADER_BOUND_ET, converged: CONVERGENCE_BOUND_ET, clientOperation: CLIENT_OP_BOUND_ET },
  }) + '\n');
  return failed.length === 0 ? EXIT_SAFE : EXIT_VIOLATION;
}

/**
 * What the seeds drew: seeds per read mode, per client workload, and per fault kind (seeds that scheduled at
 * least one such fault), with the faults' total count next to it (`faultsScheduled`).
 */
class DrawnCounts {
  private readonly readOnly: Record<string, number> = {};
  private readonly clients: Record<string, number> = {};
  private readonly faultSeeds: Record<string, number> = {};
  private readonly faultTotals: Record<string, number> = {};

  add(result: FuzzResult): void {
    const d = result.drawn;
    bump(this.readOnly, d.readOnly, 1);
    bump(this.clients, d.clients, 1);
    for (const [kind, count] of Object.entries(d.faults)) {
      bump(this.faultSeeds, kind, 1);
      bump(this.faultTotals, kind, count);
    }
  }

  summary(): Record<string, Record<string, number>> {
    const sorted = (r: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)));
    return { readOnly: sorted(this.readOnly), clients: sorted(this.clients), faults: sorted(this.faultSeeds), faultsScheduled: sorted(this.faultTotals) };
  }
}

function bump(record: Record<string, number>, key: string, by: number): void {
  record[key] = (Object.hasOwn(record, key) ? record[key]! : 0) + by;
}

/** Prints what failed and how to reproduce it, writes the trace and the replay scenario. */
function reportFailure(result: FuzzResult, s: FuzzSettings, io: Io): number {
  const seed = result.seed;
  const what = result.error
    ? `exception: ${result.error}`
    : result.violation
      ? `${result.violation.invariant} at t=${result.violation.t} ms (nodes ${result.violation.nodes.join(', ')}): ${result.violation.message}`
      : result.clientFailure
        ? `clients: ${result.clientFailure}`
        : `liveness: ${result.livenessFailure}`;
  const replay = replayScenario(result);
  const scenarioPath = path.join(s.outDir, `fuzz-seed-${seed}.scenario.json`);
  const tracePath = path.join(s.outDir, `fuzz-seed-${seed}.jsonl`);
  writeFileSync(scenarioPath, JSON.stringify(replay, null, 2) + '\n');
  // The trace is the replay's: `flotilla sim` on the scenario file writes these very bytes.
  const sink = new FileSink(tracePath);
  let traceSha256 = 'none: the replay threw too';
  try {
    traceSha256 = runScenario(resolveScenario(replay), { onLine: sink.write }).summary.traceSha256;
  } catch {
    // An exception ends the trace where it happened; the file keeps everything up to it.
  } finally {
    sink.close();
  }
  io.stderr(
    `flotilla fuzz: seed ${seed} FAILED: ${what}\n` +
    `  options: ${JSON.stringify(result.options)}\n` +
    `  reproduce: ${reproduceCommand(seed, s)}\n` +
    `  trace: ${tracePath} (sha256 ${traceSha256})\n` +
    `  replay: npx flotilla sim ${scenarioPath}\n`,
  );
  io.stdout(JSON.stringify({
    ok: false, seed, violation: result.violation ?? null, liveness: result.livenessFailure ?? null, error: result.error ?? null,
    clients: result.clientFailure ?? null,
    options: result.options, reproduce: reproduceCommand(seed, s), trace: tracePath, scenario: scenarioPath,
  }) + '\n');
  return EXIT_VIOLATION;
}
