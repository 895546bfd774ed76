// ESLint rule: the one-way layering of src/ (see README "Layers").
// Each layer may import only the layers listed for it; anything else under src/ is an error.
// Resolves relative import specifiers against the importing file, so it needs no module resolver.
import path from 'node:path';

/** Which layers each layer may import (besides itself). */
export const ALLOWED = {
  raft: [],
  check: ['raft', 'kv'],
  kv: ['raft'],
  sim: ['raft', 'kv', 'check'],
  worker: ['raft', 'kv', 'sim', 'check'],
  store: ['sim', 'raft', 'kv', 'check'],
  ui: ['store', 'sim', 'raft', 'kv', 'check'],
  cli: ['raft', 'kv', 'sim', 'check'],
};

/** Files of ui allowed to wire the worker layer: the composition root only. */
const COMPOSITION_ROOTS = [/src\/ui\/main\.tsx?$/, /src\/ui\/compositionRoot\.tsx?$/];

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
    },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const from = layerOf(file);
    if (!from || !(from in ALLOWED)) return {};
    function check(node, spec) {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), spec);
      const to = layerOf(target + '/');
      if (!to || to === from) return;
      const allowed = ALLOWED[from];
      let ok = allowed.includes(to);
      if (from === 'ui' && to === 'worker') ok = COMPOSITION_ROOTS.some((re) => re.test(file.split(path.sep).join('/')));
      if (!ok) context.report({ node, messageId: 'forbidden', data: { from, to, allowed: allowed.join(', ') || 'none' } });
    }
    return {
      ImportDeclaration(node) { check(node, node.source.value); },
      ExportNamedDeclaration(node) { if (node.source) check(node, node.source.value); },
      ExportAllDeclaration(node) { check(node, node.source.value); },
      ImportExpression(node) { if (node.source.type === 'Literal') check(node, node.source.value); },
    };
  },
};
