/** The `flotilla` exit codes (docs/scenarios.md, docs/linearizability.md): 0 safe, 1 a violation (or a failed check), 2 bad input. */
export const EXIT_SAFE = 0;
export const EXIT_VIOLATION = 1;
export const EXIT_BAD_INPUT = 2;

/** Where a command writes: injectable so tests run commands in-process. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress lines are redrawn in place only there). */
  readonly stderrIsTty: boolean;
}

export const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTty: Boolean(process.stderr.isTTY),
};
