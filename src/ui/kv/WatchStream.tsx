import { useMemo } from 'react';
import { useKv } from './kvContext.ts';

/** Lines shown at most (the newest). */
const SHOWN = 120;

/** Events delivered on the clients' watches, in the order they arrived, newest at the bottom. */
export function WatchStream() {
  const version = useKv((s) => s.watches.version);
  const ring = useKv((s) => s.watches.lines);
  const open = useKv((s) => s.watches.open);
  const lines = useMemo(() => {
    const all = ring.toArray();
    return all.slice(Math.max(0, all.length - SHOWN));
  }, [ring, version]);
  return (
    <div className="kv-view" aria-label="Watch stream">
      <div className="kv-toolbar">
        <span>{open.length === 0 ? 'No open watch' : `Open: ${open.map((w) => `${w.client}/${w.watch} on ${w.key}${w.prefix ? '*' : ''}`).join(', ')}`}</span>
      </div>
      <ol className="watch-list kv-scroll" aria-label="Watch events" ref={(el) => { if (el) el.scrollTop = el.scrollHeight; }}>
        {lines.map((l) => (
          <li key={l.seq} className={`watch-${l.kind.toLowerCase()}`} title={`${l.client}/${l.watch}`}>
            <span className="mono muted">{(l.t / 1000).toFixed(3)}s</span>
            <span className="watch-kind">{l.kind === 'CANCELED' ? 'CANCEL' : l.kind}</span>
            <span className="mono watch-body">
              <span className="muted">{l.client}/{l.watch} </span>
              {l.kind === 'CANCELED' ? l.error : `${l.key}${l.kind === 'PUT' ? ` = ${l.value}` : ''}`}
            </span>
            {l.kind !== 'CANCELED' && <span className="mono muted">r{l.modRevision}</span>}
          </li>
        ))}
      </ol>
      {lines.length === 0 && <p className="kv-empty">No watch event yet. Try <code>watch svc/ --prefix</code> in the console.</p>}
    </div>
  );
}
