/**
 * The cluster view: nodes on a ring, the links between them, and the messages in flight, drawn with D3 into an
 * SVG owned by the ClusterView component. Nodes and links are re-joined only when their slice changed; messages
 * are moved every frame (their position is a function of virtual time). Each layer draws itself (clusterLinks.ts,
 * clusterMessages.ts, clusterNodes.ts); this module stacks them, keeps the ring layout, and decides what to redraw.
 */
import { select } from 'd3-selection';
import type { NodeView, LinkCuts, MessageInFlight, MessageEnded } from '../../store/index.ts';
import { ringLayout, type RingLayout } from './ringLayout.ts';
import { createLinkLayer } from './clusterLinks.ts';
import { createMessageLayer } from './clusterMessages.ts';
import { createNodeLayer, nodesStaticKey } from './clusterNodes.ts';

/** The node's accessible name, for the menus and dialogs that name it as the view does. */

export interface ClusterFrame {
  readonly nodes: readonly NodeView[];
  readonly cuts: LinkCuts;
  readonly inFlight: readonly MessageInFlight[];
  readonly ended: readonly MessageEnded[];
  /** Virtual ms shown. */
  readonly now: number;
  /** Used to place a message whose arrival time is not known. */
  readonly meanLatencyMs: number;
  readonly selectedNode: number;
  readonly reducedMotion: boolean;
}

export interface ClusterCallbacks {
  onNode(id: number, anchor: DOMRect): void;
  onLink(a: number, b: number, anchor: DOMRect): void;
}

export function createClusterRenderer(svg: SVGSVGElement, callbacks: ClusterCallbacks) {
  const root = select(svg);
  // Messages pass under the nodes: they leave from and arrive into a node, and the node's labels stay legible.
  const drawLinks = createLinkLayer(root.append('g').attr('class', 'links'), (a, b, anchor) => callbacks.onLink(a, b, anchor));
  const drawMessages = createMessageLayer(root.append('g').attr('class', 'messages').attr('aria-hidden', 'true'));
  const nodeLayer = createNodeLayer(root.append('g').attr('class', 'nodes'), (id, anchor) => callbacks.onNode(id, anchor));
  let layout: RingLayout = ringLayout(0, 100, 100);
  let width = 0;
  let height = 0;
  let lastNodes: readonly NodeView[] | null = null;
  let lastCuts: LinkCuts | null = null;
  let lastSelected = -1;
  let lastStaticKey = '';

  function resize(w: number, h: number, count: number): boolean {
    if (w === width && h === height && layout.points.length === count) return false;
    width = w;
    height = h;
    layout = ringLayout(count, w, h);
    root.attr('viewBox', `0 0 ${w} ${h}`).attr('width', w).attr('height', h);
    lastNodes = null;
    lastCuts = null;
    return true;
  }

  return {
    /** Draws a frame; `width`/`height` are the SVG's size in CSS px. */
    render(frame: ClusterFrame, w: number, h: number) {
      const resized = resize(w, h, frame.nodes.length);
      if (resized || frame.cuts !== lastCuts) {
        drawLinks(layout, frame.cuts);
        lastCuts = frame.cuts;
      }
      if (resized || frame.nodes !== lastNodes || frame.selectedNode !== lastSelected) {
        // Live status changes the timer and lease arcs many times a second; the rest of a node (shape, labels,
        // accessible name) only when its role, term, vote or state changes.
        const key = nodesStaticKey(frame.nodes, frame.selectedNode);
        if (resized || key !== lastStaticKey) nodeLayer.drawNodes(layout, frame.nodes, frame.selectedNode);
        nodeLayer.drawTimers(layout, frame.nodes);
        lastStaticKey = key;
        lastNodes = frame.nodes;
        lastSelected = frame.selectedNode;
      }
      drawMessages(layout, frame);
    },
  };
}
