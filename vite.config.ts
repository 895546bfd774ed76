/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Cross-origin isolation gives precise timers (performance.now at 5 µs) for the browser benchmarks.
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  // Test-only URL parameters exist only in builds made with FLOTILLA_TEST_HOOKS=1 (src/ui/testHooks.d.ts).
  define: { __FLOTILLA_TEST_HOOKS__: JSON.stringify(process.env.FLOTILLA_TEST_HOOKS === '1') },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', port: 5173, headers: crossOriginIsolation },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, headers: crossOriginIsolation },
  test: {
    // Unit and property tests only; Playwright specs live in tests/e2e and are run by Playwright.
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
