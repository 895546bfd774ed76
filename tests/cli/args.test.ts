/**
 * The subcommands' flag parsing (src/cli/args.ts, on node:util's parseArgs): the forms a flag may take, and the
 * errors that name it (exit 2 in every command).
 */
import { describe, expect, it } from 'vitest';
import { intFlag, parseArgs } from '../../src/cli/args.ts';

const parse = (...argv: string[]) => parseArgs(argv, ['seed', 'out'], ['keep-going']);

describe('parseArgs', () => {
  it('reads --flag value, --flag=value, switches and positionals in any order', () => {
    const args = parse('a.json', '--seed', '7', '--keep-going', '--out=t.jsonl', 'b');
    expect(args.positional).toEqual(['a.json', 'b']);
    expect([...args.flags]).toEqual([['seed', '7'], ['out', 't.jsonl']]);
    expect([...args.switches]).toEqual(['keep-going']);
  });

  it('takes the next argument as the value even when it starts with a dash', () => {
    expect(parse('--seed', '-1').flags.get('seed')).toBe('-1');
  });

  it('keeps single-dash arguments as positionals, and everything after -- too', () => {
    expect(parse('-', '-xy.json', '--', '--seed').positional).toEqual(['-', '-xy.json', '--seed']);
  });

  it.each([
    [['--speed', '2'], 'unknown option --speed (known: --seed, --out, --keep-going)'],
    [['--constructor=1'], 'unknown option --constructor'],
    [['--seed'], '--seed needs a value'],
    [['--seed', '1', '--seed=2'], '--seed given twice'],
    [['--keep-going', '--keep-going'], '--keep-going given twice'],
    [['--keep-going=yes'], '--keep-going takes no value'],
  ])('refuses %j, naming the flag', (argv, message) => {
    expect(() => parse(...argv)).toThrow(message);
  });

  it('reads an integer flag within its bounds', () => {
    expect(intFlag(parse('--seed', '3'), 'seed', 0, 0, 9)).toBe(3);
    expect(intFlag(parse(), 'seed', 5, 0, 9)).toBe(5);
    expect(() => intFlag(parse('--seed', '1.5'), 'seed', 0, 0, 9)).toThrow("--seed must be an integer, got '1.5'");
    expect(() => intFlag(parse('--seed', '10'), 'seed', 0, 0, 9)).toThrow('--seed must be in [0, 9], got 10');
  });
});
