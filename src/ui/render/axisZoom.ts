/**
 * Zoom and pan along one axis (the timeline's time axis): wheel zooms about the pointer, a drag pans, two fingers
 * pinch, and the zoom buttons scale about the middle. It is the part of d3-zoom the timeline used; d3-zoom itself
 * brings d3-transition, d3-interpolate, d3-color, d3-drag, d3-timer and d3-ease (about 14 KB gzip of the page's
 * first load) for two-dimensional, animated zooming the timeline never does.
 *
 * The transform maps base pixels (the time scale while following "now") to screen pixels: screen = base * k + x.
 */

/** A one-dimensional zoom transform. Invariant: k > 0. */
export interface AxisTransform {
  /** Scale factor. */
  readonly k: number;
  /** Translation in screen pixels. */
  readonly x: number;
}

export const AXIS_IDENTITY: AxisTransform = { k: 1, x: 0 };

/** The base pixel shown at screen pixel `screenX`. */
export function invertX(t: AxisTransform, screenX: number): number {
  return (screenX - t.x) / t.k;
}

/**
 * `t` scaled by `factor` about screen pixel `atX`, which keeps showing the same base pixel; the scale is clamped
 * to `extent` (so at a limit the factor is partly or wholly ignored).
 */
export function scaleAbout(t: AxisTransform, factor: number, atX: number, extent: readonly [number, number]): AxisTransform {
  const k = Math.min(extent[1], Math.max(extent[0], t.k * factor));
  const base = invertX(t, atX);
  return { k, x: atX - base * k };
}

/** `t` moved by `dx` screen pixels. */
export function panBy(t: AxisTransform, dx: number): AxisTransform {
  return { k: t.k, x: t.x + dx };
}

/**
 * The zoom factor of a wheel event, as d3-zoom computes it: a mouse-wheel notch (deltaY 100 px) zooms out by
 * 2^0.2 ≈ 1.15; a line-mode delta counts 25 times more per unit, a page-mode delta 500 times; pinching a
 * touchpad (ctrlKey set) is ten times faster.
 */
export function wheelFactor(ev: Pick<WheelEvent, 'deltaY' | 'deltaMode' | 'ctrlKey'>): number {
  const perUnit = ev.deltaMode === 1 ? 0.05 : ev.deltaMode ? 1 : 0.002;
  return 2 ** (-ev.deltaY * perUnit * (ev.ctrlKey ? 10 : 1));
}

export interface AxisZoomOptions {
  /** Smallest and largest scale factor. */
  readonly scaleExtent: readonly [number, number];
  /** A press on such a target is left to it (a mark the user clicks), not taken as the start of a drag. */
  ignore(target: Element): boolean;
  /** The transform changed: by the user's wheel, drag or pinch (`byUser`), or by `scaleBy`. */
  onZoom(transform: AxisTransform, byUser: boolean): void;
}

export interface AxisZoom {
  readonly transform: AxisTransform;
  /** Back to the identity, without calling onZoom (the caller redraws). */
  reset(): void;
  /** Scales about the middle of the element (the zoom buttons). */
  scaleBy(factor: number): void;
}

/** Movement (px) under which a press and release is a click, not a drag. */
const CLICK_TOLERANCE_PX = 3;

/** Makes `el` zoomable along x; the handlers stay for the element's life (the timeline never detaches them). */
export function attachAxisZoom(el: SVGSVGElement, options: AxisZoomOptions): AxisZoom {
  let transform = AXIS_IDENTITY;
  // Active pointers (mouse, pen, fingers) by id, at their latest x (element pixels).
  const pointers = new Map<number, number>();
  // Gesture start: the transform, and the x (one pointer) or the midpoint and distance (two).
  let startTransform = AXIS_IDENTITY;
  let startX = 0;
  let startDistance = 0;
  let moved = false;

  const localX = (clientX: number): number => clientX - el.getBoundingClientRect().left;
  const update = (next: AxisTransform, byUser: boolean): void => {
    transform = next;
    options.onZoom(next, byUser);
  };
  /** Starts a gesture from the pointers down now. */
  const beginGesture = (): void => {
    startTransform = transform;
    const xs = [...pointers.values()];
    startX = xs.length >= 2 ? (xs[0]! + xs[1]!) / 2 : (xs[0] ?? 0);
    startDistance = xs.length >= 2 ? Math.abs(xs[0]! - xs[1]!) : 0;
  };

  // Vertical swipes still scroll the page (phones); horizontal drags and pinches are the timeline's.
  el.style.touchAction = 'pan-y';
  el.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    update(scaleAbout(transform, wheelFactor(ev), localX(ev.clientX), options.scaleExtent), true);
  }, { passive: false });
  el.addEventListener('pointerdown', (ev) => {
    if (ev.button !== 0 || pointers.size >= 2 || options.ignore(ev.target as Element)) return;
    el.setPointerCapture(ev.pointerId);
    pointers.set(ev.pointerId, localX(ev.clientX));
    if (pointers.size === 1) moved = false;
    beginGesture();
  });
  el.addEventListener('pointermove', (ev) => {
    if (!pointers.has(ev.pointerId)) return;
    pointers.set(ev.pointerId, localX(ev.clientX));
    const xs = [...pointers.values()];
    if (xs.length >= 2) {
      const mid = (xs[0]! + xs[1]!) / 2;
      const distance = Math.abs(xs[0]! - xs[1]!);
      const factor = startDistance > 0 && distance > 0 ? distance / startDistance : 1;
      moved = true;
      update(panBy(scaleAbout(startTransform, factor, startX, options.scaleExtent), mid - startX), true);
    } else {
      const dx = xs[0]! - startX;
      if (!moved && Math.abs(dx) < CLICK_TOLERANCE_PX) return;
      moved = true;
      update(panBy(startTransform, dx), true);
    }
  });
  const release = (ev: PointerEvent): void => {
    if (!pointers.delete(ev.pointerId)) return;
    if (pointers.size > 0) beginGesture();
    else if (moved) {
      // The click that ends a drag is not a click on the timeline (it would seek).
      const swallow = (click: MouseEvent): void => { click.stopPropagation(); click.preventDefault(); };
      el.addEventListener('click', swallow, { capture: true, once: true });
      setTimeout(() => el.removeEventListener('click', swallow, { capture: true }), 0);
    }
  };
  el.addEventListener('pointerup', release);
  el.addEventListener('pointercancel', release);

  return {
    get transform() {
      return transform;
    },
    reset() {
      transform = AXIS_IDENTITY;
    },
    scaleBy(factor) {
      update(scaleAbout(transform, factor, el.getBoundingClientRect().width / 2, options.scaleExtent), false);
    },
  };
}
