// Visualizer benchmark (issue 5), one of the measurement modules of bench/browser/run.mjs. Builds the app with
// its Vite config, serves it with COOP/COEP, and measures in headless Chromium at 1280×800, the app's default
// host (one Web Worker per node):
//   jsGzipKB          the main-thread JavaScript a default page load fetches, gzipped (level 9)
//   jsGzipKBWorker    the node worker script (loaded once per node, cached), gzipped, reported apart
//   fcpMs             first contentful paint of the built app (median of 5 cold loads)
//   frameP95Ms5/9     frame time p95 (rAF intervals) over FRAME_WINDOW_S of a busy run, the worse of 1× and
//                     fast-forward; frameP99Ms9 and longTaskMs30s at 9 nodes on fast-forward
//   frameP95Ms9Inline the same at 9 nodes, fast-forward, with the nodes in-process (host=inline), for comparison
//   heapGrowthBytes5min  main-thread heap (after GC) at HEAP_WINDOW_S minus at HEAP_WINDOW_S/5 of a busy 9-node
//                     fast-forward run. FLOTILLA_BENCH_HEAP_S shortens the window (the output says so).
// "Busy run": scenario written below (writes, crashes and restarts of the leader, partitions, 2% loss and 2%
// duplication), imported through the app's own Import control.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FRAME_WINDOW_S = Number(process.env.FLOTILLA_BENCH_FRAME_S ?? 30);
const HEAP_WINDOW_S = Number(process.env.FLOTILLA_BENCH_HEAP_S ?? 300);
const VIEWPORT = { width: 1280, height: 800 };

/** A scenario that keeps every part of the UI busy for hours of virtual time. */
function busyScenario(nodes) {
  const actions = [];
  for (let at = 1500; at <= 60_000; at += 250) actions.push({ at, do: 'propose', node: 'leader', data: `w${at}` });
  for (let at = 62_000; at <= 8_000_000; at += 2000) actions.push({ at, do: 'propose', node: 'leader', data: `w${at}` });
  for (let at = 8000; at <= 8_000_000; at += 20_000) {
    actions.push({ at, do: 'crash', node: 'leader' }, { at: at + 5000, do: 'restart', node: 'lastCrashed' });
    if ((at / 20_000) % 3 === 1) actions.push({ at: at + 9000, do: 'isolate', node: 'leader' }, { at: at + 14_000, do: 'heal' });
  }
  return {
    name: `busy ${nodes}`, description: 'benchmark load', nodes, seed: 1, until: 100_000_000,
    network: { latencyMs: [10, 40], dropRate: 0.02, duplicateRate: 0.02 }, actions,
  };
}

function quantile(sorted, q) {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
}

/** Opens the app, imports the busy scenario, sets the speed and plays. */
async function startBusyRun(browser, base, nodes, speed, host, file) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  await page.goto(`${base}?host=${host}`);
  await page.getByRole('button', { name: 'Play' }).waitFor();
  await page.getByLabel('Import scenario or trace file').setInputFiles(file);
  await page.getByRole('option', { name: 'Imported scenario' }).waitFor({ state: 'attached' });
  await page.getByRole('button', { name: 'Play' }).waitFor();
  const slider = page.getByRole('slider', { name: 'Speed' });
  await slider.focus();
  if (speed === 'ff') await slider.press('End');
  else { await slider.press('Home'); for (let i = 0; i < 30; i++) await slider.press('ArrowRight'); }
  await slider.blur();
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForTimeout(2000);
  return { context, page };
}

async function measureFrames(page, seconds) {
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.__bench = { frames: [], longTasks: 0 };
    let last = performance.now();
    const tick = (t) => { w.__bench.frames.push(t - last); last = t; if (!w.__bench.stop) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__bench.longTasks += e.duration; }).observe({ type: 'longtask' });
  });
  await page.waitForTimeout(seconds * 1000);
  const { frames, longTasks } = await page.evaluate(() => { const w = /** @type {any} */ (window); w.__bench.stop = true; return w.__bench; });
  const sorted = frames.slice(1).sort((a, b) => a - b);
  const virtual = await page.getByLabel('Virtual time', { exact: true }).innerText();
  return { p95: quantile(sorted, 0.95), p99: quantile(sorted, 0.99), median: quantile(sorted, 0.5), longTaskMs: longTasks, frames: sorted.length, virtual };
}

async function heapUsed(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize;
}

