import { expect, test } from '@playwright/test';
import { saveScreenshot, signInAs } from './support';

test('a demo user opens the Readiness tab of a component and sees the empty state', async ({
  page,
}, testInfo) => {
  await signInAs(page, 'Priya Raman', { screenshot: 'demo-sign-in' });

  await page.goto('/catalog/default/component/search-service');
  await page.getByRole('link', { name: 'Readiness', exact: true }).click();

  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/search-service\/readiness$/,
  );
  await expect(
    page.getByRole('heading', { name: 'No release gate yet' }),
  ).toBeVisible();
  await expect(
    page.getByText(/search-service has no release gate yet/),
  ).toBeVisible();
  await expect(page.getByText('Gate owners', { exact: true })).toBeVisible();

  const path = await saveScreenshot(page, 'readiness-tab-empty-state');
  await testInfo.attach('readiness-tab-empty-state', {
    path,
    contentType: 'image/png',
  });
});

test('the Readiness tab is not offered on a system page', async ({ page }) => {
  await signInAs(page, 'Margaret Osei');
  await page.goto('/catalog/default/system/payments-platform');
  await expect(
    page.getByRole('link', { name: 'Overview', exact: true }),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Readiness', exact: true }),
  ).toHaveCount(0);
});
