/**
 * Entry of the `flotilla` command. Each subcommand lives in its own module; this file only dispatches.
 * Returns the process exit code.
 */
const USAGE = `usage: flotilla <command> [options]

commands:
  sim SCENARIO.json [--seed N] [--out TRACE.jsonl]   run a scenario, print a JSON summary
  fuzz [--seeds N] [--events M] [--nodes K] [--unsafe NAME] [--from-seed S]   swarm-test the core
  check TRACE.jsonl                                   re-check a trace or history offline
`;

export async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  process.stderr.write(`flotilla: unknown command '${command}'\n${USAGE}`);
  return 2;
}
