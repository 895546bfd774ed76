/**
 * Writes that skip the DOM when nothing changed. Views redraw every frame while time moves; setting an element's
 * text replaces its text node (and an SVG text is laid out and painted again) even when the text is the same, so
 * per-frame code writes only what differs.
 */

/** Sets `el`'s text unless it already reads so. */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** Sets an attribute unless it already has that value. */
export function setAttr(el: Element, name: string, value: string): void {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}
