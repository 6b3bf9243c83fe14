import {
  CONTEXT_OPTIONS,
  expect,
  goInApp,
  saveScreenshot,
  signInAs,
  test,
} from './support';

// The one test that walks the sign-in page as a newcomer does; the others
// sign people in through their stored state (support.ts, People).
test.use(CONTEXT_OPTIONS);

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

test('the Readiness tab is not offered on a system page', async ({
  people,
}) => {
  await people.open(['margaret-osei']);
  const page = await people.page('margaret-osei');
  await goInApp(page, '/catalog/default/system/payments-platform');
  await expect(
    page.getByRole('link', { name: 'Overview', exact: true }),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Readiness', exact: true }),
  ).toHaveCount(0);
});
