import { useStore } from 'zustand';
import { useKv } from './kvContext.ts';
import { kvPanelStore, setKvPanelOpen } from './kvPanelState.ts';

/** The linearizability verdict of the client history, for the safety panel: live, checked off the frame path. */
export function VerdictLine() {
  const v = useKv((s) => s.verdict);
  const hasClients = useKv((s) => s.clients.length > 0);
  const opened = useStore(kvPanelStore, (s) => s.open);
  if (v.status === 'none') {
    return (
      <div className="verdict-line none">
        <span>Client history: {hasClients ? 'no operation yet' : 'no client in this run'}</span>
        {!hasClients && !opened && <button className="btn" onClick={() => setKvPanelOpen(true)}>Open key-value views</button>}
      </div>
    );
  }
  const bad = v.status === 'not-linearizable' || v.status === 'undecided' || !v.revisionOrderOk;
  let text: string;
  switch (v.status) {
    case 'pending': text = v.checkedEvents > 0 ? `checking… (last: ${v.operations} operations)` : 'checking…'; break;
    case 'linearizable': text = `linearizable (${v.operations} operations)`; break;
    case 'not-linearizable': text = `NOT linearizable: ${v.failingKey ?? 'a key'}${v.failingOp ? `: ${v.failingOp}` : ''}`; break;
    case 'undecided': text = `undecided${v.failingKey ? ` on ${v.failingKey}` : ''}${v.failingOp ? `: ${v.failingOp}` : ''}`; break;
  }
  return (
    <div className={`verdict-line${bad ? ' bad' : ''}`} role="status" aria-label={`Client history: ${text}`}>
      <span aria-hidden="true">{bad ? '✗' : v.status === 'pending' ? '…' : '✓'}</span>
      <span>Client history {text}{!v.revisionOrderOk && v.revisionOrderMessage ? `; revision went back: ${v.revisionOrderMessage}` : ''}</span>
    </div>
  );
}
