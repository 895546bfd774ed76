/**
 * A linear map from virtual time to x pixels with its inverse, and round tick values: the little the timeline and
 * the cron lane need of d3-scale, without its locale and time-format machinery (kept out of the bundle). The one
 * linear scale of the UI.
 */
export interface LinearScale {
  (t: number): number;
  invert(x: number): number;
  domain(): [number, number];
}

export function linearScale(domain: [number, number], range: [number, number]): LinearScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  const f = ((t: number) => r0 + (t - d0) * k) as LinearScale;
  f.invert = (x: number) => (k === 0 ? d0 : d0 + (x - r0) / k);
  f.domain = () => [d0, d1];
  return f;
}

/** About `count` round values (1, 2 or 5 × 10^k apart) covering [start, stop]. */
export function niceTicks(start: number, stop: number, count: number): number[] {
  const span = stop - start;
  if (!(span > 0) || count <= 0) return [];
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const out: number[] = [];
  for (let v = Math.ceil(start / step) * step; v <= stop; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}
