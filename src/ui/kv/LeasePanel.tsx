import { useKv } from './kvContext.ts';
import { useFlotilla } from '../appContext.ts';
import type { LeaseView } from '../../store/index.ts';

/** How long a lease row stays highlighted after a new leader reset its TTL (virtual ms). */
const RESET_HIGHLIGHT_MS = 1500;

function LeaseRow({ lease, now }: { lease: LeaseView; now: number }) {
  const live = lease.state === 'live';
  const remaining = lease.expiresAtMs === null ? null : Math.max(0, lease.expiresAtMs - now);
  // After a leader change the remaining time is TTL + an election timeout: the bar is full and says so.
  const fraction = remaining === null ? 1 : Math.min(1, remaining / Math.max(1, lease.ttlMs));
  const justReset = lease.resetAtMs !== null && now - lease.resetAtMs >= 0 && now - lease.resetAtMs < RESET_HIGHLIGHT_MS;
  const label = !live
    ? `${lease.state} at ${lease.endedAtMs ?? '?'} ms`
    : remaining === null ? 'no leader counts it now'
    : remaining > lease.ttlMs ? `${(remaining / 1000).toFixed(1)} s left (TTL ${(lease.ttlMs / 1000).toFixed(1)} s, extended at the takeover)`
    : `${(remaining / 1000).toFixed(1)} s left of ${(lease.ttlMs / 1000).toFixed(1)} s`;
  return (
    <li className={`lease-row ${lease.state}${justReset ? ' just-reset' : ''}`} aria-label={`Lease ${lease.name}${lease.owner ? ` of ${lease.owner}` : ''}: ${label}${justReset ? ', TTL just reset by a new leader' : ''}`}>
      <div className="lease-head">
        <span className="mono lease-name">{lease.name}{lease.name !== lease.id && <span className="muted"> {lease.id.slice(0, 8)}</span>}</span>
        {lease.owner && <span className="muted">{lease.owner}</span>}
        <span className="lease-label">{label}</span>
        {justReset && <span className="kv-badge reset">TTL reset</span>}
      </div>
      <div className="ttl-track" aria-hidden="true">
        <div className={`ttl-bar${remaining === null && live ? ' frozen' : ''}`} style={{ width: `${live ? fraction * 100 : 0}%` }} />
      </div>
      {lease.keys.length > 0 && <div className="mono lease-keys">{lease.keys.join(' · ')}</div>}
    </li>
  );
}

/**
 * Leases with their TTL as the leader's lease clock counts it. When a new leader takes over, etcd restarts every
 * TTL (plus an election timeout): the rows flash "TTL reset" and the bars jump back to full.
 */
export function LeasePanel() {
  const leases = useKv((s) => s.leases);
  const now = useFlotilla((s) => s.run.now);
  return (
    <div className="kv-view" aria-label="Leases">
      <div className="kv-toolbar">
        <span role="status">
          {leases.clockNode ? <>Counted by leader <strong>S{leases.clockNode}</strong> since {leases.clockSinceMs} ms</> : 'No leader counts leases now: none can expire'}
        </span>
      </div>
      <ul className="lease-list kv-scroll">
        {leases.leases.map((l) => <LeaseRow key={l.id} lease={l} now={now} />)}
      </ul>
      {leases.leases.length === 0 && <p className="kv-empty">No lease granted yet.</p>}
    </div>
  );
}
