/**
 * The transcript file format (after cockroachdb/datadriven, as etcd-io/raft uses it): a file is a sequence of
 * blocks, each a command line, a `----` line, and the command's expected output up to the next blank line.
 * Comment lines (`#`) and blank lines between blocks are kept verbatim, so a rewrite changes only outputs.
 * Separate from the interpreter: the format knows nothing about Raft.
 */

/** One command and what it printed (or must print). */
export interface Block {
  /** Comment and blank lines before the command, verbatim. */
  readonly preamble: readonly string[];
  readonly command: string;
  /** 1-based line of the command in its file, for error messages. */
  readonly line: number;
  readonly output: readonly string[];
}

/** A parsed command line: `name pos1 pos2 key=value flag`. */
export interface Command {
  readonly name: string;
  readonly positional: readonly string[];
  readonly named: ReadonlyMap<string, string>;
}

/** Splits a transcript into blocks; `trailer` holds comment lines after the last block. */
export function parseTranscript(text: string, file: string): { blocks: Block[]; trailer: string[] } {
  const lines = text.replace(/\n$/, '').split('\n');
  const blocks: Block[] = [];
  let preamble: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '' || line.startsWith('#')) {
      preamble.push(line);
      i++;
      continue;
    }
    if (lines[i + 1] !== '----') throw new Error(`${file}:${i + 1}: expected '----' after the command '${line}'`);
    const output: string[] = [];
    let j = i + 2;
    while (j < lines.length && lines[j] !== '') output.push(lines[j++]!);
    blocks.push({ preamble, command: line, line: i + 1, output });
    preamble = [];
    i = j;
  }
  return { blocks, trailer: preamble };
}

/** Writes blocks back in the same layout, each with the given output. */
export function formatTranscript(blocks: readonly Block[], outputs: readonly (readonly string[])[], trailer: readonly string[]): string {
  const out: string[] = [];
  blocks.forEach((b, k) => {
    out.push(...b.preamble, b.command, '----', ...outputs[k]!);
  });
  out.push(...trailer);
  return `${out.join('\n')}\n`;
}

/** Parses `name pos key=value`: words split on spaces; a word with `=` is named, the rest positional. */
export function parseCommand(line: string): Command {
  const [name, ...words] = line.trim().split(/\s+/);
  const positional: string[] = [];
  const named = new Map<string, string>();
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq > 0) named.set(w.slice(0, eq), w.slice(eq + 1));
    else positional.push(w);
  }
  return { name: name!, positional, named };
}
