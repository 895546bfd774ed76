/**
 * A run leaving and entering the page: importing a scenario or trace file (a trace only when it is what its
 * scenario replays to), exporting the scenario, and copying a link that replays the run to this moment. The top
 * bar's buttons call these; they report through notifications, never throw.
 */
import { formatRunFragment, LINK_MAX_CHARS, parseScenarioText, traceToScenario, compareTraceWithReplay, type RunDriver, type ScenarioJson } from '../store/index.ts';
import { downloadText } from './download.ts';
import { notify } from './uiState.ts';

/**
 * Reads `file` as a scenario, or as a trace checked line by line against its replay, and hands the scenario to
 * `open` (docs/ui.md).
 */
export async function importRunFile(file: File, driver: RunDriver, open: (scenarioJson: ScenarioJson) => void): Promise<void> {
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
    open(json);
    notify(`Imported ${file.name}`);
  } catch (e) {
    notify(`Could not import ${file.name}: ${(e as Error).message}`);
  }
}

/** Saves the run's scenario as a JSON file named after it. */
export function exportScenario(driver: RunDriver): void {
  const json = driver.scenarioJson();
  downloadText(`${String(json.name || 'scenario').replace(/[^\w.-]+/g, '-')}.json`, JSON.stringify(json, null, 2) + '\n', 'application/json');
}

/** Copies a link that replays this run to this moment (and puts it in the address bar). */
export async function copyRunLink(driver: RunDriver): Promise<void> {
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
}
