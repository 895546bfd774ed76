/**
 * Console numbers the simulator cannot take (review of issue 10): a number past 2^53 or a TTL that rounds to 0 ms
 * is refused by the console naming the argument the user typed, not handed on as `ttlMs: null` (Infinity) or
 * `revision: 1e+23` for the scenario validator to report as `action.ttlMs: ... got null`, a field the user never
 * wrote and a value they did not type.
 */
import { describe, expect, it } from 'vitest';
import { parseConsoleLine, type ConsoleContext } from '../../src/ui/kv/console/parse.ts';

const ctx: ConsoleContext = { client: 'you', leaseNameById: new Map(), leaseNames: new Set(), watchNames: new Set() };

function error(line: string): string {
  const parsed = parseConsoleLine(line, ctx);
  if (parsed.kind !== 'error') throw new Error(`accepted: ${line.slice(0, 60)} -> ${JSON.stringify(parsed).slice(0, 200)}`);
  return parsed.error;
}

describe('console numbers out of range', () => {
  it('refuses a TTL in seconds that is infinite or past 2^53 ms, naming the argument', () => {
    expect(error(`lease grant ${'9'.repeat(400)}`)).toMatch(/^lease grant: <ttl>/);
    expect(error(`lock m --ttl=${'9'.repeat(400)}`)).toMatch(/^lock: --ttl/);
    expect(error(`elect e p --ttl=${'9'.repeat(20)}`)).toMatch(/^elect: --ttl/);
  });

  it('refuses a TTL that rounds to 0 ms, naming the argument', () => {
    expect(error('lease grant 0.0001')).toMatch(/^lease grant: <ttl>/);
    expect(error('register s i a --ttl=0.0000001')).toMatch(/^register: --ttl/);
  });

  it('refuses integers past 2^53, naming the argument', () => {
    expect(error('get k --rev=99999999999999999999999')).toMatch(/^get: --rev/);
    expect(error('watch k --rev=99999999999999999999999')).toMatch(/^watch: --rev/);
    expect(error('compact 99999999999999999999')).toMatch(/^compact: <revision>/);
    expect(error('get k --limit=9007199254740993')).toMatch(/^get: --limit/);
  });

  it('still takes what is in range', () => {
    expect(parseConsoleLine('lease grant 0.5', ctx)).toMatchObject({ kind: 'actions', actions: [{ ttlMs: 500 }] });
    expect(parseConsoleLine('get k --rev=9007199254740991', ctx)).toMatchObject({ kind: 'actions', actions: [{ revision: 9007199254740991 }] });
  });
});
