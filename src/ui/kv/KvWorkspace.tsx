import { useState, type KeyboardEvent } from 'react';
import { KvTable } from './KvTable.tsx';
import { LeasePanel } from './LeasePanel.tsx';
import { WatchStream } from './WatchStream.tsx';
import { RecipesPanel } from './RecipesPanel.tsx';
import { ClientsPanel } from './ClientsPanel.tsx';
import { KvConsole } from './console/KvConsole.tsx';

const TABS = [
  { id: 'keys', label: 'Keys', view: KvTable },
  { id: 'leases', label: 'Leases', view: LeasePanel },
  { id: 'watch', label: 'Watch', view: WatchStream },
  { id: 'recipes', label: 'Recipes', view: RecipesPanel },
  { id: 'console', label: 'Console', view: KvConsole },
] as const;

type TabId = (typeof TABS)[number]['id'];

/** The key-value views as tabs (WAI-ARIA tabs: arrows move between tabs), with the clients always shown above. */
export function KvWorkspace({ onClose }: { onClose?: () => void } = {}) {
  const [tab, setTab] = useState<TabId>('keys');
  const current = TABS.find((t) => t.id === tab)!;
  const View = current.view;
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>): void {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    e.stopPropagation();
    const i = TABS.findIndex((t) => t.id === tab);
    const next = TABS[(i + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length];
    setTab(next.id);
    document.getElementById(`kv-tab-${next.id}`)?.focus();
  }
  return (
    <section className="panel kv-panel" aria-labelledby="kv-title">
      <header>
        <h2 id="kv-title">Key-value</h2>
        <div className="kv-tabs" role="tablist" aria-label="Key-value views" onKeyDown={onKeyDown}>
          {TABS.map((t) => (
            <button key={t.id} id={`kv-tab-${t.id}`} role="tab" className="btn" aria-selected={t.id === tab} aria-controls="kv-tabpanel"
              tabIndex={t.id === tab ? 0 : -1} onClick={() => setTab(t.id)}>{t.label}</button>
          ))}
        </div>
        {onClose && <button className="btn icon" onClick={onClose} aria-label="Close key-value views">✕</button>}
      </header>
      <ClientsPanel />
      <div id="kv-tabpanel" role="tabpanel" aria-labelledby={`kv-tab-${tab}`} className="kv-tabpanel">
        <View />
      </div>
    </section>
  );
}
