/*
 * Issue 18: after a release, a gate owner records the blameless debrief on
 * the Readiness tab by what the screen says, and a release manager finds on
 * the portfolio which check goes with incidents (the demo's planted
 * pattern: user acceptance waived, incidents follow). The release itself
 * goes through the API (api-walks.ts), as the team and its pipeline would.
 */
import { readFileSync } from 'node:fs';
import { componentReadyForGo, recordGo } from './api-walks';
import {
  apiAs,
  expect,
  goInApp,
  openReadinessTab,
  saveScreenshot,
  test,
} from './support';

const ENTITY = 'pricing-service';
/** Gate owners of the checkout team. */
const OWNER = 'hiroshi-tanaka';
const PEER = 'sofia-lindqvist';
const MANAGER = 'margaret-osei';
const ACTION = 'Run the price-rounding tests in the pipeline';

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ people, request }, testInfo) => {
  testInfo.setTimeout(180_000);
  const release = `debrief-${Date.now()}`;
  const gate = await componentReadyForGo(request, {
    entity: ENTITY,
    release,
    owner: OWNER,
    peer: PEER,
  });
  await recordGo(request, gate);
  await apiAs(request, OWNER, 'post', `/gates/${gate.id}/decision`, {
    transition: 'release',
  });
  await people.open([OWNER, MANAGER]);
});

test('a gate owner records the debrief of a release, following the tab', async ({
  people,
}) => {
  const page = await people.page(OWNER);
  await openReadinessTab(page, ENTITY);
  const card = page.locator('#debrief');
  await expect(
    card.getByText(/It is blameless: write about the process and the system/),
  ).toBeVisible();
  await card.getByRole('button', { name: 'Record debrief' }).click();
  const form = page.getByRole('form', { name: 'Debrief' });
  await form
    .getByLabel('What went wrong (in the process or the system)')
    .fill('A rounding change reached production without the price tests.');
  await form
    .getByLabel('What to change')
    .fill('Run the price tests on every release.');
  await form.getByRole('button', { name: 'Add follow-up' }).click();
  await form.getByLabel('Action').fill(ACTION);
  // Saving without an owner: the form says what is missing.
  await form.getByRole('button', { name: 'Save debrief' }).click();
  await expect(form.getByText('Every follow-up needs an owner.')).toBeVisible();
  await form.getByLabel(/^Owner/).fill('group:default/checkout');
  const due = new Date(Date.now() + 14 * 86_400_000).toISOString();
  await form.getByLabel('Due date').fill(due.slice(0, 10));
  await form.getByRole('button', { name: 'Save debrief' }).click();

  const followUps = card.getByRole('list', { name: 'Follow-up actions' });
  await expect(followUps).toContainText(ACTION);
  await expect(
    card.getByRole('button', { name: 'Edit debrief' }),
  ).toBeVisible();
  await card.getByRole('button', { name: `Mark done: ${ACTION}` }).click();
  await expect(followUps).toContainText('Done');
  await card.scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'debrief-recorded');
});

test('a release manager finds on the portfolio which check goes with incidents', async ({
  people,
}) => {
  const page = await people.page(MANAGER);
  await goInApp(page, '/catalog');
  await page
    .getByRole('link', { name: /Release readi/ })
    .first()
    .click();
  const insights = page.getByRole('table', {
    name: 'Which checks predict incidents',
  });
  const first = insights.getByRole('row').nth(1);
  await expect(first).toContainText('User acceptance');
  await expect(first).toContainText('Riskier when waived');
  await expect(first).toContainText(/waived in \d+ releases, \d+ had a sev1–2/);
  // Nothing else is claimed.
  await expect(insights.getByText(/^Riskier when/)).toHaveCount(1);
  await expect(page.getByText(/correlation, not cause/).first()).toBeVisible();
  // The quarterly review: a record with the proposed patch, to commit.
  const downloading = page.waitForEvent('download');
  await page
    .getByRole('button', { name: 'Download review record and patch' })
    .click();
  const review = await downloading;
  const record = readFileSync((await review.path())!, 'utf8');
  expect(record).toMatch(/^# Template review: /);
  expect(record).toContain('## Proposed patch');
  expect(record).toContain('user-acceptance');
  const learning = page.getByRole('table', { name: 'Learning from releases' });
  await expect(learning).toContainText('Checkout');
  await insights.scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'insights-on-portfolio');
});
