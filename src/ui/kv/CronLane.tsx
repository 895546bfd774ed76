import { useEffect, useMemo, useRef, useState } from 'react';
import { useFlotilla } from '../appContext.ts';
import { useKv } from './kvContext.ts';
import { linearScale } from '../render/linearScale.ts';

const HEIGHT = 34;
const LABEL_WIDTH = 64;

/**
 * The cron lane under the timeline: period boundaries, one mark per run (✓) and per refused run (✗, a deposed
 * leader's fenced record), over the same window the timeline shows (the last `spanMs` before now).
 */
export function CronLane({ spanMs }: { spanMs: number }) {
  const cron = useKv((s) => s.cron);
  const boxRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(600);
  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const observer = new ResizeObserver(() => setWidth(Math.max(120, box.clientWidth)));
    observer.observe(box);
    return () => observer.disconnect();
  }, [cron.jobs.length > 0]);
  const now = useFlotilla((s) => s.run.now);
  const end = Math.max(now, spanMs);
  const x = useMemo(() => linearScale([end - spanMs, end], [LABEL_WIDTH, Math.max(LABEL_WIDTH + 10, width - 8)]), [end, spanMs, width]);
  if (cron.jobs.length === 0) return <div ref={boxRef} />;
  const rowHeight = HEIGHT;
  const height = rowHeight * cron.jobs.length;
  const runs = cron.marks.filter((m) => m.kind === 'run').length;
  const refused = cron.marks.length - runs;
  return (
    <div className="cron-lane" ref={boxRef}>
      <svg width={width} height={height} role="img" aria-label={`Cron lane: ${runs} runs, ${refused} refused${cron.doubleRuns.length ? `, ${cron.doubleRuns.length} periods run twice` : ''}`}>
        {cron.jobs.map((job, row) => {
          const y = row * rowHeight;
          const first = Math.max(0, Math.floor((end - spanMs - job.atMs) / job.everyMs));
          const last = Math.floor((end - job.atMs) / job.everyMs) + 1;
          const bounds = [];
          for (let k = first; k <= last; k++) bounds.push(k);
          return (
            <g key={job.job} transform={`translate(0, ${y})`}>
              <text className="cron-label" x={4} y={rowHeight / 2 + 4}>{job.job}</text>
              <line className="cron-axis" x1={LABEL_WIDTH} x2={width - 8} y1={rowHeight / 2} y2={rowHeight / 2} />
              {bounds.map((k) => {
                const bx = x(job.atMs + k * job.everyMs);
                return bx >= LABEL_WIDTH && bx <= width - 24 ? <g key={k}><line className="cron-period" x1={bx} x2={bx} y1={4} y2={rowHeight - 4} /><text className="cron-period-label" x={bx + 2} y={11}>{k}</text></g> : null;
              })}
              {cron.marks.filter((m) => m.job === job.job && x(m.t) >= LABEL_WIDTH).map((m, i) => (
                <text key={`${m.t}-${m.client}-${i}`} className={`cron-mark ${m.kind}`} x={x(m.t)} y={rowHeight / 2 + 5}>
                  <title>{`${m.client} ${m.kind === 'run' ? 'ran' : 'was refused'} period ${m.period} at ${m.t} ms`}</title>
                  {m.kind === 'run' ? '✓' : '✗'}
                </text>
              ))}
            </g>
          );
        })}
      </svg>
      <ul className="sr-only" aria-label="Cron runs">
        {cron.marks.slice(-20).map((m, i) => <li key={i}>{`${m.job} period ${m.period}: ${m.kind === 'run' ? 'run' : 'refused'} by ${m.client} at ${m.t} ms`}</li>)}
      </ul>
      {cron.doubleRuns.length > 0 && (
        <p className="cron-alarm" role="alert">Period run twice: {cron.doubleRuns.map((d) => `${d.job} #${d.period} by ${d.clients.join(' and ')}`).join('; ')}</p>
      )}
    </div>
  );
}
