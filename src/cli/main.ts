/**
 * Entry of the `flotilla` command. Each subcommand lives in its own module; this file only dispatches.
 * Returns the process exit code: 0 safe, 1 violation, 2 bad input.
 */
import { checkCommand } from './checkCommand.ts';
import { EXIT_BAD_INPUT, EXIT_SAFE, processIo, type Io } from './exitCodes.ts';
import { fuzzCommand } from './fuzzCommand.ts';
import { simCommand } from './simCommand.ts';

const USAGE = `usage: flotilla <command> [options]

commands:
  sim SCENARIO.json [--seed N] [--out TRACE.jsonl]   run a scenario, print a JSON summary
  fuzz [--seeds N] [--events M] [--nodes K] [--unsafe NAME] [--from-seed S] [--out-dir DIR] [--keep-going]
                                                      swarm-test the core
  check TRACE.jsonl                                   re-check a trace (or a Jepsen/EDN history) offline

options: --name value or --name=value, each at most once; -- ends the options
exit codes: 0 safe, 1 violation, 2 bad input
`;

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'sim':
      return simCommand(rest, io);
    case 'fuzz':
      return fuzzCommand(rest, io);
    case 'check':
      return checkCommand(rest, io);
    case '--help':
    case '-h':
    case 'help':
      io.stdout(USAGE);
      return EXIT_SAFE;
    case undefined:
      io.stderr(USAGE);
      return EXIT_BAD_INPUT;
    default:
      io.stderr(`flotilla: unknown command '${command}'\n${USAGE}`);
      return EXIT_BAD_INPUT;
  }
}
