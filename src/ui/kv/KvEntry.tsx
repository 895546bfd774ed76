/**
 * The key-value views as the app shell places them: small components that render nothing in a Raft-only run and
 * load the views' code on first need (a page without clients never downloads it), so the shell's own bundle
 * stays as it was.
 */
import { lazy, Suspense } from 'react';
import './kv.css';
import { useStore } from 'zustand';
import { useKv } from './kvContext.ts';
import { kvPanelStore, setKvPanelOpen } from './kvPanelState.ts';

const KvWorkspace = lazy(() => import('./KvWorkspace.tsx').then((m) => ({ default: m.KvWorkspace })));
const ClientOverlay = lazy(() => import('./ClientOverlay.tsx').then((m) => ({ default: m.ClientOverlay })));
const CronLane = lazy(() => import('./CronLane.tsx').then((m) => ({ default: m.CronLane })));

/**
 * The workspace opens by itself in runs that have key-value clients; in a Raft-only run it stays closed (the Raft
 * views keep their room) until the user opens it from the safety panel's client-history line.
 */
export function KvWorkspaceWhenUsed() {
  const used = useKv((s) => s.clients.length > 0);
  const opened = useStore(kvPanelStore, (s) => s.open);
  if (!used && !opened) return null;
  return <Suspense fallback={null}><KvWorkspace onClose={used ? undefined : () => setKvPanelOpen(false)} /></Suspense>;
}

/** The clients next to their nodes, over the cluster view, once there are clients. */
export function ClientOverlayWhenUsed() {
  const used = useKv((s) => s.clients.length > 0);
  return used ? <Suspense fallback={null}><ClientOverlay /></Suspense> : null;
}

/** The cron lane under the timeline, once a cron job runs. */
export function CronLaneWhenUsed({ spanMs }: { spanMs: number }) {
  const used = useKv((s) => s.cron.jobs.length > 0);
  return used ? <Suspense fallback={null}><CronLane spanMs={spanMs} /></Suspense> : null;
}
