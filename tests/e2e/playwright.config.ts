import { defineConfig } from '@playwright/test';

// Browser tests run in Debian's Chromium (Playwright's own download cannot work here).
// Vitest never sees these files: its include is tests/**/*.test.ts, these are *.spec.ts.
// FLOTILLA_E2E_PORT serves the built app on another port (e.g. when something else already holds 4173).
const port = Number(process.env.FLOTILLA_E2E_PORT ?? 4173);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../../test-results/playwright',
  timeout: 90_000,
  workers: 1,
  reporter: 'list',
  use: {
    baseURL,
    browserName: 'chromium',
    headless: true,
    acceptDownloads: true,
    launchOptions: {
      executablePath: process.env.FLOTILLA_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: {
    // The test build reads the test-only URL parameters (failNode, traceKeepBytes: src/ui/testHooks.d.ts).
    command: `FLOTILLA_TEST_HOOKS=1 npx vite build && npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    cwd: '../..',
    url: baseURL,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
  },
});
