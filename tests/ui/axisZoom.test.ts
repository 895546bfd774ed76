// The timeline's one-axis zoom arithmetic: the point under the pointer stays put, the scale stays in its extent,
// and the wheel speed is d3-zoom's (the behaviour users had before).
import { describe, expect, it } from 'vitest';
import { AXIS_IDENTITY, invertX, panBy, scaleAbout, wheelFactor } from '../../src/ui/render/axisZoom.ts';

const EXTENT = [0.02, 200] as const;

describe('axis zoom', () => {
  it('keeps the base pixel under the pointer when zooming about it', () => {
    let t = AXIS_IDENTITY;
    for (const [factor, at] of [[1.5, 300], [0.4, 120], [3, 777]] as const) {
      const before = invertX(t, at);
      t = scaleAbout(t, factor, at, EXTENT);
      expect(invertX(t, at)).toBeCloseTo(before, 9);
    }
    expect(t.k).toBeCloseTo(1.5 * 0.4 * 3, 9);
  });

  it('clamps the scale to the extent, still about the pointer', () => {
    const t = scaleAbout({ k: 100, x: -5000 }, 10, 400, EXTENT);
    expect(t.k).toBe(200);
    expect(invertX(t, 400)).toBeCloseTo(invertX({ k: 100, x: -5000 }, 400), 9);
    expect(scaleAbout(AXIS_IDENTITY, 1e-6, 0, EXTENT).k).toBe(0.02);
  });

  it('pans by screen pixels at any scale', () => {
    const t = panBy({ k: 4, x: 10 }, -30);
    expect(t).toEqual({ k: 4, x: -20 });
    expect(invertX(t, 100) - invertX({ k: 4, x: 10 }, 100)).toBeCloseTo(30 / 4, 9);
  });

  it('turns wheel deltas into d3-zoom factors: one notch down zooms out by 2^0.2', () => {
    expect(wheelFactor({ deltaY: 100, deltaMode: 0, ctrlKey: false })).toBeCloseTo(2 ** -0.2, 12);
    expect(wheelFactor({ deltaY: -3, deltaMode: 1, ctrlKey: false })).toBeCloseTo(2 ** 0.15, 12);
    expect(wheelFactor({ deltaY: 10, deltaMode: 0, ctrlKey: true })).toBeCloseTo(2 ** -0.2, 12);
    expect(wheelFactor({ deltaY: 1, deltaMode: 2, ctrlKey: false })).toBe(0.5);
  });
});
