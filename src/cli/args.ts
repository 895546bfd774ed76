/**
 * Flag parsing for the `flotilla` subcommands, on `node:util`'s parseArgs: `--name value` (or `--name=value`)
 * flags, `--switch`es, positional arguments, and `--` to end the options. parseArgs runs non-strict and this
 * module judges its tokens, so every error names the flag in the CLI's own words (exit code 2, bad input), and a
 * flag given twice is refused instead of the last one winning.
 */
import { parseArgs as parseTokens } from 'node:util';

/** Bad command-line input: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface ParsedArgs {
  readonly positional: string[];
  readonly flags: Map<string, string>;
  /** The switches given (flags without a value). */
  readonly switches: Set<string>;
}

/**
 * Splits argv into positionals, `--flag value` pairs (every flag in `known`) and `--switch`es (in `knownSwitches`,
 * no value). A single-dash argument (`-`, `-x`) is a positional, as a file may be named so.
 */
export function parseArgs(argv: readonly string[], known: readonly string[], knownSwitches: readonly string[] = []): ParsedArgs {
  const options = Object.fromEntries([
    ...known.map((name) => [name, { type: 'string' as const }]),
    ...knownSwitches.map((name) => [name, { type: 'boolean' as const }]),
  ]);
  const { tokens } = parseTokens({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const positional: string[] = [];
  const flags = new Map<string, string>();
  const switches = new Set<string>();
  let shortIndex = -1;
  for (const token of tokens) {
    if (token.kind === 'positional') positional.push(token.value);
    else if (token.kind === 'option' && !token.rawName.startsWith('--')) {
      // parseArgs splits `-xy` into one token per letter, all at the argument's index: keep the argument once.
      if (token.index !== shortIndex) positional.push(argv[token.index]!);
      shortIndex = token.index;
    } else if (token.kind === 'option') {
      const name = token.name;
      if (knownSwitches.includes(name)) {
        if (token.value !== undefined) throw new UsageError(`--${name} takes no value`);
        if (switches.has(name)) throw new UsageError(`--${name} given twice`);
        switches.add(name);
        continue;
      }
      const all = [...known, ...knownSwitches];
      if (!known.includes(name)) throw new UsageError(`unknown option --${name} (known: ${all.map((k) => '--' + k).join(', ')})`);
      if (token.value === undefined) throw new UsageError(`--${name} needs a value`);
      if (flags.has(name)) throw new UsageError(`--${name} given twice`);
      flags.set(name, token.value);
    }
  }
  return { positional, flags, switches };
}

/** Reads an integer flag in [min, max], or `fallback` when absent. */
export function intFlag(args: ParsedArgs, name: string, fallback: number, min: number, max: number): number {
  const raw = args.flags.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value)) throw new UsageError(`--${name} must be an integer, got '${raw}'`);
  if (value < min || value > max) throw new UsageError(`--${name} must be in [${min}, ${max}], got ${value}`);
  return value;
}
