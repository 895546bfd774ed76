import { AppContext, type AppServices } from './appContext.ts';
import { TopBar } from './components/TopBar.tsx';
import { ClusterView } from './components/ClusterView.tsx';
import { LogView } from './components/LogView.tsx';
import { SafetyPanel } from './components/SafetyPanel.tsx';
import { NarrationView } from './components/NarrationView.tsx';
import { TimelineView } from './components/TimelineView.tsx';
import { TransportBar } from './components/TransportBar.tsx';
import { Menus } from './components/Menus.tsx';
import { Dialogs } from './components/Dialogs.tsx';
import { useKeyboardShortcuts } from './useKeyboardShortcuts.ts';

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
      <Dialogs />
    </AppContext.Provider>
  );
}
