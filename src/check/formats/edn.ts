/**
 * A reader for the flat EDN maps of Jepsen-style history lines, e.g.
 * `{:process 9, :type :invoke, :f :append, :key "0", :value "x 9 0 y"}`: keyword keys; values that are
 * strings, integers, keywords, `nil`, `true`/`false`. Nested collections are not part of these histories and
 * are rejected, naming the position. An integer beyond 2^53 is read as a BigInt, never rounded to a double: two
 * distinct integers in the file stay distinct values (EDN integers are arbitrary precision).
 */
export type EdnScalar = string | number | bigint | boolean | null | { readonly keyword: string };

/** The escapes a string may use, and what they stand for. */
const STRING_ESCAPES: ReadonlyMap<string, string> = new Map([['n', '\n'], ['t', '\t'], ['r', '\r'], ['"', '"'], ['\\', '\\']]);

/**
 * Parses one flat EDN map into a record keyed by keyword name (without the colon). Throws on anything else, and
 * on a key given twice (EDN forbids it). The record has no prototype: a key such as `:constructor` or
 * `:__proto__` is an ordinary key, and an absent key reads as undefined.
 */
export function parseEdnMap(text: string): Record<string, EdnScalar> {
  let pos = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at column ${pos + 1}`);
  };
  // Commas are whitespace in EDN.
  const skipSpace = () => {
    while (pos < text.length && /[\s,]/.test(text[pos])) pos++;
  };
  const readToken = (): string => {
    const start = pos;
    while (pos < text.length && !/[\s,{}[\]()"]/.test(text[pos])) pos++;
    if (pos === start) fail('expected a value');
    return text.slice(start, pos);
  };
  const readString = (): string => {
    pos++; // opening quote
    let out = '';
    while (pos < text.length && text[pos] !== '"') {
      if (text[pos] === '\\') {
        const escaped = text[pos + 1];
        const replacement = escaped === undefined ? undefined : STRING_ESCAPES.get(escaped);
        if (replacement === undefined) fail('unsupported string escape');
        out += replacement;
        pos += 2;
      } else {
        out += text[pos++];
      }
    }
    if (pos >= text.length) fail('unterminated string');
    pos++; // closing quote
    return out;
  };
  const readValue = (): EdnScalar => {
    if (text[pos] === '"') return readString();
    if ('{[('.includes(text[pos])) fail('nested collections are not supported');
    const token = readToken();
    if (token.startsWith(':')) return { keyword: token.slice(1) };
    if (token === 'nil') return null;
    if (token === 'true' || token === 'false') return token === 'true';
    // An integer, with Clojure's optional `N` (arbitrary precision) suffix.
    const integer = /^([-+]?\d+)N?$/.exec(token);
    if (integer) {
      const value = Number(integer[1]);
      return Number.isSafeInteger(value) ? value : BigInt(integer[1]!);
    }
    return fail(`unsupported token ${JSON.stringify(token)}`);
  };

  skipSpace();
  if (text[pos] !== '{') fail('expected "{"');
  pos++;
  const result = Object.create(null) as Record<string, EdnScalar>;
  for (;;) {
    skipSpace();
    if (pos >= text.length) fail('unterminated map');
    if (text[pos] === '}') {
      pos++;
      break;
    }
    const key = readValue();
    if (key === null || typeof key !== 'object') fail('map keys must be keywords');
    skipSpace();
    const name = (key as { keyword: string }).keyword;
    if (pos >= text.length || text[pos] === '}') fail(`missing value for :${name}`);
    if (Object.hasOwn(result, name)) fail(`duplicate key :${name}`);
    result[name] = readValue();
  }
  skipSpace();
  if (pos < text.length) fail('unexpected text after the map');
  return result;
}

/** The keyword's name, or undefined when the value is not a keyword. */
export function keywordName(value: EdnScalar | undefined): string | undefined {
  return value !== null && typeof value === 'object' ? value.keyword : undefined;
}
