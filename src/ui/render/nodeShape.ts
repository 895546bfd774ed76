/**
 * A node's role told by shape as well as colour and text: follower = circle, pre-candidate = dashed hexagon,
 * candidate = hexagon, leader = rounded square with a heavy outline. Returns an SVG path centred on (0, 0).
 */
import type { Role } from '../../raft/types.ts';

function polygon(sides: number, r: number, rotation: number): string {
  const pts = Array.from({ length: sides }, (_, i) => {
    const a = rotation + (2 * Math.PI * i) / sides;
    return `${(r * Math.cos(a)).toFixed(2)},${(r * Math.sin(a)).toFixed(2)}`;
  });
  return `M${pts.join('L')}Z`;
}

export function nodeShapePath(role: Role, r: number): string {
  switch (role) {
    case 'leader': {
      const s = r * 0.9;
      const c = r * 0.28;
      return `M${-s + c},${-s}H${s - c}Q${s},${-s} ${s},${-s + c}V${s - c}Q${s},${s} ${s - c},${s}H${-s + c}Q${-s},${s} ${-s},${s - c}V${-s + c}Q${-s},${-s} ${-s + c},${-s}Z`;
    }
    case 'candidate':
    case 'precandidate':
      return polygon(6, r * 1.04, Math.PI / 6);
    case 'follower':
      return `M${-r},0A${r},${r} 0 1,0 ${r},0A${r},${r} 0 1,0 ${-r},0Z`;
  }
}

/** The role as a teacher would say it. */
export function roleLabel(role: Role): string {
  return role === 'precandidate' ? 'pre-candidate' : role;
}
