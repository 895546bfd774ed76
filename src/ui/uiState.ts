/**
 * Page-only state (which menu or dialog is open, the theme): not part of the run, so not in the run store.
 */
import { createStore } from 'zustand/vanilla';

export type Menu =
  | { readonly kind: 'node'; readonly node: number; readonly x: number; readonly y: number }
  | { readonly kind: 'link'; readonly a: number; readonly b: number; readonly x: number; readonly y: number };

export type Dialog = 'shortcuts' | 'settings' | 'inspect' | 'propose' | 'confirm' | 'about' | null;

export type Theme = 'light' | 'dark';

export interface UiState {
  readonly menu: Menu | null;
  readonly dialog: Dialog;
  /** The node the inspector or the propose dialog is about. */
  readonly dialogNode: number;
  readonly theme: Theme;
  /** A short message shown in the status line (a copied link, a declined fork...). */
  readonly notice: string;
}

function initialTheme(): Theme {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem('flotilla-theme') : null;
  if (saved === 'light' || saved === 'dark') return saved;
  return typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export const uiStore = createStore<UiState>()(() => ({ menu: null, dialog: null, dialogNode: 0, theme: initialTheme(), notice: '' }));

export function setTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  try { localStorage.setItem('flotilla-theme', theme); } catch { /* private mode: the choice lasts this page only */ }
  uiStore.setState({ theme });
}

export function openDialog(dialog: Dialog, node = 0): void {
  uiStore.setState({ dialog, dialogNode: node, menu: null });
}

export function notify(notice: string): void {
  uiStore.setState({ notice });
}
