// Worker benchmark (issue 4), one of the measurement modules of bench/browser/run.mjs. Builds the page
// bench/browser/worker-bench.html with the app's Vite config, serves it with COOP/COEP (precise timers), and
// measures in headless Chromium:
//   workerEventsPerSec5 / 9     trace events per second, nodes in Web Workers, lookahead windows (the app's path);
//                               app defaults (tick 10 ms, latency 10-30 ms), one proposal every 10 ms virtual
//   workerEventsPerSec5OneByOne the same without windows (one round trip per host call), for comparison
//   rawRoundTripsPerSec         a bare postMessage ping-pong, the physical limit of one-call-at-a-time lockstep
//   workerTraceMatches          1 when every worker run's trace hash equals the in-process run's
// Targets: workerEventsPerSec5 >= 25,000 and >= rawRoundTripsPerSec / 2.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const VIRTUAL_MS = 20_000;
const ROUND_TRIPS = 10_000;

/** @param {{ browser: import('playwright-core').Browser, log: (line: string) => void }} context */
export default async function ({ browser, log }) {
  const outDir = mkdtempSync(path.join(tmpdir(), 'flotilla-worker-bench-'));
  const configFile = path.join(repoRoot, 'vite.config.ts');
  await build({
    root: repoRoot, configFile, logLevel: 'warn',
    build: { outDir, emptyOutDir: true, rollupOptions: { input: path.join(repoRoot, 'bench/browser/worker-bench.html') } },
  });
  const server = await preview({ root: repoRoot, configFile, logLevel: 'warn', build: { outDir }, preview: { port: 4190, strictPort: false } });
  const page = await browser.newPage();
  try {
    const base = server.resolvedUrls.local[0];
    await page.goto(new URL('bench/browser/worker-bench.html', base).href);
    await page.waitForFunction(() => typeof window.flotillaWorkerBench === 'object');
    if (!(await page.evaluate(() => crossOriginIsolated))) log('  warning: the page is not cross-origin isolated (timers clamped)');
    const figures = {};
    const raw = await page.evaluate((n) => window.flotillaWorkerBench.rawRoundTrips(n), ROUND_TRIPS);
    log(`  raw postMessage ping-pong: ${Math.round(raw.perSec).toLocaleString('en-US')} round trips/s (median ${raw.medianUs.toFixed(1)} µs)`);
    figures.rawRoundTripsPerSec = raw.perSec;
    let matches = 1;
    for (const nodes of [5, 9]) {
      const reference = await page.evaluate(([n, ms]) => window.flotillaWorkerBench.inline(n, ms), [nodes, VIRTUAL_MS]);
      const run = await page.evaluate(([n, ms]) => window.flotillaWorkerBench.workers(n, ms), [nodes, VIRTUAL_MS]);
      if (run.sha256 !== reference.sha256) matches = 0;
      log(`  ${nodes} nodes in workers: ${Math.round(run.eventsPerSec).toLocaleString('en-US')} events/s (${run.events} events in ${Math.round(run.wallMs)} ms; in-process ${Math.round(reference.eventsPerSec).toLocaleString('en-US')} events/s; trace ${run.sha256 === reference.sha256 ? 'identical' : 'DIFFERENT'})`);
      figures[`workerEventsPerSec${nodes}`] = run.eventsPerSec;
      if (nodes === 5) {
        const oneByOne = await page.evaluate(([n, ms]) => window.flotillaWorkerBench.workersOneByOne(n, ms), [nodes, VIRTUAL_MS / 4]);
        log(`  5 nodes in workers, one call at a time: ${Math.round(oneByOne.eventsPerSec).toLocaleString('en-US')} events/s`);
        figures.workerEventsPerSec5OneByOne = oneByOne.eventsPerSec;
      }
    }
    figures.workerTraceMatches = matches;
    return figures;
  } finally {
    await page.close();
    await new Promise((resolve) => server.httpServer.close(resolve));
    rmSync(outDir, { recursive: true, force: true });
  }
}
