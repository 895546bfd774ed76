// The console's etcdctl subset: each line becomes the contract's client actions; errors name the bad argument.
import { describe, expect, it } from 'vitest';
import { parseConsoleLine, type ConsoleContext } from '../../src/ui/kv/console/parse.ts';
import { tokenize } from '../../src/ui/kv/console/consoleArgs.ts';
import { completeLine } from '../../src/ui/kv/console/complete.ts';

const ctx: ConsoleContext = {
  client: 'you',
  leaseNameById: new Map([['694d77aa9e38260f', 'L1']]),
  leaseNames: new Set(['L1']),
  watchNames: new Set(['w1']),
};

function actions(line: string) {
  const parsed = parseConsoleLine(line, ctx);
  if (parsed.kind !== 'actions') throw new Error(`expected actions for ${line}, got ${JSON.stringify(parsed)}`);
  return parsed.actions;
}

function error(line: string): string {
  const parsed = parseConsoleLine(line, ctx);
  if (parsed.kind !== 'error') throw new Error(`expected an error for ${line}, got ${JSON.stringify(parsed)}`);
  return parsed.error;
}

describe('console lines become contract actions', () => {
  it('put, get and del', () => {
    expect(actions('put a 1')).toEqual([{ do: 'put', client: 'you', key: 'a', value: '1' }]);
    expect(actions('put "my key" "a b" --lease=694d77aa9e38260f --prev-kv')).toEqual([
      { do: 'put', client: 'you', key: 'my key', value: 'a b', lease: 'L1', prevKv: true },
    ]);
    expect(actions('get a --prefix')).toEqual([{ do: 'get', client: 'you', key: 'a', prefix: true }]);
    expect(actions('get a c --serializable --rev 3 --limit=2')).toEqual([
      { do: 'get', client: 'you', key: 'a', rangeEnd: 'c', serializable: true, revision: 3, limit: 2 },
    ]);
    expect(actions('del a')).toEqual([{ do: 'delete', client: 'you', key: 'a' }]);
    expect(actions('delete svc/ --prefix --prev-kv')).toEqual([{ do: 'delete', client: 'you', key: 'svc/', prefix: true, prevKv: true }]);
  });

  it('leases: grant draws a fresh name; keep-alive and revoke take a name or an id', () => {
    expect(actions('lease grant 5')).toEqual([{ do: 'grant', client: 'you', lease: 'L2', ttlMs: 5000 }]);
    expect(actions('lease grant 1.5')[0]).toMatchObject({ ttlMs: 1500 });
    expect(actions('lease keep-alive 694d77aa9e38260f')).toEqual([{ do: 'keepalive', client: 'you', lease: 'L1' }]);
    expect(actions('lease revoke L1')).toEqual([{ do: 'revoke', client: 'you', lease: 'L1' }]);
  });

  it('watch, compact and the recipes', () => {
    expect(actions('watch svc/ --prefix')).toEqual([{ do: 'watch', client: 'you', watch: 'w2', key: 'svc/', prefix: true, startRevision: 0 }]);
    expect(actions('watch a --rev=4')[0]).toMatchObject({ prefix: false, startRevision: 4 });
    expect(actions('watch cancel w1')).toEqual([{ do: 'cancelWatch', client: 'you', watch: 'w1' }]);
    expect(actions('compact 5')).toEqual([{ do: 'compact', client: 'you', revision: 5 }]);
    expect(actions('elect /election/web c1')).toEqual([{ do: 'campaign', client: 'you', election: '/election/web', value: 'c1', ttlMs: 5000 }]);
    expect(actions('elect /election/web --listen')).toEqual([{ do: 'observe', client: 'you', election: '/election/web' }]);
    expect(actions('resign /election/web')).toEqual([{ do: 'resign', client: 'you', election: '/election/web' }]);
    expect(actions('lock /lock/db --ttl=3')).toEqual([{ do: 'lock', client: 'you', mutex: '/lock/db', ttlMs: 3000 }]);
    expect(actions('unlock /lock/db')).toEqual([{ do: 'unlock', client: 'you', mutex: '/lock/db' }]);
    expect(actions('register /services/web/ web-1 10.0.0.1:8080 --ttl=3')).toEqual([
      { do: 'register', client: 'you', service: '/services/web/', instance: 'web-1', addr: '10.0.0.1:8080', ttlMs: 3000 },
    ]);
    expect(actions('discover /services/web/')).toEqual([{ do: 'discover', client: 'you', service: '/services/web/' }]);
  });

  it('client creates a client (default via any) and local commands stay local', () => {
    expect(parseConsoleLine('client c9 --via=3 --require-leader', ctx)).toEqual({
      kind: 'client', action: { do: 'client', client: 'c9', via: 3, requireLeader: true },
    });
    expect(parseConsoleLine('client c9', ctx)).toEqual({ kind: 'client', action: { do: 'client', client: 'c9', via: 'any' } });
    expect(parseConsoleLine('help', ctx).kind).toBe('help');
    expect(parseConsoleLine('clear', ctx).kind).toBe('clear');
    expect(parseConsoleLine('   ', ctx).kind).toBe('empty');
  });
});

