import { useRef, useState } from 'react';
import { useStore } from 'zustand';
import { useServices, useFlotilla } from '../appContext.ts';
import { formatRunUrl, encodeInlineScenario, type RunSpec } from '../../store/index.ts';
import { copyRunLink, exportScenario, importRunFile } from '../runFiles.ts';
import { openDialog, setTheme, uiStore } from '../uiState.ts';

/** Title, scenario menu, seed and new run, import/export (runFiles.ts), share link, theme and help. */
export function TopBar() {
  const { catalog, driver, open, currentRun } = useServices();
  const theme = useStore(uiStore, (s) => s.theme);
  const seed = useFlotilla((s) => s.run.seed);
  const [seedText, setSeedText] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const current = currentRun();

  const openWith = (patch: Partial<RunSpec>) => {
    const spec = { ...current, actions: [], position: null, runToEnd: false, ...patch };
    void open(formatRunUrl(spec));
  };
  const importFile = (file: File) => importRunFile(file, driver, (json) => openWith({ scenario: encodeInlineScenario(JSON.stringify(json)), seed: null, overrides: {} }));

  return (
    <header className="topbar">
      <h1 className="brand">
        <svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="5" r="3" fill="var(--leader)" /><circle cx="5" cy="17" r="3" fill="var(--follower)" /><circle cx="19" cy="17" r="3" fill="var(--follower)" /><path d="M12 8L6 15M12 8l6 7M8 17h8" stroke="var(--muted)" strokeWidth="1.3" /></svg>
        Flotilla
      </h1>
      <select className="btn" aria-label="Scenario" value={current.scenario.startsWith('inline:') ? 'inline' : current.scenario}
        onChange={(e) => openWith({ scenario: e.target.value, seed: null, overrides: {} })} style={{ maxWidth: 260 }}>
        {current.scenario.startsWith('inline:') && <option value="inline">Imported scenario</option>}
        {catalog.map((c) => <option key={c.path} value={c.path} title={c.description}>{c.name}</option>)}
      </select>
      <button className="btn icon" onClick={() => openDialog('about')} aria-label="About this scenario" title="About this scenario (A)">ⓘ</button>
      <label>
        Seed
        <input className="num" type="number" min={0} value={seedText ?? seed} aria-label="Seed"
          onChange={(e) => setSeedText(e.target.value)}
          onKeyDown={(e) => { if (e.key === 'Enter') { e.stopPropagation(); openWith({ seed: Number(seedText ?? seed) }); setSeedText(null); } }} />
      </label>
      <button className="btn" onClick={() => { openWith({ seed: Number(seedText ?? seed) }); setSeedText(null); }} title="Start again from t = 0 with this seed">New run</button>
      <button className="btn" onClick={() => openWith({ seed: Math.floor(Math.random() * 1_000_000) })} title="New run with a random seed">Random seed</button>
      <button className="btn" onClick={() => openDialog('settings')} title="Cluster size, timeouts, network, switches (N)">Settings…</button>
      <span className="spacer" />
      <button className="btn" onClick={() => fileRef.current?.click()}>Import…</button>
      <input ref={fileRef} type="file" accept=".json,.jsonl,application/json" hidden aria-label="Import scenario or trace file"
        onChange={(e) => { const f = e.target.files?.[0]; if (f) void importFile(f); e.target.value = ''; }} />
      <button className="btn" onClick={() => exportScenario(driver)}>Export scenario</button>
      <button className="btn" onClick={() => void copyRunLink(driver)}>Copy link</button>
      <button className="btn icon" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')} aria-label={theme === 'dark' ? 'Light theme' : 'Dark theme'} title="Light / dark (D)">
        {theme === 'dark' ? '☀' : '☾'}
      </button>
      <button className="btn icon" onClick={() => openDialog('shortcuts')} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">?</button>
    </header>
  );
}
