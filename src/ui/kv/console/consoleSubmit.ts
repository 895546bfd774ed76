/**
 * What the console does with a submitted line: echo it, remember it, parse it against the run's names, and act on
 * it (print help, clear, switch or create the client, or submit the client actions, validated first as the
 * simulator will validate them). Apart from React: the component hands it the run's state and the driver.
 */
import { parseAction, FieldError } from '../../../sim/index.ts';
import type { KvState, RunDriver } from '../../../store/index.ts';
import { HELP, parseConsoleLine, type ConsoleAction, type ConsoleContext } from './parse.ts';
import { clearConsole, consoleStore, printLines, recordUse, remember } from './consoleState.ts';

/** What a line is submitted against. */
export interface ConsoleTarget {
  readonly driver: Pick<RunDriver, 'act'>;
  readonly kv: KvState;
  readonly nodeCount: number;
  /** The client the console types as, and where it attaches when the console creates it. */
  readonly client: string;
  readonly via: number | 'any';
}

/** The names the parser must know: the run's leases and watches, and those the console drew already. */
function consoleContext(kv: KvState, client: string): ConsoleContext {
  const used = consoleStore.getState();
  return {
    client,
    leaseNameById: new Map(kv.leases.leases.map((l) => [l.id, l.name])),
    leaseNames: new Set([...kv.leases.leases.map((l) => l.name), ...used.leaseNames]),
    watchNames: new Set([
      ...kv.watches.open.filter((w) => w.client === client).map((w) => w.watch),
      ...used.watchNames.filter((w) => w.startsWith(`${client}/`)).map((w) => w.slice(client.length + 1)),
    ]),
  };
}

export async function submitConsoleLine(line: string, target: ConsoleTarget): Promise<void> {
  const { kv, client } = target;
  printLines('input', [`${client}> ${line}`]);
  if (line.trim()) remember(line.trim());
  const parsed = parseConsoleLine(line, consoleContext(kv, client));
  switch (parsed.kind) {
    case 'empty': return;
    case 'help': printLines('help', HELP); return;
    case 'clear': clearConsole(); return;
    case 'error': printLines('error', [parsed.error]); return;
    case 'client': {
      const name = String(parsed.action.client);
      if (kv.clients.some((c) => c.name === name)) {
        consoleStore.setState({ client: name });
        printLines('output', [`now typing as ${name}`]);
        return;
      }
      recordUse(name, []);
      if (await act(target, [parsed.action])) consoleStore.setState({ client: name, via: parsed.action.via as number | 'any' });
      return;
    }
    case 'actions': {
      const exists = kv.clients.some((c) => c.name === client && !c.killed);
      const create: ConsoleAction[] = exists ? [] : [{ do: 'client', client, via: target.via }];
      // Recorded first: a reply may arrive while the run advances to the action's millisecond.
      recordUse(client, parsed.actions);
      await act(target, [...create, ...parsed.actions]);
    }
  }
}

/** Validates the actions as the simulator will (the error names the field), then submits them. */
async function act(target: ConsoleTarget, actions: readonly ConsoleAction[]): Promise<boolean> {
  for (const a of actions) {
    try {
      parseAction({ ...a, at: 0 }, target.nodeCount);
    } catch (e) {
      printLines('error', [e instanceof FieldError ? e.message : String(e)]);
      return false;
    }
  }
  try {
    const done = await target.driver.act(actions);
    if (!done) printLines('error', ['not submitted: the run is over, or you chose not to fork']);
    return done;
  } catch (e) {
    printLines('error', [(e as Error).message]);
    return false;
  }
}
