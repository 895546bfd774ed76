// Issue 7 views under issue 5's layout rules: at 1280×800 with 9 nodes and key-value clients, nothing overlaps,
// nothing scrolls but the views' own lists, text is at least 12 px, light and dark. Screenshots of each
// key-value view go to test-results/screens/ (not committed) for a human to look at.
import { expect, test } from '@playwright/test';
import { inlineRun, openRun } from './ui-helpers.ts';

function kvScenario(nodes: number) {
  const actions: object[] = [
    { at: 300, do: 'client', client: 'app', via: 1 },
    { at: 300, do: 'client', client: 'svc', via: 'any' },
    { at: 300, do: 'client', client: 'watcher', via: nodes },
    { at: 1500, do: 'watch', client: 'watcher', watch: 'w1', key: 'svc/', prefix: true },
    { at: 1600, do: 'grant', client: 'svc', lease: 'L1', ttlMs: 3000 },
    { at: 1700, do: 'put', client: 'svc', key: 'svc/web-1', value: '10.0.0.7:8080', lease: 'L1' },
    { at: 1800, do: 'keepalive', client: 'svc', lease: 'L1' },
  ];
  for (let i = 0; i < 12; i++) actions.push({ at: 2000 + i * 150, do: 'put', client: 'app', key: `config/key-${i}`, value: `value-${i}` });
  actions.push({ at: 4500, do: 'isolate', node: 1 }, { at: 5000, do: 'get', client: 'app', key: 'config/', prefix: true, serializable: true });
  return { name: `kv layout ${nodes}`, nodes, seed: 5, until: 30_000, actions };
}

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

for (const theme of ['light', 'dark'] as const) {
  test(`key-value views fit at 1280×800 with 9 nodes, ${theme}`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: theme });
    const page = await context.newPage();
    await openRun(page, inlineRun(kvScenario(9), '&host=inline'));
    await page.getByRole('button', { name: 'Play' }).click();
    await page.getByRole('slider', { name: 'Speed' }).fill('0.5');
    await expect(page.getByRole('region', { name: 'Key-value' })).toBeVisible();
    await expect(page.getByRole('table', { name: /^Keys on S\d/ }).getByRole('row')).toHaveCount(14, { timeout: 30000 });
    await page.getByRole('button', { name: 'Pause' }).click();

    const scroll = await page.evaluate(() => ({ h: document.documentElement.scrollHeight, w: document.documentElement.scrollWidth, ih: innerHeight, iw: innerWidth }));
    expect(scroll.h).toBeLessThanOrEqual(scroll.ih);
    expect(scroll.w).toBeLessThanOrEqual(scroll.iw);
    const panels = await page.locator('.panel').evaluateAll((els) => els.map((e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; }));
    expect(panels.length).toBe(6);
    for (let i = 0; i < panels.length; i++) for (let j = i + 1; j < panels.length; j++) expect(overlap(panels[i], panels[j]), `panels ${i} and ${j}`).toBe(false);

    const dir = 'test-results/screens';
    for (const tab of ['Keys', 'Leases', 'Watch', 'Recipes', 'Console']) {
      await page.getByRole('tab', { name: tab }).click();
      const small = await page.locator('.kv-panel').evaluate((panel) => {
        const out: string[] = [];
        const walker = document.createTreeWalker(panel, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const el = n.parentElement;
          if (!el || !n.textContent?.trim() || el.closest('.sr-only')) continue;
          const r = el.getBoundingClientRect();
          if (r.width === 0 || r.height === 0) continue;
          const size = parseFloat(getComputedStyle(el).fontSize);
          if (size < 12) out.push(`${size}px: ${n.textContent.trim().slice(0, 30)}`);
        }
        return out;
      });
      expect(small, `text under 12 px on the ${tab} tab`).toEqual([]);
      await page.locator('.kv-panel').screenshot({ path: `${dir}/kv-${tab.toLowerCase()}-9-${theme}.png` });
    }
    await page.getByRole('tab', { name: 'Keys' }).click();
    await page.screenshot({ path: `${dir}/kv-page-9-${theme}.png` });
    await context.close();
  });
}
