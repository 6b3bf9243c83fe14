import { Page } from '@playwright/test';
import {
  clearOpenGate,
  expect,
  openGateInTab,
  openReadinessTab,
  People,
  postGreenEvidence,
  saveScreenshot,
  test,
} from './support';

const MANUAL_ITEMS = [
  'User acceptance testing done',
  'Security review done',
  'Runbook and documentation updated',
  'Release notes published',
];

async function markPassed(page: Page, title: string) {
  await page
    .getByRole('group', { name: `Status of ${title}` })
    .getByRole('button', { name: 'Passed' })
    .click();
  await expect(
    page
      .getByRole('group', { name: `Status of ${title}` })
      .getByRole('button', { name: 'Passed' }),
  ).toHaveAttribute('aria-pressed', 'true');
}

/** The person opens the service's Readiness tab and votes for their role. */
async function signOff(
  people: People,
  user: string,
  role: string,
  verdict: 'Ready' | 'Not ready',
  comment: string,
  entity: string,
) {
  const page = await people.page(user);
  await openReadinessTab(page, entity);
  const section = page.getByRole('region', { name: role });
  await section.getByLabel(`Comment for ${role}`).fill(comment);
  await section.getByRole('button', { name: verdict, exact: true }).click();
  await expect(section.getByText(comment)).toBeVisible();
  return page;
}

test.describe.configure({ mode: 'serial' });

// Everyone who takes part opens the app once, before the tests.
test.beforeAll(async ({ people }) => {
  await people.open([
    'priya-raman',
    'tomasz-kowalski',
    'nadia-haddad',
    'samuel-adeyemi',
    'margaret-osei',
  ]);
});

/** The service and release of the walk below (a retry starts a new one). */
const entity = 'refund-service';
let release = '';

// A release from no gate to released, following the tab, in three serial
// steps, each well under its time limit on a loaded machine.
test('a gate owner opens a gate, marks the checklist and fills the risk, following the tab', async ({
  people,
  request,
}) => {
  release = `e2e-${Date.now()}`;
  await clearOpenGate(request, entity, 'priya-raman');
  const page = await people.page('priya-raman');

  // The gate owner opens the gate, marks the checklist and fills the risk.
  await openReadinessTab(page, entity);
  await openGateInTab(page, release);
  for (const title of MANUAL_ITEMS) {
    await markPassed(page, title);
  }
  await postGreenEvidence(request, entity, release);
  await openReadinessTab(page, entity);
  const risk = page.getByRole('form', { name: 'Risk assessment' });
  await risk
    .getByLabel('Rollback plan')
    .fill('Switch traffic back to the previous version');
  await risk.getByLabel('I verified the rollback now').check();
  await risk.getByRole('button', { name: 'Add row' }).click();
  await risk.getByLabel('Failure mode').fill('Refunds are paid twice');
  await risk.getByLabel('Mitigation').fill('Idempotency keys on payouts');
  await risk.getByLabel('I accept the residual risk').check();
  await risk.getByLabel('Audiences').fill('support, finance');
  await risk
    .getByLabel('Scheduled for')
    .fill(new Date(Date.now() + 3_600_000).toISOString().slice(0, 16));
  await risk.getByLabel('I approve the communication plan').check();
  await risk.getByRole('button', { name: 'Save risk assessment' }).click();
  await expect(page.getByText('Accepted').first()).toBeVisible();
  await saveScreenshot(page, 'readiness-tab-in-progress');
});

test('engineering, QA, security and release management sign off', async ({
  people,
}) => {
  await signOff(
    people,
    'tomasz-kowalski',
    'Engineering',
    'Ready',
    'Code reviewed',
    entity,
  );
  await signOff(
    people,
    'nadia-haddad',
    'Quality assurance',
    'Ready',
    'Regression suite green',
    entity,
  );
  await signOff(
    people,
    'samuel-adeyemi',
    'Security',
    'Ready',
    'No new attack surface',
    entity,
  );
  await signOff(
    people,
    'margaret-osei',
    'Release management',
    'Ready',
    'On the Thursday train',
    entity,
  );
});

