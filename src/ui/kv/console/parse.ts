/**
 * The console's language: a small subset of etcdctl (v3) turned into the contract's client actions
 * (docs/scenarios.md, "Clients and the key-value store"). Pure: no store, no DOM, so every rule is tested in Vitest.
 *
 *   put <key> <value> [--lease=<name|id>] [--prev-kv]
 *   get <key> [<rangeEnd>] [--prefix] [--serializable] [--rev=<n>] [--limit=<n>]
 *   del <key> [<rangeEnd>] [--prefix] [--prev-kv]
 *   lease grant <ttl seconds> | lease keep-alive <name|id> | lease revoke <name|id>
 *   watch <key> [--prefix] [--rev=<n>]          watch cancel <watch>
 *   compact <revision>
 *   elect <election> <proposal> [--ttl=<s>]     elect <election> --listen     resign <election>
 *   lock <mutex> [--ttl=<s>]                    unlock <mutex>
 *   register <service> <instance> <addr> [--ttl=<s>]      discover <service>
 *   client <name> [--via=<node>|any] [--require-leader]     (create a client and type as it)
 *   help | clear
 *
 * Differences from etcdctl, on purpose: lease ids and names are both accepted (scenarios name leases; the trace
 * shows ids); `lease keep-alive` keeps the lease alive until it ends, as the contract's keepalive does; a
 * session's TTL defaults to DEFAULT_SESSION_TTL_S, not etcdctl's 60 s, so an expiry fits on screen.
 * Errors name the bad argument.
 */

/** A contract client action without `at` (the run driver stamps the time). */
export interface ConsoleAction {
  readonly do: string;
  readonly [field: string]: unknown;
}

/** What the parser needs to know about the run. */
export interface ConsoleContext {
  /** The client the console types as. */
  readonly client: string;
  /** Known lease names by id, so an id from the table or the trace finds the name the client knows. */
  readonly leaseNameById: ReadonlyMap<string, string>;
  /** Lease names already in use (a grant draws the next free L<n>). */
  readonly leaseNames: ReadonlySet<string>;
  /** Watch names already in use by this client (a watch draws the next free w<n>). */
  readonly watchNames: ReadonlySet<string>;
}

export type ParsedLine =
  | { readonly kind: 'actions'; readonly actions: readonly ConsoleAction[] }
  /** Create a client and make it the console's. */
  | { readonly kind: 'client'; readonly action: ConsoleAction }
  | { readonly kind: 'help' }
  | { readonly kind: 'clear' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'error'; readonly error: string };

/** A session's TTL when `elect` or `lock` does not give one. */
export const DEFAULT_SESSION_TTL_S = 5;

/** Every command, for help and completion. */
export const COMMANDS = ['put', 'get', 'del', 'lease', 'watch', 'compact', 'elect', 'resign', 'lock', 'unlock', 'register', 'discover', 'client', 'help', 'clear'] as const;
export const LEASE_SUBCOMMANDS = ['grant', 'keep-alive', 'revoke'] as const;

/** One line of help per command. */
export const HELP: readonly string[] = [
  'put <key> <value> [--lease=<lease>] [--prev-kv]',
  'get <key> [<rangeEnd>] [--prefix] [--serializable] [--rev=<n>] [--limit=<n>]',
  'del <key> [<rangeEnd>] [--prefix] [--prev-kv]',
  'lease grant <ttl seconds> · lease keep-alive <lease> · lease revoke <lease>',
  'watch <key> [--prefix] [--rev=<n>] · watch cancel <watch>',
  'compact <revision>',
  'elect <election> <proposal> [--ttl=<s>] · elect <election> --listen · resign <election>',
  'lock <mutex> [--ttl=<s>] · unlock <mutex>',
  'register <service> <instance> <addr> [--ttl=<s>] · discover <service>',
  'client <name> [--via=<node>|any] [--require-leader]',
  'help · clear · ↑/↓ history · Tab completes',
];

/** Flags each command accepts: true when the flag takes a value. */
export const FLAGS: Readonly<Record<string, Readonly<Record<string, boolean>>>> = {
  put: { lease: true, 'prev-kv': false },
  get: { prefix: false, serializable: false, rev: true, limit: true },
  del: { prefix: false, 'prev-kv': false },
  lease: {},
  watch: { prefix: false, rev: true },
  compact: {},
  elect: { ttl: true, listen: false },
  resign: {},
  lock: { ttl: true },
  unlock: {},
  register: { ttl: true },
  discover: {},
  client: { via: true, 'require-leader': false },
  help: {},
  clear: {},
};

/**
 * The flags `command` accepts, or undefined when it is not a command. Object.hasOwn, never `in` or a bare index:
 * "constructor", "toString", "__proto__"... are inherited by every object and are neither commands nor flags.
 */
