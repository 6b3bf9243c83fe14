import { expect, saveScreenshot, test } from './support';

test('the portfolio filters to one team and opens a service in its Readiness tab', async ({
  people,
}) => {
  await people.open(['margaret-osei']);
  const page = await people.page('margaret-osei');
  await page
    .getByRole('link', { name: /Release readi/ })
    .first()
    .click();
  await expect(page).toHaveURL(/\/release-readiness/);
  await expect(
    page.getByRole('heading', { name: 'Release readiness portfolio' }),
  ).toBeVisible();

  // The entity index is filled before the tests start (global-setup.ts).
  await expect(
    page.getByRole('link', { name: 'payment-gateway' }).first(),
  ).toBeVisible();

  // The demo's six months of history: NO-GOs later fixed, with the people
  // who caught them credited, and charts with data.
  await expect(
    page
      .getByRole('list', { name: 'Releases stopped by a NO-GO' })
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
