// Data-driven Raft tests: every tests/raft/testdata/*.txt transcript is replayed command by command, and what the
// network prints must equal the recorded output. FLOTILLA_REWRITE=1 records the outputs instead (review the diff
// before committing). The format and the commands: tests/raft/testdata/README.md.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Interpreter } from './datadriven/interpreter.ts';
import { formatTranscript, parseCommand, parseTranscript } from './datadriven/transcript.ts';

const dir = fileURLToPath(new URL('./testdata/', import.meta.url));
const rewrite = process.env.FLOTILLA_REWRITE === '1';
const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();

/** Replays a transcript and returns it as it would be written with today's outputs. */
function replay(file: string, text: string): string {
  const { blocks, trailer } = parseTranscript(text, file);
  const interpreter = new Interpreter();
  const outputs = blocks.map((b) => {
    try {
      return interpreter.run(parseCommand(b.command));
    } catch (err) {
      throw new Error(`testdata/${file}:${b.line}: ${b.command}: ${(err as Error).message}`, { cause: err });
    }
  });
  return formatTranscript(blocks, outputs, trailer);
}

describe('data-driven Raft transcripts (tests/raft/testdata)', () => {
  it('finds the transcripts', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  it('the format: blocks keep their comments, outputs end at a blank line, a missing ---- names the line', () => {
    const text = '# a comment\ncampaign 1\n----\nline 1\nline 2\n\nheal\n----\nok\n';
    const { blocks, trailer } = parseTranscript(text, 'x.txt');
    expect(blocks.map((b) => [b.command, b.line, b.output])).toEqual([['campaign 1', 2, ['line 1', 'line 2']], ['heal', 7, ['ok']]]);
    expect(formatTranscript(blocks, blocks.map((b) => b.output), trailer)).toBe(text);
    expect(() => parseTranscript('campaign 1\nheal\n', 'x.txt')).toThrow("x.txt:1: expected '----' after the command 'campaign 1'");
    expect(parseCommand('deliver to=2,3 quiet')).toEqual({ name: 'deliver', positional: ['quiet'], named: new Map([['to', '2,3']]) });
  });

  it('an unknown command or a bad argument fails with the file and line', () => {
    expect(() => replay('x.txt', 'cluster 3\n----\n\nelect 1\n----\n')).toThrow(/testdata\/x\.txt:4: elect 1: unknown command 'elect'/);
    expect(() => replay('x.txt', 'cluster 3\n----\n\ntick S1\n----\n')).toThrow(/argument 1 must be a node id, got 'S1'/);
  });

  it('a transcript whose recorded output is wrong does not replay to itself', () => {
    const text = readFileSync(dir + 'election.txt', 'utf8');
    const tampered = text.replace('S1 candidate term=1', 'S1 leader term=1');
    expect(tampered).not.toBe(text);
    expect(replay('election.txt', tampered)).toBe(text);
  });

  for (const file of files) {
    it(file, () => {
      const text = readFileSync(dir + file, 'utf8');
      const actual = replay(file, text);
      if (rewrite) {
        if (actual !== text) writeFileSync(dir + file, actual);
        return;
      }
      expect(actual, `testdata/${file} differs from its replay; if the change is intended, rerun with FLOTILLA_REWRITE=1 and review the diff`).toBe(text);
    });
  }
});
