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

test("a system's Readiness tab rolls up its components, each linked to its own tab", async ({
  people,
}) => {
  await people.open(['margaret-osei']);
  const page = await people.page('margaret-osei');
  await goInApp(page, '/catalog/default/system/payments-platform');
  await page.getByRole('link', { name: 'Readiness', exact: true }).click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/system\/payments-platform\/readiness$/,
  );
  const rollup = page.getByRole('table', { name: 'Components of the system' });
  await expect(rollup).toBeVisible();
  // Every component the catalog lists, with what it still lacks.
  await expect(rollup.getByRole('columnheader')).toHaveText([
    'Component',
    'Release',
    'Gate',
    'Verdict',
    'What is missing',
  ]);
  const gateway = rollup.getByRole('link', { name: 'payment-gateway' });
  await expect(gateway).toHaveAttribute(
    'href',
    '/catalog/default/component/payment-gateway/readiness',
  );
  await expect(
    rollup.getByRole('link', { name: 'ledger-service' }),
  ).toBeVisible();
  // The same tab as a component's: the decision panel is there too.
  await expect(page.locator('#decision')).toBeVisible();
  // A part's link leads to that part's own Readiness tab.
  await gateway.click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/payment-gateway\/readiness$/,
  );
  await expect(page.locator('#decision')).toBeVisible();
});
