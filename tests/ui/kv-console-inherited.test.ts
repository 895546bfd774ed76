// The console refuses the names every object inherits as commands and as flags (issue 10, bug 4): they used to
// match Object.prototype (`get k --toString=x` was accepted as a flag).
import { describe, expect, it } from 'vitest';
import { parseConsoleLine, type ConsoleContext } from '../../src/ui/kv/console/parse.ts';
import { completeLine } from '../../src/ui/kv/console/complete.ts';

const ctx: ConsoleContext = { client: 'you', leaseNameById: new Map(), leaseNames: new Set(), watchNames: new Set() };
const NAMES = ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'];

describe.each(NAMES)('the inherited name %s', (name) => {
  it('is an unknown command', () => {
    expect(parseConsoleLine(`${name} a b`, ctx)).toEqual({ kind: 'error', error: expect.stringMatching(new RegExp(`^unknown command "${name}" \\(try: put, get`)) });
  });

  it('is an unknown flag, with or without a value, for every command', () => {
    expect(parseConsoleLine(`get k --${name}=x`, ctx)).toEqual({ kind: 'error', error: `get: unknown flag --${name} (known: --prefix, --serializable, --rev, --limit)` });
    expect(parseConsoleLine(`put k v --${name}`, ctx)).toEqual({ kind: 'error', error: `put: unknown flag --${name} (known: --lease, --prev-kv)` });
    expect(parseConsoleLine(`compact 3 --${name}=1`, ctx)).toEqual({ kind: 'error', error: `compact: unknown flag --${name} (it takes no flags)` });
  });

  it('completes to nothing: no flags of an unknown command', () => {
    expect(completeLine(`${name} --`, { keys: [], leases: [], elections: [] }).candidates).toEqual([]);
  });
});
