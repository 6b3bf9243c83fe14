import { expect, test } from '@playwright/test';
import { saveScreenshot, signInAs } from './support';

test('the portfolio filters to one team and opens a service in its Readiness tab', async ({
  page,
}) => {
  await signInAs(page, 'Margaret Osei');
  await page
    .getByRole('link', { name: /Release readi/ })
    .first()
    .click();
  await expect(page).toHaveURL(/\/release-readiness/);
  await expect(
    page.getByRole('heading', { name: 'Release readiness portfolio' }),
  ).toBeVisible();

  // The entity index fills from the catalog shortly after start-up.
  await expect(async () => {
    await page.reload();
    await expect(
      page.getByRole('link', { name: 'payment-gateway' }).first(),
    ).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 120_000, intervals: [3_000] });

  // The demo's six months of history: NO-GOs later fixed, with the people
  // who caught them credited, and charts with data.
  await expect(
    page
      .getByRole('list', { name: 'Who caught them' })
      .getByRole('listitem')
      .first(),
  ).toBeVisible();
  await expect(page.getByText('No data yet')).toHaveCount(0);
  await saveScreenshot(page, 'portfolio');

  await page
    .locator('#portfolio-filter-owner')
    .selectOption('group:default/payments');
  await expect(page).toHaveURL(/owner=group%3Adefault%2Fpayments/);
  await expect(
    page.getByRole('link', { name: 'payment-gateway' }).first(),
  ).toBeVisible();
  await expect(page.getByRole('link', { name: 'cart-service' })).toHaveCount(0);

  // The filtered view is a link others can open.
  const shared = page.url();
  await page.goto(shared);
  await expect(page.getByRole('link', { name: 'cart-service' })).toHaveCount(0);

  await page.getByRole('link', { name: 'payment-gateway' }).first().click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/payment-gateway\/readiness$/,
  );
  await expect(page.locator('#decision')).toBeVisible();
});
