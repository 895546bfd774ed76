import { useEffect } from 'react';
import type { AppServices } from './appContext.ts';
import { commandForKey } from './actions/commands.ts';
import { setControls } from '../store/index.ts';
import { uiStore } from './uiState.ts';

/** Page-wide keys (see COMMANDS); ignored while typing in a field, with a dialog open, or with modifiers. */
export function useKeyboardShortcuts(services: AppServices): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      // Escape stops a long job (a seek, run to end, checking an imported trace) wherever the focus is.
      if (e.key === 'Escape') services.driver.cancelJobs();
      const target = e.target as HTMLElement;
      if (target.closest('input, select, textarea, dialog, [role="menu"]')) return;
      if (uiStore.getState().dialog) return;
      if (e.key === 'Escape') { uiStore.setState({ menu: null }); return; }
      if (/^[1-9]$/.test(e.key)) {
        const id = Number(e.key);
        if (id <= services.store.getState().cluster.nodes.length) {
          setControls(services.store, { selectedNode: id });
          const el = document.querySelector<SVGGElement>(`.cluster-panel g.node:nth-child(${id})`);
          el?.focus();
        }
        e.preventDefault();
        return;
      }
      // Space and Enter on a focused button or SVG control activate it, not a shortcut.
      if ((e.key === ' ' || e.key === 'Enter') && target.closest('button, [role="button"], a')) return;
      const command = commandForKey(e.key);
      if (!command) return;
      e.preventDefault();
      command.run(services);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [services]);
}