/** @param {{ browser: import('playwright-core').Browser, log: (line: string) => void }} context */
export default async function ({ browser, log }) {
  const outDir = mkdtempSync(path.join(tmpdir(), 'flotilla-ui-bench-'));
  const configFile = path.join(repoRoot, 'vite.config.ts');
  await build({ root: repoRoot, configFile, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const server = await preview({ root: repoRoot, configFile, logLevel: 'warn', build: { outDir }, preview: { port: 4191, strictPort: false } });
  const base = server.resolvedUrls.local[0];
  const figures = {};
  try {
    // JavaScript fetched by a default page load (the playground with Web Workers).
    {
      const context = await browser.newContext({ viewport: VIEWPORT });
      const page = await context.newPage();
      const bodies = new Map();
      page.on('response', async (r) => {
        if (!/\.js(\?|$)/.test(r.url())) return;
        try { bodies.set(r.url(), await r.body()); } catch { /* a worker script body may be unavailable; counted below */ }
      });
      await page.goto(base);
      await page.getByRole('button', { name: 'Play' }).waitFor();
      await page.waitForTimeout(1000);
      let main = 0;
      for (const [url, body] of bodies) if (!/worker/i.test(url)) main += gzipSync(body, { level: 9 }).length;
      // A worker's own script is not reported to the page's response events: read it from the build.
      let worker = 0;
      for (const file of readdirSync(path.join(outDir, 'assets'))) {
        if (/worker.*\.js$/i.test(file)) worker += gzipSync(readFileSync(path.join(outDir, 'assets', file)), { level: 9 }).length;
      }
      figures.jsGzipKB = main / 1024;
      figures.jsGzipKBWorker = worker / 1024;
      log(`  scripts: ${[...bodies.keys()].map((u) => u.replace(/^.*\//, '')).join(', ')}`);
      await context.close();
    }
    // First contentful paint, cold.
    {
      const samples = [];
      for (let i = 0; i < 5; i++) {
        const context = await browser.newContext({ viewport: VIEWPORT });
        const page = await context.newPage();
        await page.goto(base);
        await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0);
        samples.push(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0].startTime));
        await context.close();
      }
      samples.sort((a, b) => a - b);
      figures.fcpMs = samples[2];
      log(`  fcp samples (ms): ${samples.map((s) => s.toFixed(0)).join(', ')}`);
    }
    // Frame times over a busy run.
    const files = {};
    for (const nodes of [5, 9]) {
      files[nodes] = path.join(outDir, `busy-${nodes}.json`);
      writeFileSync(files[nodes], JSON.stringify(busyScenario(nodes)));
    }
    const runs = [[5, '1x', 'worker'], [5, 'ff', 'worker'], [9, '1x', 'worker'], [9, 'ff', 'worker'], [9, 'ff', 'inline']];
    const results = {};
    for (const [nodes, speed, host] of runs) {
      const { context, page } = await startBusyRun(browser, base, nodes, speed, host, files[nodes]);
      const r = await measureFrames(page, FRAME_WINDOW_S);
      results[`${nodes}-${speed}-${host}`] = r;
      log(`  ${nodes} nodes, ${speed}, host=${host} (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}): p50 ${r.median.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, long tasks ${r.longTaskMs.toFixed(0)} ms over ${FRAME_WINDOW_S} s, ${r.frames} frames, reached ${r.virtual}`);
      await context.close();
    }
    const scale = 30 / FRAME_WINDOW_S;
    figures.frameP95Ms5 = Math.max(results['5-1x-worker'].p95, results['5-ff-worker'].p95);
    figures.frameP95Ms9 = Math.max(results['9-1x-worker'].p95, results['9-ff-worker'].p95);
    figures.frameP99Ms9 = results['9-ff-worker'].p99;
    figures.longTaskMs30s = results['9-ff-worker'].longTaskMs * scale;
    figures.frameP95Ms9Inline = results['9-ff-inline'].p95;
    // Heap growth over a long busy run (9 nodes, fast-forward).
    {
      if (HEAP_WINDOW_S !== 300) log(`  NOTE: heap window shortened to ${HEAP_WINDOW_S} s (FLOTILLA_BENCH_HEAP_S); the figure is still named heapGrowthBytes5min`);
      const { context, page } = await startBusyRun(browser, base, 9, 'ff', 'worker', files[9]);
      await page.waitForTimeout((HEAP_WINDOW_S / 5) * 1000 - 2000);
      const early = await heapUsed(page);
      const earlyT = await page.getByLabel('Virtual time', { exact: true }).innerText();
      await page.waitForTimeout((HEAP_WINDOW_S * 4 / 5) * 1000);
      const late = await heapUsed(page);
      const lateT = await page.getByLabel('Virtual time', { exact: true }).innerText();
      figures.heapGrowthBytes5min = late - early;
      log(`  heap after GC: ${(early / 1e6).toFixed(1)} MB at ${HEAP_WINDOW_S / 5} s (${earlyT}), ${(late / 1e6).toFixed(1)} MB at ${HEAP_WINDOW_S} s (${lateT})`);
      await context.close();
    }
  } finally {
    await server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
  return figures;
}
