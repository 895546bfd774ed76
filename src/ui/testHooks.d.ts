/**
 * True in builds made with FLOTILLA_TEST_HOOKS=1 (the browser tests' build, tests/e2e/playwright.config.ts); false
 * in production builds. Vite replaces it at build time (vite.config.ts `define`), so a production build drops the
 * code behind it: test-only URL parameters (`failNode`, `traceKeepBytes`; docs/ui.md, "Test hooks") do nothing
 * there, and a shared link cannot make nodes look "failed".
 */
declare const __FLOTILLA_TEST_HOOKS__: boolean;
