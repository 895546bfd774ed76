/**
 * The console's page state: its output lines, the command history and the client it types as. Kept in a small
 * vanilla store so it survives switching tabs; not part of the run (a replay does not need it).
 */
import { createStore } from 'zustand/vanilla';

export interface ConsoleLine {
  readonly seq: number;
  readonly kind: 'input' | 'output' | 'error' | 'help';
  readonly text: string;
}

export interface ConsoleState {
  readonly lines: readonly ConsoleLine[];
  /** Submitted lines, oldest first (at most HISTORY_CAPACITY). */
  readonly history: readonly string[];
  /** The client the console types as; created on first use when no client of that name exists. */
  readonly client: string;
  /** Where that client attaches when the console creates it: a node id, or 'any'. */
  readonly via: number | 'any';
  /** Clients the console created or typed as (their outcomes are printed), and names it drew. */
  readonly clients: readonly string[];
  readonly leaseNames: readonly string[];
  /** Watch names drawn, as "client/watch". */
  readonly watchNames: readonly string[];
}

export const HISTORY_CAPACITY = 100;
export const CONSOLE_LINE_CAPACITY = 200;
/** The console's own client (etcdctl's user at the keyboard). */
export const CONSOLE_CLIENT = 'you';

let seq = 0;

export const consoleStore = createStore<ConsoleState>()(() => ({
  lines: [], history: [], client: CONSOLE_CLIENT, via: 'any', clients: [], leaseNames: [], watchNames: [],
}));

export function printLines(kind: ConsoleLine['kind'], texts: readonly string[]): void {
  consoleStore.setState((s) => ({ lines: [...s.lines, ...texts.map((text) => ({ seq: ++seq, kind, text }))].slice(-CONSOLE_LINE_CAPACITY) }));
}

export function remember(line: string): void {
  consoleStore.setState((s) => ({ history: [...s.history.filter((h) => h !== line), line].slice(-HISTORY_CAPACITY) }));
}

export function clearConsole(): void {
  consoleStore.setState({ lines: [] });
}

/** Records what a submitted line used: its client, and the lease and watch names it drew. */
export function recordUse(client: string, actions: readonly { readonly do: string; readonly [field: string]: unknown }[]): void {
  consoleStore.setState((s) => ({
    clients: s.clients.includes(client) ? s.clients : [...s.clients, client],
    leaseNames: [...s.leaseNames, ...actions.filter((a) => a.do === 'grant').map((a) => String(a.lease))],
    watchNames: [...s.watchNames, ...actions.filter((a) => a.do === 'watch').map((a) => `${client}/${String(a.watch)}`)],
  }));
}
