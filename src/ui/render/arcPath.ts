/** An SVG arc of radius `r` around (0, 0), from the top, clockwise, covering `fraction` of the circle. */
export function arcPath(r: number, fraction: number): string {
  const f = Math.max(0, Math.min(1, fraction));
  if (f <= 0) return '';
  if (f >= 0.9999) return `M0,${-r}A${r},${r} 0 1,1 0,${r}A${r},${r} 0 1,1 0,${-r}`;
  const a = -Math.PI / 2 + f * 2 * Math.PI;
  const x = r * Math.cos(a);
  const y = r * Math.sin(a);
  return `M0,${-r}A${r},${r} 0 ${f > 0.5 ? 1 : 0},1 ${x.toFixed(2)},${y.toFixed(2)}`;
}
