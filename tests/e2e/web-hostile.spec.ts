/**
 * Issue 10, "Links and files from strangers": hostile links and files must not inject script, pollute
 * Object.prototype, or make the page request anything from another host. This holds today; these tests keep it so.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeInlineScenario } from '../../src/store/runUrl.ts';

const xss = '<img src="http://evil.example/x.png" onerror="window.__injected=1"><script>window.__injected=2</script>';

/** A scenario with markup in every string and prototype keys wherever JSON allows them. */
const hostileScenario = {
  name: xss,
  description: `<a href="javascript:window.__injected=3">${xss}</a>`,
  nodes: 3,
  seed: 1,
  until: 3000,
  ['__proto__']: { polluted: 'scenario' },
  config: { ['__proto__']: { polluted: 'config' } },
  actions: [{ at: 1200, do: 'propose', node: 'leader', data: xss }],
};
// JSON.stringify drops a `__proto__` set by a literal (it is the prototype, not a key): write the keys by hand.
const hostileJson = JSON.stringify(hostileScenario)
  .replace('{"name"', '{"__proto__":{"polluted":"scenario"},"constructor":{"prototype":{"polluted":"ctor"}},"name"')
  .replace('"config":{}', '"config":{"__proto__":{"polluted":"config"}}');

/** The same markup in a scenario the simulator accepts: it loads, and every string of it is rendered. */
const { ['__proto__']: _ignored, ...acceptedScenario } = { ...hostileScenario, config: {} };

const hostileLinks = [
  `/?scenario=${encodeInlineScenario(JSON.stringify(acceptedScenario))}&host=inline&run=end`,
  `/?scenario=${encodeInlineScenario(hostileJson)}&host=inline&run=end`,
  `/?scenario=${encodeInlineScenario(JSON.stringify({ ...hostileScenario, config: undefined }).replace('{"name"', '{"__proto__":{"polluted":1},"name"'))}&host=inline&run=end`,
  `/?scenario=examples/leader-crash.json&host=inline&actions=${encodeURIComponent(JSON.stringify([{ at: 1, do: 'propose', node: 'leader', data: xss }]).replace('[{', '[{"__proto__":{"polluted":1},'))}`,
  `/?scenario=examples/leader-crash.json&host=inline&actions=${encodeURIComponent('[{"at":1,"do":"__proto__"},{"at":2,"do":"constructor"}]')}`,
  `/?scenario=http://evil.example/s.json&host=inline`,
  `/?scenario=examples/../../../etc/passwd&host=inline`,
  `/?scenario=inline:${'A'.repeat(50)}&host=javascript:alert(1)&seed=__proto__`,
  `/#scenario=examples/leader-crash.json&host=inline&actions=${encodeURIComponent(JSON.stringify([{ at: 5, do: 'propose', node: 1, data: xss }]))}&run=end`,
];

/** Opens "About this scenario" (it renders the scenario's name and description) and closes it again. */
async function showAbout(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'About this scenario' }).click();
  const dialog = page.getByRole('dialog', { name: 'About this scenario' });
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
}

interface Watch { requests: string[]; dialogs: string[] }

function watch(page: Page): Watch {
  const seen: Watch = { requests: [], dialogs: [] };
  page.on('request', (r) => seen.requests.push(r.url()));
  page.on('dialog', (d) => { seen.dialogs.push(d.message()); void d.dismiss(); });
  return seen;
}

async function expectUnharmed(page: Page, seen: Watch): Promise<void> {
  const state = await page.evaluate(() => ({
    polluted: ({} as Record<string, unknown>).polluted,
    arrayPolluted: ([] as unknown as Record<string, unknown>).polluted,
    injected: (window as unknown as { __injected?: number }).__injected,
    foreignImages: [...document.querySelectorAll('img, script:not([type="module"]), iframe')].map((e) => e.outerHTML).filter((h) => h.includes('evil')),
  }));
  expect(state).toEqual({ polluted: undefined, arrayPolluted: undefined, injected: undefined, foreignImages: [] });
  const foreign = seen.requests.filter((url) => !/^(blob:|data:)/.test(url) && new URL(url).hostname !== '127.0.0.1');
  expect(foreign).toEqual([]);
  expect(seen.dialogs).toEqual([]);
}

test('hostile links: no script, no prototype pollution, no request to another host', async ({ page }) => {
  const seen = watch(page);
  // The accepted one is shown, markup as text.
  await page.goto(hostileLinks[0]!);
  await expect(page.getByText('Finished')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'About this scenario' }).click();
  await expect(page.getByRole('dialog').getByText(xss, { exact: false }).first()).toBeVisible();
  await page.keyboard.press('Escape');
  for (const link of hostileLinks) {
    await page.goto(link);
    await expect(page.getByRole('button', { name: /^(Play|Pause)$/ }).and(page.locator(':enabled')).or(page.getByText('Finished')).or(page.getByText(/^Error: /)).first()).toBeVisible({ timeout: 30_000 });
    // Open every view that renders scenario text: the about dialog and the narration.
    await showAbout(page);
    await expectUnharmed(page, seen);
  }
  expect(seen.requests.length).toBeGreaterThan(0);
});

test('hostile files (a scenario and a trace): no script, no prototype pollution, no request to another host', async ({ page }) => {
  const seen = watch(page);
  const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-e2e-'));
  const scenarioFile = path.join(dir, '<img src=x onerror=alert(1)>.json');
  writeFileSync(scenarioFile, hostileJson);
  const traceFile = path.join(dir, 'hostile.trace.jsonl');
  writeFileSync(traceFile, [
    `{"type":"header","format":"flotilla-trace","version":1,"seed":1,"nodes":[1,2,3],"config":{"__proto__":{"polluted":"trace"}},"network":{"__proto__":{"polluted":"net"}},"name":${JSON.stringify(xss)},"until":2000}`,
    `{"t":1,"type":"action","action":{"at":1,"do":"propose","node":1,"data":${JSON.stringify(xss)},"__proto__":{"polluted":"action"}}}`,
    `{"t":2,"type":"crash","node":42,"__proto__":{"polluted":"event"}}`,
  ].join('\n') + '\n');
  await page.goto('/?scenario=examples/leader-crash.json&host=inline');
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  for (const file of [scenarioFile, traceFile]) {
    await page.getByLabel('Import scenario or trace file').setInputFiles(file);
    await expect(page.getByRole('status', { name: 'Run status' })).toContainText(/Imported|Not imported|Could not import|Error/);
    const runToEnd = page.getByRole('button', { name: 'Run to end' });
    if (await runToEnd.isEnabled()) {
      await runToEnd.click();
      await expect(page.getByText('Finished')).toBeVisible({ timeout: 30_000 });
    }
    await showAbout(page);
    await expectUnharmed(page, seen);
  }
});
