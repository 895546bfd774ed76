/** Running the `flotilla` command in-process in tests, with its output captured. */
import type { Io } from '../../src/cli/exitCodes.ts';
import { main } from '../../src/cli/main.ts';

/** An Io whose stdout and stderr writes are kept, for a command function called directly. */
export function capture(): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), stderrIsTty: false };
}

/** `flotilla ...argv`: its exit code and everything it wrote. */
export async function flotilla(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture();
  const code = await main(argv, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}
