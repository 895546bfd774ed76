// The console's command registry: one entry per command gives help, flags, completion and parsing, so the help
// a user reads and the commands that parse cannot drift apart.
import { describe, expect, it } from 'vitest';
import { COMMANDS, HELP, commandNamed, parseConsoleLine, type ConsoleContext } from '../../src/ui/kv/console/parse.ts';
import { completeLine } from '../../src/ui/kv/console/complete.ts';

const ctx: ConsoleContext = { client: 'you', leaseNameById: new Map(), leaseNames: new Set(), watchNames: new Set() };

describe('console command registry', () => {
  it('names every command once, in help order, and help has a line for each (or its partner)', () => {
    expect(COMMANDS).toEqual(['put', 'get', 'del', 'lease', 'watch', 'compact', 'elect', 'resign', 'lock', 'unlock', 'register', 'discover', 'client', 'help', 'clear']);
    expect(HELP.map((line) => line.split(' ')[0])).toEqual(['put', 'get', 'del', 'lease', 'watch', 'compact', 'elect', 'lock', 'register', 'client', 'help']);
    for (const name of COMMANDS) expect(HELP.some((line) => line.includes(name)), name).toBe(true);
  });

  it('reads `delete` as del, and no inherited object key as a command', () => {
    expect(commandNamed('delete')?.name).toBe('del');
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) expect(commandNamed(name)).toBeUndefined();
  });

  it('offers on Tab exactly the flags each command parses', () => {
    for (const name of COMMANDS) {
      const offered = completeLine(`${name} --`, { keys: [], leases: [], elections: [] }).candidates;
      expect(offered).toEqual(Object.keys(commandNamed(name)!.flags).map((f) => `--${f}`).sort());
      for (const flag of offered) {
        const parsed = parseConsoleLine(`${name} ${flag}`, ctx);
        // A flag may need a value or an argument, but it is never an unknown flag.
        if (parsed.kind === 'error') expect(parsed.error).not.toMatch(/unknown flag/);
      }
    }
  });
});
