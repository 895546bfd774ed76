import { useFlotilla } from '../appContext.ts';
import { RecipeSafetyLine } from '../kv/RecipeSafetyLine.tsx';
import { VerdictLine } from '../kv/VerdictLine.tsx';

/** The Raft invariants checked live on every event: green, or the first violation with nodes and time. */
export function SafetyPanel() {
  const invariants = useFlotilla((s) => s.safety.invariants);
  const broken = invariants.filter((i) => !i.ok);
  return (
    <section className={`panel safety-panel${broken.length > 0 ? ' alarm' : ''}`} aria-labelledby="safety-title">
      <header>
        <h2 id="safety-title">Safety</h2>
        <span role="status" style={{ marginLeft: 'auto', fontSize: 13, fontWeight: 650, color: broken.length ? 'var(--danger)' : 'var(--ok)' }}>
          {broken.length ? `${broken.length} invariant${broken.length > 1 ? 's' : ''} violated` : 'All invariants hold'}
        </span>
      </header>
      <ul className="safety-list" aria-label="Invariants">
        {invariants.map((inv) =>
          inv.ok ? (
            <li key={inv.name} aria-label={`${inv.name}: holds`}><span className="safety-ok" aria-hidden="true">✓</span>{inv.name}</li>
          ) : (
            <li key={inv.name} className="bad" aria-label={`${inv.name}: violated`}>
              <span aria-hidden="true">✗</span>
              <span>{inv.name} violated at {inv.violation!.t} ms ({inv.violation!.nodes.map((n) => `S${n}`).join(', ')}): {inv.violation!.message}</span>
            </li>
          ),
        )}
      </ul>
      <VerdictLine />
      <RecipeSafetyLine />
    </section>
  );
}
