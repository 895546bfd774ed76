import { expect, test } from '@playwright/test';

// A teacher opens an example and shows the class what it is about: the scenario's own explanation.
test('an example explains itself in "About this scenario", by button and by key', async ({ page }) => {
  await page.goto('/?scenario=examples/etcd-distributed-cron.json&host=inline');
  await page.getByRole('button', { name: 'About this scenario' }).click();
  const about = page.getByRole('dialog', { name: 'About this scenario' });
  await expect(about).toContainText('etcd distributed cron');
  await expect(about).toContainText('fenced by its leader key');
  await about.getByRole('button', { name: 'Close' }).click();
  await expect(about).toBeHidden();
  await page.keyboard.press('a');
  await expect(page.getByRole('dialog', { name: 'About this scenario' })).toContainText('once per period');
});
