/**
 * The console's words and arguments: splitting a line into words (quotes keep spaces), separating positionals
 * from the flags a command accepts, and the checks every command makes of its arguments, each failing with a
 * ParseError that names the bad argument. Pure.
 */

/** A line the console cannot read; the message names the bad argument. */
export class ParseError extends Error {}

/**
 * Splits a line into words: whitespace separates, "double" or 'single' quotes keep spaces (and may be empty).
 * Throws on an unterminated quote.
 */
export function tokenize(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length) break;
    let word = '';
    while (i < line.length && !/\s/.test(line[i])) {
      const ch = line[i];
      if (ch === '"' || ch === "'") {
        const end = line.indexOf(ch, i + 1);
        if (end < 0) throw new ParseError(`unterminated ${ch} quote at column ${i + 1}`);
        word += line.slice(i + 1, end);
        i = end + 1;
      } else {
        word += ch;
        i++;
      }
    }
    words.push(word);
  }
  return words;
}

/** A command's arguments: its positionals in order, and its flags (true for a flag without a value). */
export interface Args {
  readonly positional: string[];
  readonly flags: Map<string, string | true>;
}

/** Flags a command accepts: true when the flag takes a value. */
export type FlagSpec = Readonly<Record<string, boolean>>;

export function splitArgs(command: string, known: FlagSpec, words: readonly string[]): Args {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (!w.startsWith('--') || w === '--') {
      positional.push(w);
      continue;
    }
    const eq = w.indexOf('=');
    const name = w.slice(2, eq < 0 ? undefined : eq);
    // Object.hasOwn: "constructor", "__proto__"... are inherited by every object and are not flags.
    if (!Object.hasOwn(known, name)) {
      const names = Object.keys(known).map((f) => `--${f}`);
      throw new ParseError(`${command}: unknown flag --${name}${names.length > 0 ? ` (known: ${names.join(', ')})` : ' (it takes no flags)'}`);
    }
    if (known[name]) {
      const value = eq >= 0 ? w.slice(eq + 1) : words[++i];
      if (value === undefined || value === '') throw new ParseError(`${command}: --${name} needs a value`);
      flags.set(name, value);
    } else {
      if (eq >= 0) throw new ParseError(`${command}: --${name} takes no value`);
      flags.set(name, true);
    }
  }
  return { positional, flags };
}

/** Positional `index`, which must be there (`what` names it in the error). */
export function need(command: string, args: Args, index: number, what: string): string {
  const v = args.positional[index];
  if (v === undefined) throw new ParseError(`${command}: missing ${what}`);
  return v;
}

/** No positional past the first `count`. */
export function noMore(command: string, args: Args, count: number): void {
  if (args.positional.length > count) throw new ParseError(`${command}: unexpected argument ${JSON.stringify(args.positional[count])}`);
}

export function integerArg(command: string, what: string, text: string, min: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min) throw new ParseError(`${command}: ${what} must be an integer ≥ ${min}, got ${JSON.stringify(text)}`);
  // Past 2^53 the digits typed are not the number sent, and the simulator refuses it under a field name the user
  // never typed (action.revision).
  if (!Number.isSafeInteger(Number(text))) throw new ParseError(`${command}: ${what} must be at most ${Number.MAX_SAFE_INTEGER}, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** A positive number of seconds, as whole milliseconds. */
export function secondsArg(command: string, what: string, text: string): number {
  const s = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(s > 0)) throw new ParseError(`${command}: ${what} must be a positive number of seconds, got ${JSON.stringify(text)}`);
  // The simulator counts TTLs in whole ms, from 1 to 2^53 - 1: else it refuses `ttlMs` 0 or null (Infinity).
  const ms = Math.round(s * 1000);
  if (!Number.isSafeInteger(ms) || ms < 1) {
    throw new ParseError(`${command}: ${what} must be from 0.001 to ${Math.floor(Number.MAX_SAFE_INTEGER / 1000)} seconds, got ${JSON.stringify(text)}`);
  }
  return ms;
}

export function flagInt(command: string, args: Args, flag: string, min: number): number | undefined {
  const v = args.flags.get(flag);
  return typeof v === 'string' ? integerArg(command, `--${flag}`, v, min) : undefined;
}
