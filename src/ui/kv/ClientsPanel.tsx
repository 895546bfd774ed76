import { useServices } from '../appContext.ts';
import { useKv } from './kvContext.ts';
import type { ClientView } from '../../store/index.ts';

/** How a client reads to a screen reader and on its button: "c1, via S2, link connected". */
export function clientLabel(c: ClientView): string {
  const link = c.killed ? 'killed' : c.cutToNode && c.cutFromNode ? 'link cut' : c.cutToNode || c.cutFromNode ? 'link cut one way' : 'link connected';
  return `${c.name}, via ${c.node ? `S${c.node}` : 'no node'}, ${link}${c.requireLeader ? ', requires a leader' : ''}${c.paused ? ', paused' : ''}`;
}

/**
 * The clients, each next to the node it talks to, with its pending request, its last failure and its own link
 * (cut or restored here, both directions) and a kill switch.
 */
export function ClientsPanel() {
  const services = useServices();
  const clients = useKv((s) => s.clients);
  const act = (actions: { do: string; [k: string]: unknown }[]) => void services.driver.act(actions).catch(() => undefined);
  return (
    <ul className="clients-list" aria-label="Clients">
      {clients.map((c) => {
        const cut = c.cutToNode || c.cutFromNode;
        return (
          <li key={c.name} className={`client-row${c.killed ? ' killed' : ''}${cut ? ' cut' : ''}`}>
            <span className="client-name" aria-label={clientLabel(c)}><strong>{c.name}</strong> <span className="muted">→ S{c.node || '?'}</span></span>
            <span className="client-state">
              {!c.killed && c.paused && 'paused (timers frozen) · '}
              {c.killed ? 'killed' : c.pending ? <>waiting: <span className="mono">{c.pending}</span></> : 'idle'}
              {c.lastError && !c.killed && <span className="client-error"> · last: {c.lastError.reason}</span>}
            </span>
            <span className="client-tools">
              <button className="btn" disabled={c.killed || !c.node} aria-label={`${cut ? 'Restore' : 'Cut'} the link of ${c.name}`}
                onClick={() => act(cut
                  ? [{ do: 'restore', from: c.name, to: c.node }, { do: 'restore', from: c.node, to: c.name }]
                  : [{ do: 'cut', from: c.name, to: c.node }, { do: 'cut', from: c.node, to: c.name }])}>
                {cut ? 'Restore link' : 'Cut link'}
              </button>
              <button className="btn" disabled={c.killed} aria-label={`Kill client ${c.name}`} onClick={() => act([{ do: 'killClient', client: c.name }])}>Kill</button>
            </span>
          </li>
        );
      })}
      {clients.length === 0 && <li className="kv-empty">No client yet: a key-value scenario or the console creates them.</li>}
    </ul>
  );
}
