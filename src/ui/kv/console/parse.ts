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
 *
 * Each command is one entry of COMMAND_REGISTRY: its help line, its flags, what Tab completes, and how it parses.
 */
import { flagInt, integerArg, need, noMore, ParseError, secondsArg, splitArgs, tokenize, type Args, type FlagSpec } from './consoleArgs.ts';

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

export const LEASE_SUBCOMMANDS = ['grant', 'keep-alive', 'revoke'] as const;

/** Names from the run that Tab may offer (see complete.ts). */
export type CompletionKind = 'keys' | 'leases' | 'elections' | 'services';

/** One console command. */
export interface ConsoleCommand {
  readonly name: string;
  /** Its line in `help`; a command that shares its partner's line (resign with elect) has none. */
  readonly help?: string;
  /** Flags it accepts: true when the flag takes a value. */
  readonly flags: FlagSpec;
  /** What Tab offers for the next positional, given the positionals typed so far: a fixed list, or run names. */
  complete?(positional: readonly string[]): CompletionKind | readonly string[] | undefined;
  parse(command: string, args: Args, ctx: ConsoleContext): ParsedLine;
}

const one = (action: ConsoleAction): ParsedLine => ({ kind: 'actions', actions: [action] });

/** Completes the first positional from the run's `kind` names. */
const firstFrom = (kind: CompletionKind) => (positional: readonly string[]) => (positional.length === 0 ? kind : undefined);

/** A lease as the client knows it: an id from the table becomes its name. */
function leaseRef(ctx: ConsoleContext, ref: string): string {
  return ctx.leaseNameById.get(ref) ?? ref;
}

function freshName(prefix: string, used: ReadonlySet<string>): string {
  for (let n = 1; ; n++) if (!used.has(`${prefix}${n}`)) return `${prefix}${n}`;
}

/** A session's TTL: --ttl, or DEFAULT_SESSION_TTL_S. */
function sessionTtlMs(command: string, args: Args): number {
  const ttl = args.flags.get('ttl');
  return typeof ttl === 'string' ? secondsArg(command, '--ttl', ttl) : DEFAULT_SESSION_TTL_S * 1000;
}

/** A command that takes one name (`what`) and becomes the action `do` with that name as `field`. */
function oneName(doName: string, field: string, what: string): ConsoleCommand['parse'] {
  return (command, args, ctx) => {
    const value = need(command, args, 0, what);
    noMore(command, args, 1);
    return one({ do: doName, client: ctx.client, [field]: value });
  };
}

/** `get` and `del` take a key and either a range end or --prefix. */
function keyRange(command: string, args: Args): { key: string; rangeEnd: string | undefined } {
  const key = need(command, args, 0, '<key>');
  const rangeEnd = args.positional[1];
  noMore(command, args, 2);
  if (rangeEnd !== undefined && args.flags.has('prefix')) throw new ParseError(`${command}: give either <rangeEnd> or --prefix, not both`);
  return { key, rangeEnd };
}

