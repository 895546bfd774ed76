import { useMemo } from 'react';
import { useServices, useFlotilla } from '../appContext.ts';
import { setControls } from '../../store/index.ts';
import type { FlotillaState, NarrationCategory } from '../../store/index.ts';
import { useThrottledSelector } from '../useThrottled.ts';

const CATEGORIES: { value: NarrationCategory | 'all'; label: string }[] = [
  { value: 'all', label: 'All kinds' },
  { value: 'election', label: 'Elections' },
  { value: 'leadership', label: 'Leadership' },
  { value: 'replication', label: 'Replication' },
  { value: 'client', label: 'Clients' },
  { value: 'fault', label: 'Faults & network' },
  { value: 'other', label: 'Other' },
];

const selectNarrationVersion = (s: FlotillaState) => s.narration.version;

/** Lines shown at most (the newest); the store keeps more for filtering. */
const SHOWN = 150;

/** Arrow keys, Home and End move the focus between the narration's buttons (the list is one tab stop). */
function moveFocus(e: React.KeyboardEvent<HTMLOListElement>) {
  const buttons = Array.from(e.currentTarget.querySelectorAll<HTMLButtonElement>('button'));
  if (buttons.length === 0) return;
  const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
  const next =
    e.key === 'ArrowDown' ? Math.min(buttons.length - 1, i < 0 ? buttons.length - 1 : i + 1)
    : e.key === 'ArrowUp' ? Math.max(0, i < 0 ? buttons.length - 1 : i - 1)
    : e.key === 'Home' ? 0
    : e.key === 'End' ? buttons.length - 1
    : -1;
  if (next < 0) return;
  e.preventDefault();
  e.stopPropagation();
  buttons[next].focus();
}

/** The live event log in plain English, newest at the bottom, filterable by node and kind. */
export function NarrationView() {
  const { store, driver } = useServices();
  // While playing, a few updates a second are all anyone can read (and cheap to draw during fast-forward); when
  // paused, each step's sentences show at once, with the step that caused them.
  const paused = useFlotilla((s) => s.controls.paused);
  const version = useThrottledSelector(selectNarrationVersion, paused ? 0 : 200);
  const lines = useFlotilla((s) => s.narration.lines);
  const nodeCount = useFlotilla((s) => s.cluster.nodes.length);
  const node = useFlotilla((s) => s.controls.narrationNode);
  const category = useFlotilla((s) => s.controls.narrationCategory);
  const shown = useMemo(() => {
    const out = [];
    for (let i = lines.size - 1; i >= 0 && out.length < SHOWN; i--) {
      const l = lines.at(i);
      if ((node === 0 || l.node === node) && (category === 'all' || l.category === category)) out.push(l);
    }
    return out.reverse();
  }, [version, lines, node, category]);

  return (
    <section className="panel narration-panel" aria-labelledby="narration-title">
      <header>
        <h2 id="narration-title">What happened</h2>
        <div className="tools narration-filters">
          <select className="btn" aria-label="Filter narration by node" value={node} onChange={(e) => setControls(store, { narrationNode: Number(e.target.value) })}>
            <option value={0}>All nodes</option>
            {Array.from({ length: nodeCount }, (_, i) => <option key={i} value={i + 1}>S{i + 1}</option>)}
          </select>
          <select className="btn" aria-label="Filter narration by kind" value={category} onChange={(e) => setControls(store, { narrationCategory: e.target.value as NarrationCategory | 'all' })}>
            {CATEGORIES.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
          </select>
        </div>
      </header>
      {/* One tab stop for the whole list; arrow keys move between its "go to" buttons. */}
      <ol className="narration-list" aria-label="Narration" aria-live="polite" tabIndex={0} onKeyDown={moveFocus}
        ref={(el) => { if (el) el.scrollTop = el.scrollHeight; }}>
        {shown.map((l, i) => (
          <li key={l.seq} className={`cat-${l.category}${i === shown.length - 1 ? ' latest' : ''}`}>
            <button tabIndex={-1} onClick={() => { setControls(store, { paused: true }); void driver.seekEvent(l.eventIndex); }} aria-label={`Go to ${l.t} ms`} title="Go to this moment">
              {(l.t / 1000).toFixed(3)}s
            </button>
            <span>{l.text}</span>
          </li>
        ))}
      </ol>
      {shown.length === 0 && <p className="narration-empty">Nothing yet. Press Play (Space) or Step (→).</p>}
    </section>
  );
}
