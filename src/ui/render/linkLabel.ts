import type { LinkCuts } from '../../store/index.ts';

export type LinkState = 'connected' | 'cut-forward' | 'cut-backward' | 'cut-both';

/** State of the link between a and b (a < b): which directions are cut. */
export function linkState(cuts: LinkCuts, a: number, b: number): LinkState {
  const ab = cuts.has(`${a}>${b}`);
  const ba = cuts.has(`${b}>${a}`);
  return ab && ba ? 'cut-both' : ab ? 'cut-forward' : ba ? 'cut-backward' : 'connected';
}

/** Accessible name of a link: "link S1 to S2, connected", "link S1 to S2, cut S1 → S2", ... */
export function linkLabel(cuts: LinkCuts, a: number, b: number): string {
  const state = linkState(cuts, a, b);
  const tail =
    state === 'connected' ? 'connected'
    : state === 'cut-both' ? 'cut both ways'
    : state === 'cut-forward' ? `cut S${a} → S${b}`
    : `cut S${b} → S${a}`;
  return `link S${a} to S${b}, ${tail}`;
}
