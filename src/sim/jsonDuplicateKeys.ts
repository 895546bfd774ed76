/**
 * Duplicate keys in JSON text. `JSON.parse` keeps the last of two equal keys and says nothing, so a scenario
 * with `"node": 1, ..., "node": 2` would silently run something else than its author read. This scanner walks
 * the text once (no recursion: depth costs no stack) and reports the first key an object holds twice, with its
 * path in the validator's notation (`actions[3].node`). It runs on text JSON.parse has accepted, so it only tracks
 * structure; keys are compared decoded (`"a"` and `"\u0061"` are the same key).
 */

/** A key given twice in one object: `path` is the path of the second occurrence (`config.preVote`). */
export interface DuplicateKey {
  readonly key: string;
  readonly path: string;
}

interface ObjectFrame {
  readonly kind: 'object';
  readonly path: string;
  readonly keys: Set<string>;
  /** The key whose value comes next (null while a key is expected). */
  key: string | null;
}

interface ArrayFrame {
  readonly kind: 'array';
  readonly path: string;
  index: number;
}

/** The path of a member: `key` at the top, `parent.key` below, `parent[i]` in an array. */
function childPath(frame: ObjectFrame | ArrayFrame | undefined, key: string | null): string {
  if (frame === undefined) return '';
  if (frame.kind === 'array') return `${frame.path}[${frame.index}]`;
  return frame.path === '' ? key ?? '' : `${frame.path}.${key ?? ''}`;
}

/** The first key some object of `text` (valid JSON) holds twice, or null. */
export function findDuplicateKey(text: string): DuplicateKey | null {
  const stack: (ObjectFrame | ArrayFrame)[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const top = stack[stack.length - 1];
    switch (ch) {
      case '{':
        stack.push({ kind: 'object', path: childPath(top, top?.kind === 'object' ? top.key : null), keys: new Set(), key: null });
        i++;
        break;
      case '[':
        stack.push({ kind: 'array', path: childPath(top, top?.kind === 'object' ? top.key : null), index: 0 });
        i++;
        break;
      case '}':
      case ']':
        stack.pop();
        i++;
        break;
      case ',':
        if (top?.kind === 'array') top.index++;
        else if (top) top.key = null;
        i++;
        break;
      case '"': {
        const end = stringEnd(text, i);
        if (top?.kind === 'object' && top.key === null) {
          const key = JSON.parse(text.slice(i, end)) as string;
          if (top.keys.has(key)) return { key, path: childPath(top, key) };
          top.keys.add(key);
          top.key = key;
        }
        i = end;
        break;
      }
      default:
        i++; // whitespace, ':', and the characters of numbers, true, false, null
    }
  }
  return null;
}

/** The index just past the closing quote of the string opening at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** A JSON text that holds a key twice in one object. */
export class DuplicateKeyError extends Error {
  constructor(readonly duplicate: DuplicateKey) {
    super(`duplicate key ${JSON.stringify(duplicate.key)}${duplicate.path === duplicate.key ? '' : ` at ${duplicate.path}`} (JSON would keep only the last one; give each key once)`);
    this.name = 'DuplicateKeyError';
  }
}

/** JSON.parse, refusing a key given twice in one object (throws DuplicateKeyError; SyntaxError as JSON.parse). */
export function parseJsonWithoutDuplicateKeys(text: string): unknown {
  const value: unknown = JSON.parse(text);
  const duplicate = findDuplicateKey(text);
  if (duplicate) throw new DuplicateKeyError(duplicate);
  return value;
}
