// ESLint rule: the one-way layering of src/ (docs/architecture.md).
// Each layer may import only the layers listed for it; anything else under src/ is an error. An import across
// layers goes through the imported layer's public surface, its index.ts; the two exceptions are type-only imports
// of src/raft/types.ts (the vocabulary every layer speaks) and lazy `import()`s, which are the page's code-split
// points: the client layer (src/etcd/kvClients.ts), the in-page node host (src/sim/inlineHost.ts) and the
// key-value views (src/store/kv/connectKvViews.ts) load on demand, so the first load does not carry them; going
// through an index that the first load already holds would undo the split. For the same reason the client layer
// is not in src/etcd/index.ts: the headless layers (sim: the fuzzer and runScenario; cli) import
// src/etcd/kvClients.ts statically, the page's layers (store, ui) only with import().
// Resolves relative import specifiers against the importing file, so it needs no module resolver.
import path from 'node:path';

/** Which layers each layer may import (besides itself). */
export const ALLOWED = {
  raft: [],
  kv: ['raft'],
  check: ['raft', 'kv'],
  etcd: ['raft', 'kv', 'check'],
  sim: ['raft', 'kv', 'check', 'etcd'],
  worker: ['raft', 'kv', 'check', 'etcd', 'sim'],
  store: ['raft', 'kv', 'check', 'etcd', 'sim'],
  ui: ['raft', 'kv', 'check', 'etcd', 'sim', 'store'],
  cli: ['raft', 'kv', 'check', 'etcd', 'sim'],
};

/** Files of ui allowed to wire the worker layer: the composition root only. */
const COMPOSITION_ROOTS = [/src\/ui\/main\.tsx?$/];

/** Cross-layer targets allowed besides a layer's index.ts (see the header). */
const TYPE_ONLY_SURFACES = [/\/src\/raft\/types\.ts$/];
/** Entry modules kept out of an index, and the layers that may import them statically. */
const HEADLESS_ENTRIES = [{ re: /\/src\/etcd\/kvClients\.ts$/, from: ['sim', 'cli'] }];
const LAZY_SURFACES = [/\/src\/etcd\/kvClients\.ts$/, /\/src\/sim\/inlineHost\.ts$/, /\/src\/store\/kv\/connectKvViews\.ts$/];

/** True when `target` (an absolute path without a trailing slash) is the index.ts of `layer`. */
function isIndexOf(target, layer) {
  return new RegExp(`/src/${layer}/index(\\.tsx?)?$`).test(target.split(path.sep).join('/'));
}

function layerOf(file) {
  const norm = file.split(path.sep).join('/');
  const m = /\/src\/([^/]+)\//.exec(norm);
  return m ? m[1] : undefined;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'enforce the one-way layering of src/' },
    messages: {
      forbidden: "layer '{{from}}' may not import layer '{{to}}' (allowed: {{allowed}})",
      notSurface: "import layer '{{to}}' through its public surface, src/{{to}}/index.ts (not {{spec}})",
    },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const from = layerOf(file);
    if (!from || !(from in ALLOWED)) return {};
    function check(node, spec, kind) {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), spec);
      const to = layerOf(target + '/');
      if (!to || to === from) return;
      const allowed = ALLOWED[from];
      let ok = allowed.includes(to);
      if (from === 'ui' && to === 'worker') ok = COMPOSITION_ROOTS.some((re) => re.test(file.split(path.sep).join('/')));
      if (!ok) {
        context.report({ node, messageId: 'forbidden', data: { from, to, allowed: allowed.join(', ') || 'none' } });
        return;
      }
      const norm = target.split(path.sep).join('/');
      const surface = isIndexOf(norm, to)
        || (kind === 'type' && TYPE_ONLY_SURFACES.some((re) => re.test(norm)))
        || (kind === 'lazy' && LAZY_SURFACES.some((re) => re.test(norm)))
        || HEADLESS_ENTRIES.some((entry) => entry.re.test(norm) && entry.from.includes(from));
      if (!surface) context.report({ node, messageId: 'notSurface', data: { to, spec } });
    }
    const kindOf = (node) => (node.importKind === 'type' || node.exportKind === 'type' ? 'type' : 'value');
    return {
      ImportDeclaration(node) { check(node, node.source.value, kindOf(node)); },
      ExportNamedDeclaration(node) { if (node.source) check(node, node.source.value, kindOf(node)); },
      ExportAllDeclaration(node) { check(node, node.source.value, kindOf(node)); },
      ImportExpression(node) { if (node.source.type === 'Literal') check(node, node.source.value, 'lazy'); },
    };
  },
};
