/**
 * Every user command with its key and accessible name (the shortcut sheet lists them from here, the keyboard
 * handler dispatches from here, buttons reuse the same labels).
 */
import type { AppServices } from '../appContext.ts';
import { MAX_SPEED_LOG10, MIN_SPEED_LOG10, setControls } from '../../store/index.ts';
import type { UserAction } from '../../store/index.ts';
import { notify, openDialog, setTheme, uiStore } from '../uiState.ts';
import { crashOrRestart, leaderOf, pauseOrResume, timeoutNow, transferTo, whyNot } from './nodeActions.ts';
import { healAll, isolateLeader, splitMinority } from './linkActions.ts';

export interface Command {
  readonly id: string;
  /** Accessible name and the text of the shortcut sheet. */
  readonly label: string;
  /** KeyboardEvent.key values that trigger it. */
  readonly keys: readonly string[];
  /** How the sheet shows the key. */
  readonly keyHint: string;
  readonly group: 'Playback' | 'Nodes' | 'Network' | 'Page';
  run(services: AppServices): void;
}

/** Adds actions to the run, telling the user when it could not. */
export function perform(services: AppServices, actions: UserAction[] | null, done?: string): void {
  if (!actions) return;
  services.driver.act(actions).then(
    (ok) => notify(ok ? (done ?? '') : 'Nothing changed (the run is over, or you kept the future).'),
    (error: Error) => notify(error.message),
  );
}

function selected(services: AppServices) {
  const s = services.store.getState();
  return s.cluster.nodes[s.controls.selectedNode - 1] ?? null;
}

function leaderId(services: AppServices): number {
  return leaderOf(services.store.getState().cluster.nodes)?.id ?? 0;
}

function changeSpeed(services: AppServices, delta: number): void {
  const s = services.store.getState().controls.speedLog10;
  setControls(services.store, { speedLog10: Math.max(MIN_SPEED_LOG10, Math.min(MAX_SPEED_LOG10, Math.round((s + delta) * 10) / 10)) });
}

export function togglePlay(services: AppServices): void {
  const { controls, run } = services.store.getState();
  // A long job (a seek, run to end) is running: Space stops it, as the Pause button does.
  if (run.progress) {
    services.driver.cancelJobs();
    setControls(services.store, { paused: true });
    return;
  }
  if (run.phase === 'finished') return;
  setControls(services.store, { paused: !controls.paused });
}

const nodeCommand = (id: string, label: string, key: string, run: (s: AppServices) => void): Command => ({ id, label, keys: [key, key.toUpperCase()], keyHint: key.toUpperCase(), group: 'Nodes', run });

export const COMMANDS: readonly Command[] = [
  { id: 'play', label: 'Play or pause', keys: [' ', 'k'], keyHint: 'Space', group: 'Playback', run: togglePlay },
  { id: 'step', label: 'Step one event', keys: ['ArrowRight', '.'], keyHint: '→', group: 'Playback', run: (s) => { setControls(s.store, { paused: true }); void s.driver.step(); } },
  { id: 'back', label: 'Step back one event', keys: ['ArrowLeft', ','], keyHint: '←', group: 'Playback', run: (s) => { setControls(s.store, { paused: true }); void s.driver.stepBack(); } },
  { id: 'faster', label: 'Faster', keys: ['+', '=', 'ArrowUp'], keyHint: '+ / ↑', group: 'Playback', run: (s) => changeSpeed(s, 0.5) },
  { id: 'slower', label: 'Slower', keys: ['-', '_', 'ArrowDown'], keyHint: '− / ↓', group: 'Playback', run: (s) => changeSpeed(s, -0.5) },
  { id: 'end', label: 'Run to end', keys: ['e', 'E'], keyHint: 'E', group: 'Playback', run: (s) => { setControls(s.store, { paused: true }); void s.driver.runToEnd(); } },
  { id: 'start', label: 'Back to the start', keys: ['Home'], keyHint: 'Home', group: 'Playback', run: (s) => { setControls(s.store, { paused: true }); void s.driver.seekEvent(0); } },
  { id: 'select', label: 'Select node S1…S9', keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'], keyHint: '1–9', group: 'Nodes', run: () => undefined },
  nodeCommand('crash', 'Crash or restart the selected node', 'c', (s) => { const n = selected(s); if (n) perform(s, crashOrRestart(n)); else notify('Select a node first (keys 1–9).'); }),
  nodeCommand('pause', 'Pause or resume the selected node', 'z', (s) => {
    const n = selected(s); if (!n) return notify('Select a node first (keys 1–9).');
    const why = whyNot('pause', n, s.store.getState().cluster.nodes); if (why) return notify(why);
    perform(s, pauseOrResume(n));
  }),
  nodeCommand('timeout', 'Fire the selected node’s election timer', 't', (s) => {
    const n = selected(s); if (!n) return notify('Select a node first (keys 1–9).');
    const why = whyNot('timeout', n, s.store.getState().cluster.nodes); if (why) return notify(why);
    perform(s, timeoutNow(n));
  }),
  nodeCommand('transfer', 'Transfer leadership to the selected node', 'l', (s) => {
    const n = selected(s); if (!n) return notify('Select a node first (keys 1–9).');
    const why = whyNot('transfer', n, s.store.getState().cluster.nodes); if (why) return notify(why);
    perform(s, transferTo(n));
  }),
  nodeCommand('propose', 'Propose a value through the selected node', 'p', (s) => { const n = selected(s); if (n) openDialog('propose', n.id); else notify('Select a node first (keys 1–9).'); }),
  nodeCommand('inspect', 'Inspect the selected node', 'i', (s) => { const n = selected(s); if (n) openDialog('inspect', n.id); else notify('Select a node first (keys 1–9).'); }),
  { id: 'isolate', label: 'Isolate the leader', keys: ['x', 'X'], keyHint: 'X', group: 'Network', run: (s) => perform(s, isolateLeader()) },
  { id: 'split', label: 'Split minority | majority', keys: ['s', 'S'], keyHint: 'S', group: 'Network', run: (s) => perform(s, splitMinority(s.store.getState().cluster.nodes.length, leaderId(s))) },
  { id: 'heal', label: 'Heal all links', keys: ['h', 'H'], keyHint: 'H', group: 'Network', run: (s) => perform(s, healAll()) },
  { id: 'about', label: 'About this scenario', keys: ['a', 'A'], keyHint: 'A', group: 'Page', run: () => openDialog('about') },
  { id: 'settings', label: 'New run settings', keys: ['n', 'N'], keyHint: 'N', group: 'Page', run: () => openDialog('settings') },
  { id: 'theme', label: 'Light or dark theme', keys: ['d', 'D'], keyHint: 'D', group: 'Page', run: () => setTheme(uiStore.getState().theme === 'dark' ? 'light' : 'dark') },
  { id: 'help', label: 'Keyboard shortcuts', keys: ['?'], keyHint: '?', group: 'Page', run: () => openDialog('shortcuts') },
];

/** The command a key press triggers, if any. Digits select nodes. */
export function commandForKey(key: string): Command | undefined {
  return COMMANDS.find((c) => c.id !== 'select' && c.keys.includes(key));
}
