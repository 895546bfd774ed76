/**
 * Where the nodes sit: evenly on an ellipse that fills the panel (a circle when the panel is square), S1 at the
 * top, clockwise. The node size shrinks with the count and the space so that 9 nodes at 1280×800 never touch,
 * labels included.
 */
export interface RingPoint {
  readonly id: number;
  readonly x: number;
  readonly y: number;
  /** Angle from the centre, radians, 0 = right, clockwise positive (SVG y grows downwards). */
  readonly angle: number;
}

export interface RingLayout {
  readonly cx: number;
  readonly cy: number;
  readonly rx: number;
  readonly ry: number;
  /** Radius of a node's body. */
  readonly nodeRadius: number;
  readonly points: readonly RingPoint[];
}

/** Half the width of the widest label under a node ("pre-candidate", "voted S9"). */
const LABEL_HALF_WIDTH_PX = 52;
/** Height of the two label lines under a node. */
const LABEL_HEIGHT_PX = 34;
/** The ellipse is at most this much wider than tall, so the ring still reads as a ring. */
const MAX_ASPECT = 1.7;

export function ringLayout(count: number, width: number, height: number): RingLayout {
  const cx = width / 2;
  const chord = count > 1 ? Math.sin(Math.PI / count) : 1;
  // Node radius from the shorter half-axis, then the axes from the room the nodes and labels leave.
  const short = Math.max(40, Math.min(width, height) / 2 - LABEL_HEIGHT_PX);
  const nodeRadius = Math.max(16, Math.min(36, short * 0.2, short * chord * 0.5));
  let ry = Math.max(20, height / 2 - nodeRadius - LABEL_HEIGHT_PX / 2 - 10);
  let rx = Math.max(20, width / 2 - Math.max(nodeRadius, LABEL_HALF_WIDTH_PX) - 12);
  rx = Math.min(rx, ry * MAX_ASPECT);
  ry = Math.min(ry, rx);
  const cy = height / 2 - LABEL_HEIGHT_PX / 2 + 6;
  const points = Array.from({ length: count }, (_, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / count;
    return { id: i + 1, x: cx + rx * Math.cos(angle), y: cy + ry * Math.sin(angle), angle };
  });
  return { cx, cy, rx, ry, nodeRadius: fitRadius(points, nodeRadius), points };
}

/**
 * Shrinks the node radius until no two nodes' boxes (body, timer ring and the labels under it) overlap: two
 * nodes side by side need their labels apart, one above the other needs the upper one's labels clear of the
 * lower one's ring.
 */
function fitRadius(points: readonly RingPoint[], start: number): number {
  let r = start;
  const clear = (r: number) => {
    for (let i = 0; i < points.length; i++) {
      for (let j = i + 1; j < points.length; j++) {
        const p = points[i];
        const q = points[j];
        const dx = Math.abs(p.x - q.x);
        const dy = Math.abs(p.y - q.y);
        const halfWidth = Math.max(r + 8, LABEL_HALF_WIDTH_PX);
        if (dx >= 2 * halfWidth + 4) continue;
        if (dy >= 2 * (r + 8) + LABEL_HEIGHT_PX + 2) continue;
        return false;
      }
    }
    return true;
  };
  while (r > 14 && !clear(r)) r -= 1;
  return r;
}

/**
 * The point on the segment from p to q, `fromEdge` px out of p's centre and `toEdge` px short of q's, at fraction
 * `t` between the two, offset sideways by `side` px: where links start and end, and where a message in flight is.
 */
export function pointAlong(p: RingPoint, q: RingPoint, fromEdge: number, toEdge: number, t: number, side: number) {
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const start = fromEdge;
  const end = len - toEdge;
  const d = start + (end - start) * t;
  return { x: p.x + ux * d - uy * side, y: p.y + uy * d + ux * side };
}
