import { useKv, useKvServices } from './kvContext.ts';
import { setKvControls } from '../../store/index.ts';
import { elideMiddle } from './elide.ts';

/**
 * The store as one chosen node sees it: what a serializable read there returns. A node behind the most advanced
 * replica is marked stale with how many revisions it lags.
 */
export function KvTable() {
  const { store } = useKvServices();
  const table = useKv((s) => s.table);
  const chosen = useKv((s) => s.controls.tableNode);
  const stale = table.behind > 0;
  return (
    <div className="kv-view" aria-label="Key-value table">
      <div className="kv-toolbar">
        <label>
          As seen by{' '}
          <select className="btn" aria-label="Node whose replica the table shows" value={chosen} onChange={(e) => setKvControls(store, { tableNode: Number(e.target.value) })}>
            <option value={0}>the leader{chosen === 0 && table.node ? ` (S${table.node})` : ''}</option>
            {table.replicas.map((r) => <option key={r.node} value={r.node}>S{r.node}{r.crashed ? ' (down)' : ''}</option>)}
          </select>
        </label>
        <span className="mono kv-rev">rev {table.revision} · applied #{table.appliedIndex}{table.compactRevision > 0 ? ` · compacted ≤ ${table.compactRevision}` : ''}</span>
        <span role="status" className={stale ? 'kv-badge stale' : 'kv-badge fresh'}>
          {stale ? `Stale: ${table.behind} revision${table.behind > 1 ? 's' : ''} behind (newest ${table.newestRevision})` : 'Up to date'}
        </span>
      </div>
      <div className={`kv-scroll${stale ? ' is-stale' : ''}`}>
        <table className="kv-table">
          <caption className="sr-only">Keys on S{table.node}{stale ? `, stale by ${table.behind} revisions` : ''}</caption>
          <thead>
            <tr>
              <th scope="col">Key</th><th scope="col">Value</th>
              <th scope="col" className="num"><abbr title="createRevision">cRev</abbr></th>
              <th scope="col" className="num"><abbr title="modRevision">mRev</abbr></th>
              <th scope="col" className="num"><abbr title="version">ver</abbr></th>
              <th scope="col">Lease</th>
            </tr>
          </thead>
          <tbody>
            {table.rows.map((r) => (
              <tr key={r.key} className={r.modRevision > table.revision - table.behind && stale ? 'fresh-row' : undefined}>
                <th scope="row" className="mono kv-key" title={r.key} aria-label={r.key}>{elideMiddle(r.key)}</th>
                <td className="mono kv-value" title={r.value}>{r.value}</td>
                <td className="mono num">{r.createRevision}</td>
                <td className="mono num">{r.modRevision}</td>
                <td className="mono num">{r.version}</td>
                <td className="mono kv-lease" title={r.lease === '0' ? 'no lease' : `lease id ${r.lease}`}>{r.lease === '0' ? '—' : r.leaseName ?? r.lease}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {table.rows.length === 0 && <p className="kv-empty">No keys on S{table.node || '?'} yet.</p>}
        {table.keyCount > table.rows.length && <p className="kv-empty">…and {table.keyCount - table.rows.length} more keys.</p>}
      </div>
    </div>
  );
}
