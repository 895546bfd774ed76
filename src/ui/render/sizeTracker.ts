/**
 * The size of an element, kept up to date by a ResizeObserver. Renderers read it every frame without forcing
 * a synchronous layout (reading clientWidth after another view's DOM writes would).
 */
export interface SizeTracker {
  readonly width: number;
  readonly height: number;
  dispose(): void;
}

export function trackSize(element: Element): SizeTracker {
  const rect = element.getBoundingClientRect();
  const size = {
    width: rect.width,
    height: rect.height,
    dispose: () => observer.disconnect(),
  };
  const observer = new ResizeObserver((entries) => {
    const box = entries[entries.length - 1].contentRect;
    size.width = box.width;
    size.height = box.height;
  });
  observer.observe(element);
  return size;
}
