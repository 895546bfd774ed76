/**
 * SVG groups that act as buttons (a node, a link): a click or Enter/Space activates them with their on-screen box,
 * the anchor for the menu they open. Shared by the cluster view's node and link layers, which differ only in what
 * activation means.
 */
import type { Selection } from 'd3-selection';

/** Enter and Space activate a focused SVG "button", as they would an HTML one. */
export function isActivationKey(ev: KeyboardEvent): boolean {
  if (ev.key !== 'Enter' && ev.key !== ' ') return false;
  ev.preventDefault();
  ev.stopPropagation();
  return true;
}

/**
 * Makes each group of `sel` a button: a click or an activation key calls `activate` with its datum and box; any
 * other key goes to `otherKey` (arrow-key navigation).
 */
export function onActivate<D>(
  sel: Selection<SVGGElement, D, SVGGElement, unknown>,
  activate: (d: D, anchor: DOMRect) => void,
  otherKey?: (el: SVGGElement, ev: KeyboardEvent) => void,
): void {
  sel.on('click', function (ev: MouseEvent, d) {
    ev.stopPropagation();
    activate(d, this.getBoundingClientRect());
  });
  sel.on('keydown', function (ev: KeyboardEvent, d) {
    if (isActivationKey(ev)) activate(d, this.getBoundingClientRect());
    else otherKey?.(this, ev);
  });
}
