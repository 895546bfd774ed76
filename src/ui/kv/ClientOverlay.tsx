import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useFlotilla, useServices } from '../appContext.ts';
import { ringLayout } from '../render/ringLayout.ts';
import { useKv } from './kvContext.ts';
import { clientLabel } from './ClientsPanel.tsx';
import type { ClientView } from '../../store/index.ts';

/** Distance from a node's body to its clients' glyphs (px). */
const CLIENT_GAP_PX = 26;
/** Distance between the centres of two clients of the same node, along the ring's tangent (px). */
const CLIENT_SPACING_PX = 58;
const GLYPH_HALF_WIDTH_PX = 26;
const GLYPH_HALF_HEIGHT_PX = 10;

interface Placed {
  readonly client: ClientView;
  readonly x: number;
  readonly y: number;
  /** Where its link meets the node's body. */
  readonly nx: number;
  readonly ny: number;
}

/** Places each client just outside its node on the ring (the cluster renderer's own layout), spread by angle. */
export function placeClients(clients: readonly ClientView[], nodeCount: number, width: number, height: number): Placed[] {
  const layout = ringLayout(nodeCount, width, height);
  const byNode = new Map<number, ClientView[]>();
  for (const c of clients) if (c.node > 0 && c.node <= nodeCount) byNode.set(c.node, [...(byNode.get(c.node) ?? []), c]);
  const out: Placed[] = [];
  for (const [node, list] of byNode) {
    const p = layout.points[node - 1];
    const dist = layout.nodeRadius + CLIENT_GAP_PX;
    // Outward from the ring's centre, then side by side along the tangent, kept inside the view.
    const ox = Math.cos(p.angle);
    const oy = Math.sin(p.angle);
    const baseX = p.x + ox * (dist + GLYPH_HALF_WIDTH_PX * Math.abs(ox));
    const baseY = p.y + oy * (dist + GLYPH_HALF_HEIGHT_PX * Math.abs(oy));
    list.forEach((client, i) => {
      const along = (i - (list.length - 1) / 2) * CLIENT_SPACING_PX;
      const x = Math.min(width - GLYPH_HALF_WIDTH_PX - 2, Math.max(GLYPH_HALF_WIDTH_PX + 2, baseX - oy * along));
      const y = Math.min(height - GLYPH_HALF_HEIGHT_PX - 2, Math.max(GLYPH_HALF_HEIGHT_PX + 2, baseY + ox * along));
      const toward = Math.atan2(y - p.y, x - p.x);
      out.push({ client, x, y, nx: p.x + Math.cos(toward) * (layout.nodeRadius + 6), ny: p.y + Math.sin(toward) * (layout.nodeRadius + 6) });
    });
  }
  return out;
}

/**
 * The clients drawn next to the node they talk to, each with its own link (dashed red when cut), over the
 * cluster view. Clicking a client (or Enter on it) opens its menu: cut or restore its link, kill it.
 */
export function ClientOverlay() {
  const services = useServices();
  const clients = useKv((s) => s.clients);
  const nodeCount = useFlotilla((s) => s.cluster.nodes.length);
  const svgRef = useRef<SVGSVGElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [menu, setMenu] = useState<{ client: string; x: number; y: number } | null>(null);

  useEffect(() => {
    const parent = svgRef.current?.parentElement;
    if (!parent) return;
    const observer = new ResizeObserver(() => setSize({ width: parent.clientWidth, height: parent.clientHeight }));
    observer.observe(parent);
    return () => observer.disconnect();
  }, []);

  const placed = size.width > 0 ? placeClients(clients, nodeCount, size.width, size.height) : [];
  const act = (actions: { do: string; [k: string]: unknown }[]) => {
    setMenu(null);
    void services.driver.act(actions).catch(() => undefined);
  };
  const open = (client: string, target: Element) => {
    const r = target.getBoundingClientRect();
    setMenu({ client, x: r.right + 4, y: r.top });
  };
  const current = menu ? clients.find((c) => c.name === menu.client) : undefined;
  const cut = current ? current.cutToNode || current.cutFromNode : false;

  return (
    <>
      <svg ref={svgRef} className="client-overlay" width={size.width} height={size.height} role="group" aria-label="Clients">
        {placed.map(({ client: c, x, y, nx, ny }) => {
          const isCut = c.cutToNode || c.cutFromNode;
          return (
            <g key={c.name} className={`client-glyph${c.killed ? ' killed' : ''}${c.paused ? ' paused' : ''}${isCut ? ' cut' : ''}${c.lastError ? ' failing' : ''}`}>
              <line className="client-link" x1={nx} y1={ny} x2={x} y2={y} />
              <g role="button" tabIndex={0} aria-label={clientLabel(c)} aria-haspopup="menu" transform={`translate(${x}, ${y})`}
                onClick={(e) => open(c.name, e.currentTarget)}
                onKeyDown={(e: KeyboardEvent<SVGGElement>) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); e.stopPropagation(); open(c.name, e.currentTarget); } }}>
                <rect x={-GLYPH_HALF_WIDTH_PX} y={-GLYPH_HALF_HEIGHT_PX} width={GLYPH_HALF_WIDTH_PX * 2} height={GLYPH_HALF_HEIGHT_PX * 2} rx={5} />
                <text y={4}>{c.name.length > 7 ? `${c.name.slice(0, 6)}…` : c.name}</text>
              </g>
            </g>
          );
        })}
      </svg>
      {menu && current && (
        <div className="popover" role="menu" aria-label={`Client ${current.name}`} style={{ left: menu.x, top: menu.y }}
          onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); setMenu(null); } }}>
          <h3>{clientLabel(current)}</h3>
          <button role="menuitem" autoFocus disabled={current.killed} onClick={() => act(cut
            ? [{ do: 'restore', from: current.name, to: current.node }, { do: 'restore', from: current.node, to: current.name }]
            : [{ do: 'cut', from: current.name, to: current.node }, { do: 'cut', from: current.node, to: current.name }])}>
            {cut ? `Restore the link of ${current.name}` : `Cut the link of ${current.name}`}
          </button>
          <button role="menuitem" disabled={current.killed} onClick={() => act([{ do: current.paused ? 'resume' : 'pause', client: current.name }])}>
            {current.paused ? `Resume client ${current.name}` : `Pause client ${current.name}`}
          </button>
          <button role="menuitem" disabled={current.killed} onClick={() => act([{ do: 'killClient', client: current.name }])}>Kill client {current.name}</button>
          <button role="menuitem" onClick={() => setMenu(null)}>Close</button>
        </div>
      )}
    </>
  );
}
