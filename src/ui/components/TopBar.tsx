import { useRef, useState } from 'react';
import { useStore } from 'zustand';
import { useServices, useFlotilla } from '../appContext.ts';
import { formatRunFragment, formatRunUrl, encodeInlineScenario, LINK_MAX_CHARS, type RunSpec } from '../../store/index.ts';
import { parseScenarioText } from '../../store/index.ts';
import { traceToScenario } from '../../store/index.ts';
import { compareTraceWithReplay } from '../../store/index.ts';
import { downloadText } from '../download.ts';
import { notify, openDialog, setTheme, uiStore } from '../uiState.ts';

/** Title, scenario menu, seed and new run, import/export, share link, theme and help. */
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
  const importFile = async (file: File) => {
    const text = await file.text();
    try {
      const isTrace = file.name.endsWith('.jsonl') || text.startsWith('{"type":"header"');
      const json = isTrace ? traceToScenario(text) : parseScenarioText(text);
      if (isTrace) {
        // Shown is the replay of the scenario the trace carries: only when the file is that replay (docs/ui.md).
        const job = driver.currentJob();
        const difference = await compareTraceWithReplay(text, json, {
          onProgress: (checked, total) => notify(`Checking ${file.name} against its replay: line ${checked} of ${total} (Esc stops)…`),
          isCancelled: () => driver.jobCancelled(job),
        });
        if (difference === 'cancelled') return notify(`Import of ${file.name} stopped.`);
        if (difference) return notify(`Not imported: ${file.name} is not what its scenario produces. Line ${difference.line} differs from its replay: ${difference.message}`);
      }
      openWith({ scenario: encodeInlineScenario(JSON.stringify(json)), seed: null, overrides: {} });
      notify(`Imported ${file.name}`);
    } catch (e) {
      notify(`Could not import ${file.name}: ${(e as Error).message}`);
    }
  };
  const copyLink = async () => {
    const spec = driver.shareSpec();
    if (!spec) return;
    const fragment = await formatRunFragment(spec);
    if (fragment.length > LINK_MAX_CHARS) {
      notify(`This run is too large to share as a link (${Math.ceil(fragment.length / 1024)} KB, over ${LINK_MAX_CHARS / 1024} KB): use Export scenario and send the file.`);
      return;
    }
    const url = location.origin + location.pathname + '#' + fragment;
    try {
      await navigator.clipboard.writeText(url);
      notify('Link copied: it replays this run to this moment.');
    } catch {
      notify('Copy this link from the address bar.');
    }
    history.replaceState(null, '', location.pathname + '#' + fragment);
  };

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
      <button className="btn" onClick={() => {
        const json = driver.scenarioJson();
        downloadText(`${String(json.name || 'scenario').replace(/[^\w.-]+/g, '-')}.json`, JSON.stringify(json, null, 2) + '\n', 'application/json');
      }}>Export scenario</button>
      <button className="btn" onClick={() => void copyLink()}>Copy link</button>
      <button className="btn icon" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')} aria-label={theme === 'dark' ? 'Light theme' : 'Dark theme'} title="Light / dark (D)">
        {theme === 'dark' ? '☀' : '☾'}
      </button>
      <button className="btn icon" onClick={() => openDialog('shortcuts')} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">?</button>
    </header>
  );
}
