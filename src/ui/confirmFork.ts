/**
 * The question asked before acting in the past forks the run. The driver awaits it; the ConfirmDialog
 * component answers it.
 */
import { uiStore } from './uiState.ts';

let pending: { message: string; resolve: (ok: boolean) => void } | null = null;
const listeners = new Set<() => void>();

export function confirmFork(message: string): Promise<boolean> {
  pending?.resolve(false);
  return new Promise((resolve) => {
    pending = { message, resolve };
    uiStore.setState({ dialog: 'confirm', menu: null });
    for (const l of listeners) l();
  });
}

export function pendingForkMessage(): string {
  return pending?.message ?? '';
}

export function answerFork(ok: boolean): void {
  const p = pending;
  pending = null;
  uiStore.setState({ dialog: null });
  p?.resolve(ok);
}
