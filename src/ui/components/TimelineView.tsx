import { useEffect, useRef, useState } from 'react';
import { useServices, useFlotilla } from '../appContext.ts';
import { createTimelineRenderer, timelineHeight, type TimelineRenderer } from '../render/timelineRenderer.ts';
import { CronLaneWhenUsed } from '../kv/KvEntry.tsx';
import { MAX_SPEED_LOG10, setControls } from '../../store/index.ts';

/** The space-time diagram; click an event (or a time) to move the whole UI there. */
export function TimelineView() {
  const { store, frames, driver } = useServices();
  const svgRef = useRef<SVGSVGElement>(null);
  const rendererRef = useRef<TimelineRenderer | null>(null);
  const [following, setFollowing] = useState(true);
  const [heartbeats, setHeartbeats] = useState(false);
  const heartbeatsRef = useRef(heartbeats);
  heartbeatsRef.current = heartbeats;
  const nodeCount = useFlotilla((s) => s.cluster.nodes.length);
  const electionTimeoutMs = useFlotilla((s) => s.run.config.electionTimeoutMs);

  useEffect(() => {
    const renderer = createTimelineRenderer(svgRef.current!, {
      onSeekEvent(i) { setControls(store, { paused: true }); void driver.seekEvent(i); },
      onSeekTime(t) { setControls(store, { paused: true }); void driver.seekTime(t); },
      onFollowChange: setFollowing,
    });
    rendererRef.current = renderer;
    let drawnAt = 0;
    return frames.onFrame((wall) => {
      const s = store.getState();
      // During fast-forward the diagram changes every frame; ten redraws a second are enough to watch it.
      if (s.controls.speedLog10 >= MAX_SPEED_LOG10 && !s.controls.paused && wall - drawnAt < 100) return;
      drawnAt = wall;
      const et = s.run.config.electionTimeoutMs;
      renderer.render({ timeline: s.timeline, nodeCount: s.cluster.nodes.length, now: s.run.now, spanMs: et * 4, showHeartbeats: heartbeatsRef.current });
    });
  }, [store, frames, driver]);

  return (
    <section className="panel timeline-panel" aria-labelledby="timeline-title">
      <header>
        <h2 id="timeline-title">Timeline</h2>
        <span style={{ fontSize: 12.5, color: 'var(--muted)' }}>drag: pan · wheel: zoom · click ★ ✕ ↻ or a time: go there</span>
        <div className="tools">
          <button className="btn" onClick={() => setHeartbeats(!heartbeats)} aria-pressed={heartbeats}>Heartbeats</button>
          <button className="btn" onClick={() => rendererRef.current?.zoomBy(1.5)} aria-label="Zoom timeline in">+</button>
          <button className="btn" onClick={() => rendererRef.current?.zoomBy(1 / 1.5)} aria-label="Zoom timeline out">−</button>
          <button className="btn" onClick={() => rendererRef.current?.follow()} aria-pressed={following}>Follow now</button>
        </div>
      </header>
      <div className="timeline-body" style={{ height: timelineHeight(nodeCount) }}>
        <svg ref={svgRef} role="group" aria-label="Timeline: one lane per node, messages as arrows" />
      </div>
      <CronLaneWhenUsed spanMs={electionTimeoutMs * 4} />
    </section>
  );
}