function parseLease(command: string, args: Args, ctx: ConsoleContext): ParsedLine {
  const sub = need(command, args, 0, `a subcommand (${LEASE_SUBCOMMANDS.join(', ')})`);
  const client = ctx.client;
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

function parseWatch(command: string, args: Args, ctx: ConsoleContext): ParsedLine {
  const client = ctx.client;
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

function parseElect(command: string, args: Args, ctx: ConsoleContext): ParsedLine {
  const election = need(command, args, 0, '<election>');
  if (args.flags.has('listen')) {
    noMore(command, args, 1);
    if (args.flags.has('ttl')) throw new ParseError('elect: --ttl has no meaning with --listen');
    return one({ do: 'observe', client: ctx.client, election });
  }
  const value = need(command, args, 1, '<proposal>');
  noMore(command, args, 2);
  return one({ do: 'campaign', client: ctx.client, election, value, ttlMs: sessionTtlMs(command, args) });
}

function parseClient(command: string, args: Args): ParsedLine {
  const name = need(command, args, 0, '<name>');
  noMore(command, args, 1);
  if (!/^[A-Za-z][\w-]*$/.test(name)) throw new ParseError(`client: <name> must start with a letter and hold only letters, digits, - or _, got ${JSON.stringify(name)}`);
  const via = args.flags.get('via');
  const target = via === undefined ? 'any' : via === 'any' ? 'any' : integerArg(command, '--via', via as string, 1);
  return { kind: 'client', action: { do: 'client', client: name, via: target, ...(args.flags.has('require-leader') ? { requireLeader: true } : {}) } };
}

/** Every command, in help order. */
export const COMMAND_REGISTRY: readonly ConsoleCommand[] = [
  {
    name: 'put', help: 'put <key> <value> [--lease=<lease>] [--prev-kv]', flags: { lease: true, 'prev-kv': false }, complete: firstFrom('keys'),
    parse(command, args, ctx) {
      const key = need(command, args, 0, '<key>');
      const value = need(command, args, 1, '<value>');
      noMore(command, args, 2);
      const lease = args.flags.get('lease');
      return one({
        do: 'put', client: ctx.client, key, value,
        ...(typeof lease === 'string' ? { lease: leaseRef(ctx, lease) } : {}),
        ...(args.flags.has('prev-kv') ? { prevKv: true } : {}),
      });
    },
  },
  {
    name: 'get', help: 'get <key> [<rangeEnd>] [--prefix] [--serializable] [--rev=<n>] [--limit=<n>]',
    flags: { prefix: false, serializable: false, rev: true, limit: true }, complete: firstFrom('keys'),
    parse(command, args, ctx) {
      const { key, rangeEnd } = keyRange(command, args);
      const revision = flagInt(command, args, 'rev', 1);
      const limit = flagInt(command, args, 'limit', 1);
      return one({
        do: 'get', client: ctx.client, key,
        ...(args.flags.has('prefix') ? { prefix: true } : {}),
        ...(rangeEnd !== undefined ? { rangeEnd } : {}),
        ...(args.flags.has('serializable') ? { serializable: true } : {}),
        ...(revision !== undefined ? { revision } : {}),
        ...(limit !== undefined ? { limit } : {}),
      });
    },
  },
  {
    name: 'del', help: 'del <key> [<rangeEnd>] [--prefix] [--prev-kv]', flags: { prefix: false, 'prev-kv': false }, complete: firstFrom('keys'),
    parse(command, args, ctx) {
      const { key, rangeEnd } = keyRange(command, args);
      return one({
        do: 'delete', client: ctx.client, key,
        ...(args.flags.has('prefix') ? { prefix: true } : {}),
        ...(rangeEnd !== undefined ? { rangeEnd } : {}),
        ...(args.flags.has('prev-kv') ? { prevKv: true } : {}),
      });
    },
  },
  {
    name: 'lease', help: 'lease grant <ttl seconds> · lease keep-alive <lease> · lease revoke <lease>', flags: {}, parse: parseLease,
    complete: (positional) => (positional.length === 0 ? LEASE_SUBCOMMANDS : positional.length === 1 && positional[0] !== 'grant' ? 'leases' : undefined),
  },
  { name: 'watch', help: 'watch <key> [--prefix] [--rev=<n>] · watch cancel <watch>', flags: { prefix: false, rev: true }, complete: firstFrom('keys'), parse: parseWatch },
  {
    name: 'compact', help: 'compact <revision>', flags: {},
    parse(command, args, ctx) {
      const revision = integerArg(command, '<revision>', need(command, args, 0, '<revision>'), 1);
      noMore(command, args, 1);
      return one({ do: 'compact', client: ctx.client, revision });
    },
  },
  {
    name: 'elect', help: 'elect <election> <proposal> [--ttl=<s>] · elect <election> --listen · resign <election>',
    flags: { ttl: true, listen: false }, complete: firstFrom('elections'), parse: parseElect,
  },
  { name: 'resign', flags: {}, complete: firstFrom('elections'), parse: oneName('resign', 'election', '<election>') },
  {
    name: 'lock', help: 'lock <mutex> [--ttl=<s>] · unlock <mutex>', flags: { ttl: true }, complete: firstFrom('elections'),
    parse(command, args, ctx) {
      const mutex = need(command, args, 0, '<mutex>');
      noMore(command, args, 1);
      return one({ do: 'lock', client: ctx.client, mutex, ttlMs: sessionTtlMs(command, args) });
    },
  },
  { name: 'unlock', flags: {}, complete: firstFrom('elections'), parse: oneName('unlock', 'mutex', '<mutex>') },
  {
    name: 'register', help: 'register <service> <instance> <addr> [--ttl=<s>] · discover <service>', flags: { ttl: true }, complete: firstFrom('services'),
    parse(command, args, ctx) {
      const service = need(command, args, 0, '<service>');
      const instance = need(command, args, 1, '<instance>');
      const addr = need(command, args, 2, '<addr>');
      noMore(command, args, 3);
      return one({ do: 'register', client: ctx.client, service, instance, addr, ttlMs: sessionTtlMs(command, args) });
    },
  },
  { name: 'discover', flags: {}, complete: firstFrom('services'), parse: oneName('discover', 'service', '<service>') },
  { name: 'client', help: 'client <name> [--via=<node>|any] [--require-leader]', flags: { via: true, 'require-leader': false }, parse: parseClient },
  { name: 'help', help: 'help · clear · ↑/↓ history · Tab completes', flags: {}, parse: () => ({ kind: 'help' }) },
  { name: 'clear', flags: {}, parse: () => ({ kind: 'clear' }) },
];

const BY_NAME = new Map(COMMAND_REGISTRY.map((c) => [c.name, c]));

/** Every command, for help and completion. */
export const COMMANDS: readonly string[] = COMMAND_REGISTRY.map((c) => c.name);

/** One line of help per command (or pair of commands). */
export const HELP: readonly string[] = COMMAND_REGISTRY.flatMap((c) => (c.help === undefined ? [] : [c.help]));

/**
 * The command a line's first word names (`delete` is `del`), or undefined. A Map, never `in` or a bare index on
 * an object: "constructor", "toString", "__proto__"... are inherited by every object and are not commands.
 */
export function commandNamed(word: string): ConsoleCommand | undefined {
  return BY_NAME.get(word === 'delete' ? 'del' : word);
}

/** Parses one console line into the client actions it stands for, or an error naming the bad argument. */
export function parseConsoleLine(line: string, ctx: ConsoleContext): ParsedLine {
  try {
    const words = tokenize(line);
    if (words.length === 0) return { kind: 'empty' };
    const [head, ...rest] = words;
    const command = commandNamed(head);
    if (command === undefined) throw new ParseError(`unknown command ${JSON.stringify(head)} (try: ${COMMANDS.join(', ')})`);
    return command.parse(command.name, splitArgs(command.name, command.flags, rest), ctx);
  } catch (e) {
    if (e instanceof ParseError) return { kind: 'error', error: e.message };
    throw e;
  }
}