describe('errors name the bad argument', () => {
  it.each([
    ['frob a', 'unknown command "frob"'],
    ['put a', 'put: missing <value>'],
    ['put a 1 2', 'put: unexpected argument "2"'],
    ['put a 1 --ttl=3', 'put: unknown flag --ttl (known: --lease, --prev-kv)'],
    ['put a 1 --lease', 'put: --lease needs a value'],
    ['get a --prefix=yes', 'get: --prefix takes no value'],
    ['get a b --prefix', 'get: give either <rangeEnd> or --prefix, not both'],
    ['get a --rev=x', 'get: --rev must be an integer ≥ 1, got "x"'],
    ['lease grant five', 'lease grant: <ttl> must be a positive number of seconds, got "five"'],
    ['lease grant 0', 'lease grant: <ttl> must be a positive number of seconds, got "0"'],
    ['lease renew L1', 'lease: unknown subcommand "renew" (known: grant, keep-alive, revoke)'],
    ['lease keep-alive', 'lease keep-alive: missing <lease name or id>'],
    ['compact -1', 'compact: <revision> must be an integer ≥ 1, got "-1"'],
    ['elect /e', 'elect: missing <proposal>'],
    ['register /s/ web-1', 'register: missing <addr>'],
    ['client 9x', 'client: <name> must start with a letter'],
    ['client c2 --via=zero', 'client: --via must be an integer ≥ 1, got "zero"'],
    ['put "a 1', 'unterminated " quote at column 5'],
    ['clear --all', 'clear: unknown flag --all (it takes no flags)'],
  ])('%s', (line, message) => {
    expect(error(line)).toContain(message);
  });
});

describe('tokenize', () => {
  it('keeps quoted spaces and empty quoted words', () => {
    expect(tokenize(`put k "" 'a b'c`)).toEqual(['put', 'k', '', 'a bc']);
  });
});

describe('tab completion', () => {
  const src = { keys: ['alpha', 'alpine', 'svc/web'], leases: ['L1', '694d77aa9e38260f'], elections: ['/election/web', '/lock/db'] };
  it('completes commands, subcommands, flags, keys, leases and election names', () => {
    expect(completeLine('pu', src)).toEqual({ line: 'put ', candidates: ['put'] });
    expect(completeLine('l', src)).toEqual({ line: 'l', candidates: ['lease', 'lock'] });
    expect(completeLine('lease k', src).line).toBe('lease keep-alive ');
    expect(completeLine('lease keep-alive L', src).line).toBe('lease keep-alive L1 ');
    expect(completeLine('get al', src)).toEqual({ line: 'get alp', candidates: ['alpha', 'alpine'] });
    expect(completeLine('get alpha --p', src).line).toBe('get alpha --prefix ');
    expect(completeLine('elect /e', src).line).toBe('elect /election/web ');
    expect(completeLine('put alpha ', src)).toEqual({ line: 'put alpha ', candidates: [] });
  });
});
