/**
 * Minimal flag parsing for the `flotilla` subcommands: `--name value` pairs and positional arguments.
 * Errors name the flag (exit code 2, bad input).
 */

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
 * no value).
 */
export function parseArgs(argv: readonly string[], known: readonly string[], knownSwitches: readonly string[] = []): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (knownSwitches.includes(name)) {
      if (eq > 0) throw new UsageError(`--${name} takes no value`);
      if (switches.has(name)) throw new UsageError(`--${name} given twice`);
      switches.add(name);
      continue;
    }
    const all = [...known, ...knownSwitches];
    if (!known.includes(name)) throw new UsageError(`unknown option --${name} (known: ${all.map((k) => '--' + k).join(', ')})`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (flags.has(name)) throw new UsageError(`--${name} given twice`);
    flags.set(name, value);
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
