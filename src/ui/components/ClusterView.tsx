import { useEffect, useRef } from 'react';
import { useServices, useFlotilla } from '../appContext.ts';
import { createClusterRenderer } from '../render/clusterRenderer.ts';
import { uiStore } from '../uiState.ts';
import { setControls } from '../../store/index.ts';
import { perform } from '../actions/commands.ts';
import { healAll, isolateLeader, splitMinority } from '../actions/linkActions.ts';
import { leaderOf } from '../actions/nodeActions.ts';
import { Legend } from './Legend.tsx';
import { ClientOverlayWhenUsed } from '../kv/KvEntry.tsx';
import { useReducedMotion } from '../useReducedMotion.ts';
import { trackSize } from '../render/sizeTracker.ts';

/** The ring of nodes with links and messages in flight; clicking a node or a link opens its menu. */
export function ClusterView() {
  const services = useServices();
  const { store, frames } = services;
  const svgRef = useRef<SVGSVGElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const reducedMotion = useReducedMotion();
  const reducedRef = useRef(reducedMotion);
  reducedRef.current = reducedMotion;
  const nodeCount = useFlotilla((s) => s.cluster.nodes.length);
  const leader = useFlotilla((s) => leaderOf(s.cluster.nodes)?.id ?? 0);
  const leaderTerm = useFlotilla((s) => s.cluster.nodes.reduce((m, n) => Math.max(m, n.term), 0));
  const cutCount = useFlotilla((s) => s.cluster.cuts.size);

  useEffect(() => {
    const svg = svgRef.current!;
    const body = bodyRef.current!;
    const renderer = createClusterRenderer(svg, {
      onNode(id, r) {
        setControls(store, { selectedNode: id });
        uiStore.setState({ menu: { kind: 'node', node: id, x: r.right + 6, y: r.top } });
      },
      onLink(a, b, r) {
        uiStore.setState({ menu: { kind: 'link', a, b, x: r.left + r.width / 2, y: r.top + r.height / 2 } });
      },
    });
    let lastKey = '';
    const size = trackSize(body);
    const stop = frames.onFrame(() => {
      const s = store.getState();
      const w = Math.round(size.width);
      const h = Math.round(size.height);
      const animating = s.messages.ended.length > 0 || s.messages.inFlight.length > 0;
      const key = `${w}x${h}|${s.run.now}|${s.run.eventIndex}|${s.controls.selectedNode}|${animating ? performance.now() : ''}`;
      if (key === lastKey) return;
      lastKey = key;
      const latency = s.run.network.latencyMs;
      renderer.render({
        nodes: s.cluster.nodes, cuts: s.cluster.cuts, inFlight: s.messages.inFlight, ended: s.messages.ended,
        now: s.run.now, meanLatencyMs: (latency[0] + latency[1]) / 2, selectedNode: s.controls.selectedNode,
        reducedMotion: reducedRef.current,
      }, w, h);
    });
    return () => { stop(); size.dispose(); };
  }, [store, frames]);

  return (
    <section className="panel cluster-panel" aria-labelledby="cluster-title">
      <header>
        <h2 id="cluster-title">Cluster</h2>
        <span className="sr-only" aria-live="polite">{leader ? `S${leader} leads term ${leaderTerm}` : 'no leader'}</span>
        <div className="tools" role="toolbar" aria-label="Network presets">
          <button className="btn" onClick={() => perform(services, isolateLeader())} disabled={!leader} title="Cut the leader off from everyone (X)">Isolate leader</button>
          <button className="btn" onClick={() => perform(services, splitMinority(nodeCount, leader))} title="Partition: the leader's minority | the majority (S)">
            Split {Math.floor((nodeCount - 1) / 2) || 1}|{nodeCount - (Math.floor((nodeCount - 1) / 2) || 1)}
          </button>
          <button className="btn" onClick={() => perform(services, healAll())} disabled={cutCount === 0} title="Restore every link (H)">Heal all</button>
        </div>
      </header>
      <div className="cluster-body" ref={bodyRef}>
        <svg ref={svgRef} role="group" aria-label="Cluster: nodes and links" />
        <ClientOverlayWhenUsed />
        <div className="cluster-status" aria-hidden="true">
          {leader ? <>Leader <strong>S{leader}</strong> · term <strong>{leaderTerm}</strong></> : <>No leader · term <strong>{leaderTerm}</strong></>}
        </div>
      </div>
      <Legend />
    </section>
  );
}