export function flagsOf(command: string): Readonly<Record<string, boolean>> | undefined {
  return Object.hasOwn(FLAGS, command) ? FLAGS[command] : undefined;
}

class ParseError extends Error {}

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

interface Args {
  readonly positional: string[];
  readonly flags: Map<string, string | true>;
}

function splitArgs(command: string, words: readonly string[]): Args {
  const known = flagsOf(command) ?? {};
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

function need(command: string, args: Args, index: number, what: string): string {
  const v = args.positional[index];
  if (v === undefined) throw new ParseError(`${command}: missing ${what}`);
  return v;
}

function noMore(command: string, args: Args, count: number): void {
  if (args.positional.length > count) throw new ParseError(`${command}: unexpected argument ${JSON.stringify(args.positional[count])}`);
}

function integerArg(command: string, what: string, text: string, min: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min) throw new ParseError(`${command}: ${what} must be an integer ≥ ${min}, got ${JSON.stringify(text)}`);
  // Past 2^53 the digits typed are not the number sent, and the simulator refuses it under a field name the user
  // never typed (action.revision).
  if (!Number.isSafeInteger(Number(text))) throw new ParseError(`${command}: ${what} must be at most ${Number.MAX_SAFE_INTEGER}, got ${JSON.stringify(text)}`);
  return Number(text);
}

function secondsArg(command: string, what: string, text: string): number {
  const s = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(s > 0)) throw new ParseError(`${command}: ${what} must be a positive number of seconds, got ${JSON.stringify(text)}`);
  // The simulator counts TTLs in whole ms, from 1 to 2^53 - 1: else it refuses `ttlMs` 0 or null (Infinity).
  const ms = Math.round(s * 1000);
  if (!Number.isSafeInteger(ms) || ms < 1) {
    throw new ParseError(`${command}: ${what} must be from 0.001 to ${Math.floor(Number.MAX_SAFE_INTEGER / 1000)} seconds, got ${JSON.stringify(text)}`);
  }
  return ms;
}

function flagInt(command: string, args: Args, flag: string, min: number): number | undefined {
  const v = args.flags.get(flag);
  return typeof v === 'string' ? integerArg(command, `--${flag}`, v, min) : undefined;
}

/** A lease as the client knows it: an id from the table becomes its name. */
function leaseRef(ctx: ConsoleContext, ref: string): string {
  return ctx.leaseNameById.get(ref) ?? ref;
}

function freshName(prefix: string, used: ReadonlySet<string>): string {
  for (let n = 1; ; n++) if (!used.has(`${prefix}${n}`)) return `${prefix}${n}`;
}

/** Parses one console line into the client actions it stands for, or an error naming the bad argument. */
export function parseConsoleLine(line: string, ctx: ConsoleContext): ParsedLine {
  try {
    return parse(tokenize(line), ctx);
  } catch (e) {
    if (e instanceof ParseError) return { kind: 'error', error: e.message };
    throw e;
  }
}

