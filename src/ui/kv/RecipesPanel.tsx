import { useKv } from './kvContext.ts';
import type { ElectionView, ServiceView } from '../../store/index.ts';

function shortKey(key: string, prefix: string): string {
  const rest = key.startsWith(prefix) ? key.slice(prefix.length) : key;
  return rest.length > 12 ? `${rest.slice(0, 10)}…` : rest;
}

function Election({ e }: { e: ElectionView }) {
  const head = e.queue[0];
  const dual = e.believers.length > 1;
  const what = e.kind === 'mutex' ? 'lock' : e.kind === 'cron' ? 'cron election' : 'election';
  return (
    <section className="recipe-card" aria-label={`${what} ${e.name}`}>
      <h3><span className="muted">{what}</span> <span className="mono">{e.name}</span></h3>
      <p className="recipe-line" role="status">
        {head ? <>{e.kind === 'mutex' ? 'Holder' : 'Leader'}: <strong>{head.owner ?? head.value}</strong> (lowest createRevision {head.createRevision})</> : 'Nobody: the queue is empty'}
      </p>
      {dual && (
        <p className="recipe-line warn" role="alert">
          {e.believers.length} clients believe they lead: {e.believers.map((b) => `${b.client} (since ${b.sinceMs} ms)`).join(', ')}. Belief is local and leases are timed: etcd allows this window.
        </p>
      )}
      <ol className="queue" aria-label={`Queue of ${e.name} by createRevision`}>
        {e.queue.map((q, i) => (
          <li key={q.key} className={i === 0 ? 'head' : undefined}>
            <span className="queue-rank" aria-hidden="true">{i === 0 ? '★' : i + 1}</span>
            <span><strong>{q.owner ?? '?'}</strong> <span className="mono muted">{shortKey(q.key, e.name.endsWith('/') ? e.name : `${e.name}/`)}</span></span>
            <span className="mono">rev {q.createRevision}</span>
            {e.believers.some((b) => b.client === q.owner) && <span className="kv-badge fresh">believes it leads</span>}
          </li>
        ))}
      </ol>
      {e.observers.length > 0 && (
        <p className="recipe-line muted">Observers: {e.observers.map((o) => `${o.client} sees ${JSON.stringify(o.value)}`).join(' · ')}</p>
      )}
    </section>
  );
}

function Service({ s }: { s: ServiceView }) {
  return (
    <section className="recipe-card" aria-label={`service ${s.name}`}>
      <h3><span className="muted">service</span> <span className="mono">{s.name}</span> <span className="muted">({s.pattern === 'lease' ? 'ephemeral keys held by leases' : 'heartbeat timestamps'})</span></h3>
      <ul className="instances" aria-label={`Live instances of ${s.name}`}>
        {s.live.map((i) => <li key={i.key}><strong>{i.instance}</strong> <span className="mono">{i.addr}</span>{i.client && <span className="muted"> by {i.client}</span>}</li>)}
        {s.live.length === 0 && <li className="muted">No live instance</li>}
      </ul>
      {s.discoverers.length > 0 && (
        <ul className="discoverers" aria-label={`Discovery of ${s.name}`}>
          {s.discoverers.map((d) => (
            <li key={d.client} aria-label={`${d.client} discovers ${d.instances.length} instances`}>
              <strong>{d.client}</strong> discovers: {d.instances.length > 0 ? d.instances.map((i) => i.instance).join(', ') : 'nothing'} <span className="muted">(at {d.atMs} ms)</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Elections and locks (their queues, leaders and observers) and the service registry (live instances). */
export function RecipesPanel() {
  const elections = useKv((s) => s.elections);
  const services = useKv((s) => s.services);
  return (
    <div className="kv-view kv-scroll" aria-label="Elections, locks and services">
      {elections.map((e) => <Election key={e.name} e={e} />)}
      {services.map((s) => <Service key={s.name} s={s} />)}
      {elections.length === 0 && services.length === 0 && <p className="kv-empty">No election, lock or service yet. Try <code>elect /election/web me</code>.</p>}
    </div>
  );
}
