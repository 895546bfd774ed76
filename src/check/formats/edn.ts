/**
 * A reader for the flat EDN maps of Jepsen-style history lines, e.g.
 * `{:process 9, :type :invoke, :f :append, :key "0", :value "x 9 0 y"}`: keyword keys; values that are
 * strings, integers, keywords, `nil`, `true`/`false`. Nested collections are not part of these histories and
 * are rejected, naming the position.
 */
export type EdnScalar = string | number | boolean | null | { readonly keyword: string };

/** Parses one flat EDN map into a record keyed by keyword name (without the colon). Throws on anything else. */
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
        const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };
        if (escaped === undefined || !(escaped in map)) fail('unsupported string escape');
        out += map[escaped];
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
    if (/^[-+]?\d+$/.test(token)) return Number(token);
    return fail(`unsupported token ${JSON.stringify(token)}`);
  };

  skipSpace();
  if (text[pos] !== '{') fail('expected "{"');
  pos++;
  const result: Record<string, EdnScalar> = {};
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
    if (pos >= text.length || text[pos] === '}') fail(`missing value for :${(key as { keyword: string }).keyword}`);
    result[(key as { keyword: string }).keyword] = readValue();
  }
  skipSpace();
  if (pos < text.length) fail('unexpected text after the map');
  return result;
}

/** The keyword's name, or undefined when the value is not a keyword. */
export function keywordName(value: EdnScalar | undefined): string | undefined {
  return value !== null && typeof value === 'object' ? value.keyword : undefined;
}
