/**
 * Tab completion for the console: commands, lease subcommands, flags, and the run's keys, leases and election
 * or mutex names where the command takes one. Pure.
 */
import { commandNamed, COMMANDS } from './parse.ts';

/** What completion may offer from the run. */
export interface CompletionSource {
  readonly keys: readonly string[];
  /** Lease names and ids. */
  readonly leases: readonly string[];
  /** Election and mutex names. */
  readonly elections: readonly string[];
  /** Service prefixes. */
  readonly services?: readonly string[];
}

export interface Completion {
  /** The line with the last word completed as far as every candidate agrees (unchanged when none does). */
  readonly line: string;
  /** Every candidate for the last word (shown when there is more than one). */
  readonly candidates: readonly string[];
}

function commonPrefix(words: readonly string[]): string {
  if (words.length === 0) return '';
  let p = words[0];
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/** The candidates for the word after `before` (the words typed so far; none: the command itself). */
function candidatesFor(before: readonly string[], word: string, src: CompletionSource): string[] {
  if (before.length === 0) return [...COMMANDS];
  const command = commandNamed(before[0]);
  if (word.startsWith('--')) return Object.keys(command?.flags ?? {}).map((f) => `--${f}`);
  const positional = before.slice(1).filter((w) => !w.startsWith('--'));
  const offer = command?.complete?.(positional);
  if (offer === undefined) return [];
  return typeof offer === 'string' ? [...(src[offer] ?? [])] : [...offer];
}

/** Completes the last word of `line` (the cursor is at its end). */
export function completeLine(line: string, src: CompletionSource): Completion {
  const endsWithSpace = line.length === 0 || /\s$/.test(line);
  const words = line.trim().length === 0 ? [] : line.trim().split(/\s+/);
  const word = endsWithSpace ? '' : words[words.length - 1];
  const before = endsWithSpace ? words : words.slice(0, -1);
  const candidates = [...new Set(candidatesFor(before, word, src))].filter((c) => c.startsWith(word)).sort();
  if (candidates.length === 0) return { line, candidates };
  const completed = candidates.length === 1 ? `${candidates[0]} ` : commonPrefix(candidates);
  if (completed.length <= word.length) return { line, candidates };
  return { line: line.slice(0, line.length - word.length) + completed, candidates };
}
