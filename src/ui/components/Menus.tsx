import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { useServices, useFlotilla } from '../appContext.ts';
import { uiStore, openDialog } from '../uiState.ts';
import { perform } from '../actions/commands.ts';
import { crashOrRestart, pauseOrResume, timeoutNow, transferTo, whyNot } from '../actions/nodeActions.ts';
import { cutBoth, cutDirection, restoreBoth } from '../actions/linkActions.ts';
import { linkLabel } from '../render/linkLabel.ts';
import { nodeLabel } from '../render/clusterNodes.ts';

interface Item { label: string; key?: string; disabled?: string | null; run: () => void }

/** A small menu at a point: arrow keys move, Enter runs, Escape closes and gives focus back. */
function PopoverMenu({ title, x, y, items }: { title: string; x: number; y: number; items: Item[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const returnFocus = useRef<Element | null>(document.activeElement);
  useEffect(() => {
    const el = ref.current!;
    el.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const close = (e: MouseEvent) => { if (!el.contains(e.target as Node)) uiStore.setState({ menu: null }); };
    setTimeout(() => document.addEventListener('mousedown', close), 0);
    const focusBack = returnFocus.current;
    return () => { document.removeEventListener('mousedown', close); (focusBack as HTMLElement | null)?.focus?.(); };
  }, []);
  const onKey = (e: React.KeyboardEvent) => {
    const all = Array.from(ref.current!.querySelectorAll<HTMLElement>('[role="menuitem"]'));
    const i = all.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'ArrowDown') all[(i + 1) % all.length]?.focus();
    else if (e.key === 'ArrowUp') all[(i - 1 + all.length) % all.length]?.focus();
    else if (e.key === 'Escape') uiStore.setState({ menu: null });
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  const left = Math.min(x, window.innerWidth - 250);
  const top = Math.min(y, window.innerHeight - (items.length * 36 + 50));
  return (
    <div ref={ref} className="popover" role="menu" aria-label={title} style={{ left, top: Math.max(4, top) }} onKeyDown={onKey}>
      <h3>{title}</h3>
      {items.map((it) => (
        <button key={it.label} role="menuitem" aria-disabled={it.disabled ? 'true' : undefined} title={it.disabled ?? undefined} aria-keyshortcuts={it.key}
          onClick={() => { if (it.disabled) return; uiStore.setState({ menu: null }); it.run(); }}>
          <span>{it.label}</span>{it.key && <kbd aria-hidden="true">{it.key}</kbd>}
        </button>
      ))}
    </div>
  );
}

export function Menus() {
  const services = useServices();
  const menu = useStore(uiStore, (s) => s.menu);
  const nodes = useFlotilla((s) => s.cluster.nodes);
  const cuts = useFlotilla((s) => s.cluster.cuts);
  if (!menu) return null;
  if (menu.kind === 'node') {
    const n = nodes[menu.node - 1];
    if (!n) return null;
    const items: Item[] = [
      { label: n.crashed ? `Restart S${n.id}` : `Crash S${n.id}`, key: 'C', run: () => perform(services, crashOrRestart(n)) },
      { label: n.paused ? `Resume S${n.id}` : `Pause S${n.id}`, key: 'Z', disabled: whyNot('pause', n, nodes), run: () => perform(services, pauseOrResume(n)) },
      { label: 'Fire its election timer', key: 'T', disabled: whyNot('timeout', n, nodes), run: () => perform(services, timeoutNow(n)) },
      { label: `Transfer leadership to S${n.id}`, key: 'L', disabled: whyNot('transfer', n, nodes), run: () => perform(services, transferTo(n)) },
      { label: 'Propose a value through it…', key: 'P', disabled: whyNot('propose', n, nodes), run: () => openDialog('propose', n.id) },
      { label: 'Inspect its state…', key: 'I', run: () => openDialog('inspect', n.id) },
    ];
    return <PopoverMenu title={nodeLabel(n)} x={menu.x} y={menu.y} items={items} />;
  }
  const { a, b } = menu;
  const ab = cuts.has(`${a}>${b}`);
  const ba = cuts.has(`${b}>${a}`);
  const items: Item[] = [
    { label: `Cut S${a} → S${b}`, disabled: ab ? 'already cut' : null, run: () => perform(services, cutDirection(a, b)) },
    { label: `Cut S${b} → S${a}`, disabled: ba ? 'already cut' : null, run: () => perform(services, cutDirection(b, a)) },
    { label: 'Cut both ways', disabled: ab && ba ? 'already cut' : null, run: () => perform(services, cutBoth(a, b)) },
    { label: 'Restore', disabled: !ab && !ba ? 'connected' : null, run: () => perform(services, restoreBoth(a, b)) },
  ];
  return <PopoverMenu title={linkLabel(cuts, a, b)} x={menu.x} y={menu.y} items={items} />;
}
