// Issue 5: at 1280×800 with 9 nodes nothing overlaps and nothing needs scrolling but long logs; text is at least
// 12 px; light and dark. Saves screenshots of each view at 5 and 9 nodes, light and dark, under
// test-results/screens/ (not committed) for a human to look at.
import { expect, test, type Page } from '@playwright/test';
import { inlineRun, openRun } from './ui-helpers.ts';

function busyScenario(nodes: number) {
  const actions: object[] = [];
  for (let at = 1500; at <= 6000; at += 250) actions.push({ at, do: 'propose', node: 'leader', data: `k${at}=v` });
  actions.push({ at: 4000, do: 'crash', node: 'lastCrashed' }, { at: 4200, do: 'isolate', node: 'leader' });
  return { name: `layout ${nodes}`, nodes, seed: 4, until: 20_000, network: { latencyMs: [10, 40], dropRate: 0.05, duplicateRate: 0.05 }, actions };
}

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function checkLayout(page: Page, nodes: number) {
  // Nothing scrolls: the page fits the viewport exactly.
  const scroll = await page.evaluate(() => ({ h: document.documentElement.scrollHeight, w: document.documentElement.scrollWidth, ih: innerHeight, iw: innerWidth }));
  expect(scroll.h).toBeLessThanOrEqual(scroll.ih);
  expect(scroll.w).toBeLessThanOrEqual(scroll.iw);

  // Panels do not overlap one another.
  const panels = await page.locator('.panel').evaluateAll((els) => els.map((e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; }));
  expect(panels.length).toBe(5);
  for (let i = 0; i < panels.length; i++) for (let j = i + 1; j < panels.length; j++) expect(overlap(panels[i], panels[j]), `panels ${i} and ${j}`).toBe(false);

  // Nodes (body, timer ring and labels) do not overlap, and stay inside the cluster view.
  const nodeBoxes = await page.getByRole('button', { name: /^S\d, / }).evaluateAll((els) => els.map((e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; }));
  expect(nodeBoxes.length).toBe(nodes);
  const view = (await page.locator('.cluster-body').boundingBox())!;
  for (let i = 0; i < nodeBoxes.length; i++) {
    const b = nodeBoxes[i];
    expect(b.x >= view.x - 1 && b.y >= view.y - 1 && b.x + b.width <= view.x + view.width + 1 && b.y + b.height <= view.y + view.height + 1, `S${i + 1} inside the view`).toBe(true);
    for (let j = i + 1; j < nodeBoxes.length; j++) expect(overlap(b, nodeBoxes[j]), `S${i + 1} and S${j + 1} overlap`).toBe(false);
  }

  // Every visible text is at least 12 px.
  const small = await page.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !n.textContent?.trim()) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || el.closest('.sr-only')) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size < 12) out.push(`${size}px: ${n.textContent.trim().slice(0, 30)}`);
    }
    return out;
  });
  expect(small).toEqual([]);
}

for (const nodes of [5, 9]) {
  for (const theme of ['light', 'dark'] as const) {
    test(`layout and screenshots: ${nodes} nodes, ${theme}`, async ({ browser }) => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: theme });
      const page = await context.newPage();
      await openRun(page, inlineRun(busyScenario(nodes), `&host=inline&pos=${nodes * 260}`));
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await page.waitForTimeout(300);
      await checkLayout(page, nodes);
      const dir = 'test-results/screens';
      await page.screenshot({ path: `${dir}/page-${nodes}-${theme}.png` });
      for (const [view, selector] of [['cluster', '.cluster-panel'], ['log', '.log-panel'], ['timeline', '.timeline-panel'], ['narration', '.narration-panel'], ['safety', '.safety-panel']]) {
        await page.locator(selector).screenshot({ path: `${dir}/${view}-${nodes}-${theme}.png` });
      }
      await context.close();
    });
  }
}

test('phone: one column, controls reachable, no sideways scrolling', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await openRun(page, '/?host=inline&seed=1&pos=600');
  const scroll = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, iw: innerWidth }));
  expect(scroll.w).toBeLessThanOrEqual(scroll.iw);
  await page.getByRole('button', { name: /^S1, / }).tap();
  await expect(page.getByRole('menu', { name: /^S1, / })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/phone.png', fullPage: true });
  await context.close();
});
