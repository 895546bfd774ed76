import { AppContext, type AppServices } from './appContext.ts';
import { TopBar } from './components/TopBar.tsx';
import { ClusterView } from './components/ClusterView.tsx';
import { LogView } from './components/LogView.tsx';
import { SafetyPanel } from './components/SafetyPanel.tsx';
import { NarrationView } from './components/NarrationView.tsx';
import { TimelineView } from './components/TimelineView.tsx';
import { TransportBar } from './components/TransportBar.tsx';
import { Menus } from './components/Menus.tsx';
import { KvWorkspaceWhenUsed } from './kv/KvEntry.tsx';
import { lazy, Suspense } from 'react';

// Dialogs (settings, inspector, shortcut sheet, fork question) load on first use: less JavaScript at start.
const Dialogs = lazy(() => import('./components/Dialogs.tsx').then((m) => ({ default: m.Dialogs })));
import { useKeyboardShortcuts } from './useKeyboardShortcuts.ts';
import { useStore } from 'zustand';
import { uiStore } from './uiState.ts';

function DialogsWhenOpen() {
  const open = useStore(uiStore, (s) => s.dialog !== null);
  return open ? <Dialogs /> : null;
}

/** The page: top bar, the cluster and timeline on the left, logs, safety and narration on the right. */
export function App({ services, banner }: { services: AppServices; banner: string }) {
  useKeyboardShortcuts(services);
  return (
    <AppContext.Provider value={services}>
      <div className="app">
        <div>
          <TopBar />
          {banner && <div className="banner" role="alert">{banner}</div>}
        </div>
        <main className="main">
          <ClusterView />
          <KvWorkspaceWhenUsed />
          <TimelineView />
          <div className="side">
            <LogView />
            <SafetyPanel />
            <NarrationView />
          </div>
        </main>
        <TransportBar />
      </div>
      <Menus />
      <Suspense fallback={null}><DialogsWhenOpen /></Suspense>
    </AppContext.Provider>
  );
}