function parse(words: readonly string[], ctx: ConsoleContext): ParsedLine {
  if (words.length === 0) return { kind: 'empty' };
  const [head, ...rest] = words;
  const command = head === 'delete' ? 'del' : head;
  if (flagsOf(command) === undefined) throw new ParseError(`unknown command ${JSON.stringify(head)} (try: ${COMMANDS.join(', ')})`);
  const args = splitArgs(command, rest);
  const client = ctx.client;
  const one = (action: ConsoleAction): ParsedLine => ({ kind: 'actions', actions: [action] });
  switch (command) {
    case 'help':
      return { kind: 'help' };
    case 'clear':
      return { kind: 'clear' };
    case 'put': {
      const key = need(command, args, 0, '<key>');
      const value = need(command, args, 1, '<value>');
      noMore(command, args, 2);
      const lease = args.flags.get('lease');
      return one({
        do: 'put', client, key, value,
        ...(typeof lease === 'string' ? { lease: leaseRef(ctx, lease) } : {}),
        ...(args.flags.has('prev-kv') ? { prevKv: true } : {}),
      });
    }
    case 'get': {
      const key = need(command, args, 0, '<key>');
      const rangeEnd = args.positional[1];
      noMore(command, args, 2);
      if (rangeEnd !== undefined && args.flags.has('prefix')) throw new ParseError('get: give either <rangeEnd> or --prefix, not both');
      const revision = flagInt(command, args, 'rev', 1);
      const limit = flagInt(command, args, 'limit', 1);
      return one({
        do: 'get', client, key,
        ...(args.flags.has('prefix') ? { prefix: true } : {}),
        ...(rangeEnd !== undefined ? { rangeEnd } : {}),
        ...(args.flags.has('serializable') ? { serializable: true } : {}),
        ...(revision !== undefined ? { revision } : {}),
        ...(limit !== undefined ? { limit } : {}),
      });
    }
    case 'del': {
      const key = need(command, args, 0, '<key>');
      const rangeEnd = args.positional[1];
      noMore(command, args, 2);
      if (rangeEnd !== undefined && args.flags.has('prefix')) throw new ParseError('del: give either <rangeEnd> or --prefix, not both');
      return one({
        do: 'delete', client, key,
        ...(args.flags.has('prefix') ? { prefix: true } : {}),
        ...(rangeEnd !== undefined ? { rangeEnd } : {}),
        ...(args.flags.has('prev-kv') ? { prevKv: true } : {}),
      });
    }
    case 'lease': {
      const sub = need(command, args, 0, `a subcommand (${LEASE_SUBCOMMANDS.join(', ')})`);
      if (sub === 'grant') {
        const ttl = need('lease grant', args, 1, '<ttl seconds>');
        noMore('lease grant', args, 2);
        return one({ do: 'grant', client, lease: freshName('L', ctx.leaseNames), ttlMs: secondsArg('lease grant', '<ttl>', ttl) });
      }
      if (sub === 'keep-alive' || sub === 'revoke') {
        const ref = need(`lease ${sub}`, args, 1, '<lease name or id>');
        noMore(`lease ${sub}`, args, 2);
        return one({ do: sub === 'revoke' ? 'revoke' : 'keepalive', client, lease: leaseRef(ctx, ref) });
      }
      throw new ParseError(`lease: unknown subcommand ${JSON.stringify(sub)} (known: ${LEASE_SUBCOMMANDS.join(', ')})`);
    }
    case 'watch': {
      if (args.positional[0] === 'cancel') {
        const watch = need('watch cancel', args, 1, '<watch name>');
        noMore('watch cancel', args, 2);
        return one({ do: 'cancelWatch', client, watch });
      }
      const key = need(command, args, 0, '<key>');
      noMore(command, args, 1);
      const startRevision = flagInt(command, args, 'rev', 1) ?? 0;
      return one({ do: 'watch', client, watch: freshName('w', ctx.watchNames), key, prefix: args.flags.has('prefix'), startRevision });
    }
    case 'compact': {
      const revision = integerArg(command, '<revision>', need(command, args, 0, '<revision>'), 1);
      noMore(command, args, 1);
      return one({ do: 'compact', client, revision });
    }
    case 'elect': {
      const election = need(command, args, 0, '<election>');
      if (args.flags.has('listen')) {
        noMore(command, args, 1);
        if (args.flags.has('ttl')) throw new ParseError('elect: --ttl has no meaning with --listen');
        return one({ do: 'observe', client, election });
      }
      const value = need(command, args, 1, '<proposal>');
      noMore(command, args, 2);
      const ttl = args.flags.get('ttl');
      return one({ do: 'campaign', client, election, value, ttlMs: typeof ttl === 'string' ? secondsArg(command, '--ttl', ttl) : DEFAULT_SESSION_TTL_S * 1000 });
    }
    case 'resign': {
      const election = need(command, args, 0, '<election>');
      noMore(command, args, 1);
      return one({ do: 'resign', client, election });
    }
    case 'lock': {
      const mutex = need(command, args, 0, '<mutex>');
      noMore(command, args, 1);
      const ttl = args.flags.get('ttl');
      return one({ do: 'lock', client, mutex, ttlMs: typeof ttl === 'string' ? secondsArg(command, '--ttl', ttl) : DEFAULT_SESSION_TTL_S * 1000 });
    }
    case 'unlock': {
      const mutex = need(command, args, 0, '<mutex>');
      noMore(command, args, 1);
      return one({ do: 'unlock', client, mutex });
    }
    case 'register': {
      const service = need(command, args, 0, '<service>');
      const instance = need(command, args, 1, '<instance>');
      const addr = need(command, args, 2, '<addr>');
      noMore(command, args, 3);
      const ttl = args.flags.get('ttl');
      return one({ do: 'register', client, service, instance, addr, ttlMs: typeof ttl === 'string' ? secondsArg(command, '--ttl', ttl) : DEFAULT_SESSION_TTL_S * 1000 });
    }
    case 'discover': {
      const service = need(command, args, 0, '<service>');
      noMore(command, args, 1);
      return one({ do: 'discover', client, service });
    }
    case 'client': {
      const name = need(command, args, 0, '<name>');
      noMore(command, args, 1);
      if (!/^[A-Za-z][\w-]*$/.test(name)) throw new ParseError(`client: <name> must start with a letter and hold only letters, digits, - or _, got ${JSON.stringify(name)}`);
      const via = args.flags.get('via');
      const target = via === undefined ? 'any' : via === 'any' ? 'any' : integerArg(command, '--via', via as string, 1);
      return { kind: 'client', action: { do: 'client', client: name, via: target, ...(args.flags.has('require-leader') ? { requireLeader: true } : {}) } };
    }
  }
  throw new ParseError(`unknown command ${JSON.stringify(head)}`);
}
