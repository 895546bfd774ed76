import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useStore } from 'zustand';
import { useServices, useFlotilla } from '../../appContext.ts';
import { useKv, useKvServices } from '../kvContext.ts';
import { parseAction, FieldError } from '../../../sim/index.ts';
import { HELP, parseConsoleLine, type ConsoleAction } from './parse.ts';
import { completeLine } from './complete.ts';
import { clearConsole, consoleStore, printLines, recordUse, remember } from './consoleState.ts';

/**
 * A small etcdctl: each line becomes client actions submitted to the run (like any user action: recorded in the
 * URL, replayed exactly). The console's client is created on first use, attached to the chosen node.
 */
export function KvConsole() {
  const { driver } = useServices();
  const { store: kvStore } = useKvServices();
  const nodeCount = useFlotilla((s) => s.cluster.nodes.length);
  const lines = useStore(consoleStore, (s) => s.lines);
  const client = useStore(consoleStore, (s) => s.client);
  const via = useStore(consoleStore, (s) => s.via);
  const outcomesVersion = useKv((s) => s.outcomes.version);
  const [text, setText] = useState('');
  const [historyAt, setHistoryAt] = useState<number | null>(null);
  const [hint, setHint] = useState('');
  const shownOutcome = useRef(kvStore.getState().outcomes.lines.total);
  const outRef = useRef<HTMLOListElement>(null);

  // Print the outcomes of the console clients' operations as they complete.
  useEffect(() => {
    const ring = kvStore.getState().outcomes.lines;
    const mine = new Set(consoleStore.getState().clients);
    const fresh = [];
    for (let i = Math.max(0, ring.size - (ring.total - shownOutcome.current)); i < ring.size; i++) {
      const o = ring.at(i);
      if (mine.has(o.client)) fresh.push(`${o.client}: ${o.op} → ${o.text}`);
    }
    shownOutcome.current = ring.total;
    if (fresh.length > 0) printLines('output', fresh);
  }, [outcomesVersion, kvStore]);

  useEffect(() => {
    const el = outRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lines]);

  const completion = useMemo(() => () => {
    const s = kvStore.getState();
    const leases = s.leases.leases.flatMap((l) => [l.name, l.id]);
    return { keys: s.table.rows.map((r) => r.key), leases, elections: s.elections.map((e) => e.name), services: s.services.map((v) => v.name) };
  }, [kvStore]);

  async function submit(line: string): Promise<void> {
    printLines('input', [`${client}> ${line}`]);
    if (line.trim()) remember(line.trim());
    const s = kvStore.getState();
    const used = consoleStore.getState();
    const parsed = parseConsoleLine(line, {
      client,
      leaseNameById: new Map(s.leases.leases.map((l) => [l.id, l.name])),
      leaseNames: new Set([...s.leases.leases.map((l) => l.name), ...used.leaseNames]),
      watchNames: new Set([
        ...s.watches.open.filter((w) => w.client === client).map((w) => w.watch),
        ...used.watchNames.filter((w) => w.startsWith(`${client}/`)).map((w) => w.slice(client.length + 1)),
      ]),
    });
    switch (parsed.kind) {
      case 'empty': return;
      case 'help': printLines('help', HELP); return;
      case 'clear': clearConsole(); return;
      case 'error': printLines('error', [parsed.error]); return;
      case 'client': {
        const name = String(parsed.action.client);
        if (s.clients.some((c) => c.name === name)) {
          consoleStore.setState({ client: name });
          printLines('output', [`now typing as ${name}`]);
          return;
        }
        recordUse(name, []);
        if (await act([parsed.action])) consoleStore.setState({ client: name, via: parsed.action.via as number | 'any' });
        return;
      }
      case 'actions': {
        const exists = s.clients.some((c) => c.name === client && !c.killed);
        const create: ConsoleAction[] = exists ? [] : [{ do: 'client', client, via }];
        // Recorded first: a reply may arrive while the run advances to the action's millisecond.
        recordUse(client, parsed.actions);
        await act([...create, ...parsed.actions]);
      }
    }
  }

  /** Validates the actions as the simulator will (the error names the field), then submits them. */
  async function act(actions: readonly ConsoleAction[]): Promise<boolean> {
    for (const a of actions) {
      try {
        parseAction({ ...a, at: 0 }, nodeCount);
      } catch (e) {
        printLines('error', [e instanceof FieldError ? e.message : String(e)]);
        return false;
      }
    }
    try {
      const done = await driver.act(actions);
      if (!done) printLines('error', ['not submitted: the run is over, or you chose not to fork']);
      return done;
    } catch (e) {
      printLines('error', [(e as Error).message]);
      return false;
    }
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>): void {
    e.stopPropagation(); // typing must not trigger the page's single-key shortcuts
    const history = consoleStore.getState().history;
    if (e.key === 'Enter') {
      e.preventDefault();
      const line = text;
      setText('');
      setHistoryAt(null);
      setHint('');
      void submit(line);
    } else if (e.key === 'ArrowUp' && history.length > 0) {
      e.preventDefault();
      const at = historyAt === null ? history.length - 1 : Math.max(0, historyAt - 1);
      setHistoryAt(at);
      setText(history[at]);
    } else if (e.key === 'ArrowDown' && historyAt !== null) {
      e.preventDefault();
      const at = historyAt + 1;
      setHistoryAt(at >= history.length ? null : at);
      setText(at >= history.length ? '' : history[at]);
    } else if (e.key === 'Tab' && text.length > 0) {
      e.preventDefault();
      const c = completeLine(text, completion());
      setText(c.line);
      setHint(c.candidates.length > 1 ? c.candidates.slice(0, 12).join('  ') : '');
    }
  }

  return (
    <div className="kv-view kv-console" aria-label="Console">
      <ol className="console-out kv-scroll" ref={outRef} aria-label="Console output" aria-live="polite">
        {lines.length === 0 && <li className="console-help">Type etcdctl-like commands: put a 1 · get a --prefix · lease grant 5 · watch svc/ --prefix · elect /election/web me · help</li>}
        {lines.map((l) => <li key={l.seq} className={`console-${l.kind}`}>{l.text}</li>)}
      </ol>
      {hint && <div className="console-hint mono" aria-live="polite">{hint}</div>}
      <div className="console-in">
        <label htmlFor="kv-console-input" className="mono">{client}&gt;</label>
        <input
          id="kv-console-input" className="mono" aria-label="Console command" autoComplete="off" spellCheck={false}
          value={text} onChange={(e) => setText(e.target.value)} onKeyDown={onKeyDown} placeholder="put a 1"
        />
        <select className="btn" aria-label="Node the console's client attaches to" value={String(via)} onChange={(e) => consoleStore.setState({ via: e.target.value === 'any' ? 'any' : Number(e.target.value) })}>
          <option value="any">via any node</option>
          {Array.from({ length: nodeCount }, (_, i) => <option key={i} value={i + 1}>via S{i + 1}</option>)}
        </select>
      </div>
    </div>
  );
}
