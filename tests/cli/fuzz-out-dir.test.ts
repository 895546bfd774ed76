/**
 * `flotilla fuzz --out-dir DIR` with a DIR that does not exist (review of issue 10): it ran every seed up to the
 * first failure, then crashed with a Node stack trace (ENOENT from writeFileSync) instead of a message naming the
 * flag. A bad --out-dir is bad input: refused before any seed runs (exit 2), naming the flag.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { capture } from './cliIo.ts';
import { fuzzCommand } from '../../src/cli/fuzzCommand.ts';

describe('flotilla fuzz --out-dir', () => {
  it('refuses a directory that does not exist, naming the flag, before running a seed', () => {
    const io = capture();
    const missing = path.join(mkdtempSync(path.join(tmpdir(), 'flotilla-fuzz-outdir-')), 'no', 'such');
    expect(fuzzCommand(['--unsafe', 'commitOldTerm', '--seeds', '5', '--out-dir', missing], io)).toBe(2);
    expect(io.err.join('')).toMatch(/^flotilla fuzz: --out-dir /);
    expect(io.err.join('')).not.toMatch(/fuzz: seed/);
  });

  it('refuses a file given as the directory', () => {
    const io = capture();
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'flotilla-fuzz-outdir-')), 'a-file');
    writeFileSync(file, 'x');
    expect(fuzzCommand(['--seeds', '1', '--out-dir', file], io)).toBe(2);
    expect(io.err.join('')).toMatch(/^flotilla fuzz: --out-dir /);
  });
});

/**
 * `--from-seed` near the top of the seed range with more than one seed (review of issue 10): the seeds past 2^53 - 1
 * threw a RangeError out of the PRNG, a stack trace after the first seed ran. Refused before any seed runs.
 */
describe('flotilla fuzz --from-seed + --seeds past the seed range', () => {
  it('is refused naming the flags', () => {
    const io = capture();
    expect(fuzzCommand(['--from-seed', String(Number.MAX_SAFE_INTEGER), '--seeds', '2'], io)).toBe(2);
    expect(io.err.join('')).toMatch(/^flotilla fuzz: --from-seed /);
  });
});
