/** Keys longer than this are shown with their middle elided (the prefix and the distinguishing end stay). */
export const KEY_SHOWN_CHARS = 14;

/** "/election/web/694d77aa9e38260f" → "/electi…9e38260f": both ends of a long key (the whole key goes in its title). */
export function elideMiddle(key: string, max = KEY_SHOWN_CHARS): string {
  if (key.length <= max) return key;
  const head = Math.ceil((max - 1) / 2);
  return `${key.slice(0, head)}…${key.slice(key.length - (max - 1 - head))}`;
}
