import { useState } from 'react';
import { useServices, useFlotilla } from '../appContext.ts';
import { MAX_SPEED_LOG10, MIN_SPEED_LOG10, setControls } from '../../store/index.ts';
import { togglePlay } from '../actions/commands.ts';
import { downloadBlob } from '../download.ts';
import type { RunProgress } from '../../store/index.ts';
import { useStore } from 'zustand';
import { notify, uiStore } from '../uiState.ts';

const SCRUB_WHOLE_RUN_MS = 600_000;

function Icon({ d }: { d: string }) {
  return <svg viewBox="0 0 16 16" aria-hidden="true"><path d={d} /></svg>;
}

/** "1/20×", "1×", "50×", "fast-forward". */
export function speedText(log10: number): string {
  if (log10 >= MAX_SPEED_LOG10) return 'fast-forward';
  const v = 10 ** log10;
  if (v >= 1) return `${Number(v.toPrecision(2))}×`;
  return `1/${Number((1 / v).toPrecision(2))}×`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

/** "Seeking: 120,000 of 1,000,000 events (12%)", "Running to the end: 12.5 of 3600 s (0%)". */
export function progressText(p: RunProgress): string {
  const pct = p.total > 0 ? Math.floor((100 * p.done) / p.total) : 100;
  const amount = p.unit === 'events'
    ? `${p.done.toLocaleString('en-US')} of ${p.total.toLocaleString('en-US')} events`
    : `${(p.done / 1000).toFixed(1)} of ${(p.total / 1000).toLocaleString('en-US')} s`;
  return `${p.label}: ${amount} (${pct}%)`;
}

/** Trace sizes in the page's words: "12.3 MB", "640 KB". */
function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** Play/pause, step, step back, speed, the scrubber over the run, the run's status and its trace. */
export function TransportBar() {
  const services = useServices();
  const { store, driver } = services;
  const paused = useFlotilla((s) => s.controls.paused);
  const speed = useFlotilla((s) => s.controls.speedLog10);
  const now = useFlotilla((s) => s.run.now);
  const events = useFlotilla((s) => s.run.eventIndex);
  const horizonT = useFlotilla((s) => s.run.horizonT);
  const horizonEvents = useFlotilla((s) => s.run.horizonEvents);
  const until = useFlotilla((s) => s.run.until);
  const phase = useFlotilla((s) => s.run.phase);
  const error = useFlotilla((s) => s.run.error);
  const sha = useFlotilla((s) => s.run.traceSha256);
  const progress = useFlotilla((s) => s.run.progress);
  const notice = useStore(uiStore, (s) => s.notice);
  const violated = useFlotilla((s) => s.safety.invariants.some((i) => !i.ok));
  const [scrub, setScrub] = useState<number | null>(null);
  // A bounded scenario (up to 10 virtual minutes) scrubs over its whole length, running ahead when needed;
  // an open-ended one over what has been reached.
  const scrubMax = Math.max(1, until <= SCRUB_WHOLE_RUN_MS ? until : Math.min(until, Math.max(horizonT, now)));
  const inPast = events < horizonEvents;

  const commitScrub = () => {
    if (scrub === null) return;
    setControls(store, { paused: true });
    void driver.seekTime(scrub).finally(() => setScrub(null));
  };
  const download = async () => {
    const trace = await driver.traceDownload();
    const name = (driver.scenarioJson().name as string | undefined) || 'run';
    const seed = store.getState().run.seed;
    if (trace.kind === 'tooLarge') {
      notify(`The trace is ${megabytes(trace.bytes)}: too large to download from the page. Use Export scenario, then \`npx flotilla sim SCENARIO.json --seed ${seed} --out trace.jsonl\`.`);
      return;
    }
    downloadBlob(`${name.replace(/[^\w.-]+/g, '-')}-seed${seed}.trace.jsonl`, trace.blob);
  };
  const stopJob = () => {
    driver.cancelJobs();
    setControls(store, { paused: true });
  };

  return (
    <footer className="transport" aria-label="Playback">
      <button className="btn icon" onClick={() => { setControls(store, { paused: true }); void driver.stepBack(); }} disabled={events === 0} aria-label="Step back" title="Step back one event (←)"><Icon d="M4 3h2v10H4zM14 3v10L7 8z" /></button>
      {progress ? (
        <button className="btn icon primary" onClick={stopJob} aria-label="Pause" title="Stop this job (Space, Esc)"><Icon d="M3 2h4v12H3zM9 2h4v12H9z" /></button>
      ) : (
        <button className="btn icon primary" onClick={() => togglePlay(services)} disabled={phase !== 'running'} aria-label={paused ? 'Play' : 'Pause'} title="Play / pause (Space)">
          {paused ? <Icon d="M4 2l10 6-10 6z" /> : <Icon d="M3 2h4v12H3zM9 2h4v12H9z" />}
        </button>
      )}
      <button className="btn icon" onClick={() => { setControls(store, { paused: true }); void driver.step(); }} disabled={phase !== 'running'} aria-label="Step" title="Step one event (→)"><Icon d="M2 3v10l7-5zM10 3h2v10h-2z" /></button>
      <label className="speed">
        Speed
        <input type="range" min={MIN_SPEED_LOG10} max={MAX_SPEED_LOG10} step={0.1} value={speed} aria-label="Speed" aria-valuetext={speedText(speed)}
          onChange={(e) => setControls(store, { speedLog10: Number(e.target.value) })} />
        <span className="mono" style={{ minWidth: 86 }}>{speedText(speed)}</span>
      </label>
      <input className="scrubber" type="range" min={0} max={scrubMax} step={1} value={Math.min(scrub ?? now, scrubMax)} aria-label="Scrubber: virtual time"
        aria-valuetext={seconds(scrub ?? now)}
        onChange={(e) => setScrub(Number(e.target.value))} onPointerUp={commitScrub} onKeyUp={commitScrub} onBlur={commitScrub} />
      <span className="clock" aria-label="Virtual time">{seconds(scrub ?? now)} <span style={{ color: 'var(--muted)', fontWeight: 400 }}>· #{events}{inPast ? ` of ${horizonEvents}` : ''}</span></span>
      <span className="status-line" role="status" aria-live="polite" aria-label="Run status">
        {phase === 'finished' && (violated ? <span className="err">Stopped: safety violated</span> : <span className="done">Finished</span>)}
        {phase === 'error' && <span className="err">Error: {error}</span>}
        {phase === 'loading' && !progress && <span>Loading…</span>}
        {progress && <span className="progress" role="progressbar" aria-label="Job progress" aria-valuemin={0} aria-valuemax={progress.total} aria-valuenow={progress.done}>{progressText(progress)} · Esc or Pause stops</span>}
        {inPast && phase !== 'error' && <span>In the past: acting here forks the run</span>}
        {notice && <span>{notice}</span>}
      </span>
      {phase === 'finished' && sha && (
        <span className="status-line">sha256 <output className="sha" aria-label="Trace sha256" title={sha}>{sha}</output></span>
      )}
      <button className="btn" onClick={() => { setControls(store, { paused: true }); void driver.runToEnd(); }} disabled={phase !== 'running'} title="Run every remaining event at full speed (E)">Run to end</button>
      <button className="btn" onClick={() => void download()} disabled={phase === 'loading' || phase === 'idle'}>Download trace</button>
    </footer>
  );
}
