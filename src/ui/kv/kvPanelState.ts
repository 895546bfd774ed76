/** Whether the user opened the key-value views in a run without clients (page state, not part of the run). */
import { createStore } from 'zustand/vanilla';

export const kvPanelStore = createStore<{ readonly open: boolean }>()(() => ({ open: false }));

export function setKvPanelOpen(open: boolean): void {
  kvPanelStore.setState({ open });
}
