import { useEffect, useMemo, useRef } from 'react';
import { useStore } from 'zustand';
import { useServices, useFlotilla } from '../../appContext.ts';
import { useKv, useKvServices } from '../kvContext.ts';
import { consoleStore, printLines } from './consoleState.ts';
import { submitConsoleLine } from './consoleSubmit.ts';
import { useConsoleInput } from './useConsoleInput.ts';

/**
 * A small etcdctl: each line becomes client actions submitted to the run (like any user action: recorded in the
 * URL, replayed exactly). The console's client is created on first use, attached to the chosen node. What a line
 * does is consoleSubmit.ts; the input line's history and completion are useConsoleInput.ts.
 */
export function KvConsole() {
  const { driver } = useServices();
  const { store: kvStore } = useKvServices();
  const nodeCount = useFlotilla((s) => s.cluster.nodes.length);
  const lines = useStore(consoleStore, (s) => s.lines);
  const client = useStore(consoleStore, (s) => s.client);
  const via = useStore(consoleStore, (s) => s.via);
  const outcomesVersion = useKv((s) => s.outcomes.version);
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
  const submit = (line: string) => void submitConsoleLine(line, { driver, kv: kvStore.getState(), nodeCount, client, via });
  const { text, setText, hint, onKeyDown } = useConsoleInput(submit, completion);

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
