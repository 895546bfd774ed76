import tseslint from 'typescript-eslint';
import layers from './scripts/eslint/layers.js';

const purity = 'src/raft must stay pure: time enters only through tick(), randomness only through the injected source, output only through Ready.';
const deterministic = 'kv, check and etcd are deterministic: time, randomness and I/O reach them only through the ports they are handed (docs/architecture.md).';

/**
 * The core, the state machine, the checker and the etcd layer are deterministic: no clocks, no global randomness,
 * no I/O. Each gets the same rules with the message that explains them for that layer.
 */
function deterministicLayers(files, message) {
  return [{
    files,
    rules: {
      'no-restricted-globals': ['error',
        ...['Date', 'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'queueMicrotask',
          'requestAnimationFrame', 'postMessage', 'window', 'document', 'self', 'navigator', 'performance',
          'localStorage', 'fetch', 'Worker', 'process'].map((name) => ({ name, message }))],
      'no-restricted-properties': ['error',
        { object: 'Math', property: 'random', message },
        { object: 'globalThis', message }],
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date']", message }],
    },
  }];
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'coverage/**'] },
  {
    files: ['src/**/*.{ts,tsx}', 'tests/**/*.ts', 'bench/**/*.ts'],
    extends: [tseslint.configs.recommended],
    plugins: { flotilla: { rules: { layers } } },
    rules: {
      'flotilla/layers': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // A file does one thing and a function fits on a screen (docs/architecture.md, "Sizes"). Blank and comment
    // lines count: a comment that needs a screen of its own belongs in docs/.
    files: ['src/**/*.{ts,tsx}'],
    rules: {
      'max-lines': ['error', { max: 400 }],
      'max-lines-per-function': ['error', { max: 80 }],
    },
  },
  ...deterministicLayers(['src/raft/**/*.ts'], purity),
  ...deterministicLayers(['src/kv/**/*.ts', 'src/check/**/*.ts', 'src/etcd/**/*.ts'], deterministic),
  {
    // Everything in a simulated run is virtual: sim draws from the seeded PRNG and its virtual clock only.
    files: ['src/sim/**/*.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'draw from the seeded PRNG (src/sim/prng.ts)' }],
      'no-restricted-globals': ['error', { name: 'Date', message: 'the simulator runs on virtual time only' }],
    },
  },
);
