/**
 * Issue 10, "Errors that do not name the parameter": every error a link causes starts with the URL parameter it
 * is about, whatever the scenario parser or the browser's own decoders would have said.
 */
import { expect, test } from '@playwright/test';
import { encodeInlineScenario } from '../../src/store/runUrl.ts';

const three = { name: 'three', nodes: 3, seed: 1, until: 3000 };
const inline = (json: string) => encodeInlineScenario(json);
const badUtf8 = 'inline:' + Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]).toString('base64url');

const cases: Array<[string, string, RegExp]> = [
  ['an Object.prototype name as an action', `/?scenario=${inline(JSON.stringify(three))}&host=inline&actions=${encodeURIComponent('[{"at":1,"do":"toString"}]')}`, /^Error: actions\[0\]\.do: unknown action "toString"/],
  ['a scenario that is not base64url', '/?scenario=inline:@@@&host=inline', /^Error: scenario: not valid base64url/],
  ['a scenario that is not UTF-8', `/?scenario=${badUtf8}&host=inline`, /^Error: scenario: the inline scenario is not valid UTF-8/],
  ['a tiny election timeout', `/?scenario=${inline(JSON.stringify(three))}&host=inline&et=1e-300`, /^Error: et: /],
  ['a top-level array', `/?scenario=${inline('[1,2,3]')}&host=inline`, /^Error: scenario: the inline scenario must be a JSON object, got an array/],
  ['an action naming a node the cluster does not have', `/?scenario=${inline(JSON.stringify(three))}&host=inline&actions=${encodeURIComponent('[{"at":5,"do":"crash","node":9}]')}`, /^Error: actions\[0\]\.node: /],
  ['a damaged compressed link', '/#z=AAAA', /^Error: z: /],
];

for (const [what, url, message] of cases) {
  test(`${what}: the error starts with the parameter`, async ({ page }) => {
    await page.goto(url);
    const error = page.getByRole('status', { name: 'Run status' }).locator('.err');
    await expect(error).toHaveText(message);
    if (what === 'a tiny election timeout') {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.screenshot({ path: 'test-results/screens/url-error-et.png' });
    }
  });
}