test('the release manager records GO, then the owner marks it released', async ({
  people,
}) => {
  const manager = await people.page('margaret-osei');
  const page = await people.page('priya-raman');
  await manager.getByRole('button', { name: 'Record GO' }).click();
  await manager
    .getByRole('dialog')
    .getByRole('button', { name: 'Record GO' })
    .click();
  await expect(manager.getByRole('dialog')).toHaveCount(0);
  await expect(manager.locator('#decision')).toContainText(
    `Release ${release}: GO`,
  );
  await saveScreenshot(manager, 'readiness-tab-go');

  await openReadinessTab(page, entity);
  await expect(page.locator('#decision')).toContainText(
    `Release ${release}: GO`,
  );
  await page.getByRole('button', { name: 'Mark released' }).click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Mark released' })
    .click();
  await expect(page.getByText(/State: released/i)).toBeVisible();
  await expect(page.locator('#decision')).toContainText(
    `Release ${release}: Released`,
  );
});

test('a Not-ready vote blocks GO and the tab says why', async ({
  people,
  request,
}) => {
  const entity = 'payout-service';
  const release = `e2e-${Date.now()}`;
  await clearOpenGate(request, entity, 'priya-raman');
  const page = await people.page('priya-raman');
  await openReadinessTab(page, entity);
  await openGateInTab(page, release);

  await signOff(
    people,
    'nadia-haddad',
    'Quality assurance',
    'Not ready',
    'Payout totals are off by one cent',
    entity,
  );
  await openReadinessTab(page, entity);
  await expect(page.getByRole('button', { name: 'Record GO' })).toBeDisabled();
  await expect(page.getByText(/GO needs every condition met/)).toBeVisible();
  await page.getByRole('button', { name: /^Sign-offs\b.*: not met/ }).click();
  await expect(
    page.getByText(
      /voted Not ready for Quality assurance: 'Payout totals are off by one cent'/,
    ),
  ).toBeVisible();

  await page.getByRole('button', { name: 'Record NO-GO' }).click();
  await page
    .getByRole('dialog')
    .getByRole('textbox')
    .fill('QA found a rounding bug');
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Record NO-GO' })
    .click();
  await expect(page.getByText('NO-GO', { exact: true }).first()).toBeVisible();
  await saveScreenshot(page, 'readiness-tab-no-go');
});

test('a stale edit from a second window shows the conflict and keeps the input', async ({
  people,
  request,
}) => {
  const entity = 'currency-rates';
  const release = `e2e-${Date.now()}`;
  await clearOpenGate(request, entity, 'priya-raman');
  const first = await people.page('priya-raman');
  await openReadinessTab(first, entity);
  await openGateInTab(first, release);
  const second = await people.newWindow('priya-raman');
  await openReadinessTab(second, entity);

  const title = 'User acceptance testing done';
  await first
    .getByRole('group', { name: `Status of ${title}` })
    .getByRole('button', { name: 'Passed' })
    .click();
  await expect(
    first
      .getByRole('group', { name: `Status of ${title}` })
      .getByRole('button', { name: 'Passed' }),
  ).toHaveAttribute('aria-pressed', 'true');

  // The second window still shows the old version.
  await second
    .getByLabel(`Note on ${title}`)
    .fill('Checked with the finance team');
  await second
    .getByRole('group', { name: `Status of ${title}` })
    .getByRole('button', { name: 'Failed' })
    .click();
  await expect(second.getByText(/Someone else changed/)).toBeVisible();
  await expect(second.getByLabel(`Note on ${title}`)).toHaveValue(
    'Checked with the finance team',
  );
  await saveScreenshot(second, 'readiness-tab-conflict');
  await second.close();
});
