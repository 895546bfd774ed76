import { useEffect, useRef } from 'react';
import { useServices } from '../appContext.ts';
import type { NodeView } from '../../store/index.ts';
import { MAX_SPEED_LOG10 } from '../../store/index.ts';
import { createLogRenderer } from '../render/logRenderer.ts';
import { useReducedMotion } from '../useReducedMotion.ts';

function logMarksKey(nodes: readonly NodeView[]): string {
  let key = '';
  for (const n of nodes) {
    key += `${n.role[0]}${n.crashed ? 'x' : ''}${n.commit},${n.applied};`;
    for (const p of n.progress) key += `${p.match}/${p.next},`;
  }
  return key;
}

/** Nodes × log indexes; scrolls sideways for long logs and follows the end unless the user scrolled away. */
export function LogView() {
  const { store, frames } = useServices();
  const scrollRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const labelsRef = useRef<SVGSVGElement>(null);
  const reduced = useReducedMotion();
  const reducedRef = useRef(reduced);
  reducedRef.current = reduced;

  useEffect(() => {
    const renderer = createLogRenderer(scrollRef.current!, svgRef.current!, labelsRef.current!);
    let lastLogs: unknown = null;
    let lastMarks = '';
    let flashing = 0;
    let drawnAt = 0;
    return frames.onFrame((wall) => {
      const s = store.getState();
      if (s.controls.speedLog10 >= MAX_SPEED_LOG10 && !s.controls.paused && wall - drawnAt < 100) return;
      const hasFlash = s.logs.some((l) => l.truncated.length > 0);
      // The nodes change with every timer tick; the log view only shows their commit, applied and progress marks.
      const marks = logMarksKey(s.cluster.nodes);
      if (s.logs === lastLogs && marks === lastMarks && !(hasFlash && wall - flashing < 2000)) return;
      if (s.logs !== lastLogs && hasFlash) flashing = wall;
      lastLogs = s.logs;
      lastMarks = marks;
      drawnAt = wall;
      renderer.render({ logs: s.logs, nodes: s.cluster.nodes, reducedMotion: reducedRef.current });
    });
  }, [store, frames]);

  return (
    <section className="panel log-panel" aria-labelledby="log-title">
      <header><h2 id="log-title">Logs</h2></header>
      <div className="log-body">
        <svg className="log-labels" ref={labelsRef} aria-hidden="true" />
        <div className="log-scroll" ref={scrollRef} tabIndex={0} aria-label="Log entries by node and index (scrolls sideways)">
          <svg ref={svgRef} role="img" aria-label="Log grid: entries labelled by term; solid = committed, dashed = not yet" />
        </div>
      </div>
      <div className="log-legend" aria-hidden="true">
        <span>cell = term</span><span>dashed: not committed</span>
        <span><span style={{ color: 'var(--ok)', fontWeight: 700 }}>|</span> commit</span>
        <span>_ applied</span><span>● match</span><span style={{ color: 'var(--accent)' }}>▲ next</span>
        <span style={{ color: 'var(--danger)' }}>✕ truncated</span>
      </div>
    </section>
  );
}
