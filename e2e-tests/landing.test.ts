import { CONTEXT_OPTIONS, expect, goInApp, signInAs, test } from './support';

// A newcomer signs in on the demo sign-in page, which the app shows at `/`:
// what they see next must be a page that exists.
test.use(CONTEXT_OPTIONS);

test('signing in lands on the portfolio, not on a 404', async ({ page }) => {
  await signInAs(page, 'Margaret Osei');

  await expect(page).toHaveURL(/\/release-readiness$/);
  await expect(
    page.getByRole('heading', { name: 'Release readiness portfolio' }),
  ).toBeVisible();
  await expect(page.getByText(/page not found/i)).toHaveCount(0);
  await expect(page.getByText(/ERROR 404/i)).toHaveCount(0);
});

test('a signed-in person opening / goes on to the portfolio, and Back does not return to an empty page', async ({
  people,
}) => {
  await people.open(['priya-raman']);
  const page = await people.page('priya-raman');
  await goInApp(page, '/catalog');
  // As the app's own links go there (goInApp would expect to stay on `/`).
  await page.evaluate(() => {
    window.history.pushState({}, '', '/');
    window.dispatchEvent(new PopStateEvent('popstate', { state: {} }));
  });
  await expect(page).toHaveURL(/\/release-readiness$/);
  await expect(
    page.getByRole('heading', { name: 'Release readiness portfolio' }),
  ).toBeVisible();
  // The redirect replaced `/` in the history: Back returns to the catalog,
  // with or without the filters the catalog writes into its own URL once it
  // has loaded (which may happen before or after the push above).
  await page.goBack();
  await expect(page).toHaveURL(/\/catalog(\?[^#]*)?$/);
});

test('a path that does not exist still says so', async ({ people }) => {
  await people.open(['priya-raman']);
  const page = await people.page('priya-raman');
  await goInApp(page, '/no-such-page');
  await expect(page.getByText(/not found/i).first()).toBeVisible();
  await expect(page).toHaveURL(/\/no-such-page$/);
});
