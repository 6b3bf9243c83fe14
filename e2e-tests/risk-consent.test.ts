import {
  apiAs,
  clearOpenGate,
  expect,
  openGateInTab,
  openReadinessTab,
  plannedOutsideWindows,
  test,
} from './support';

/*
 * Consent is explicit: once a gate is cancelled (or released), the next gate
 * opened on the tab without a reload starts with an empty risk form. Nothing
 * ticked for the last gate shows ticked, and saving records no acceptance or
 * approval for the new one.
 */

const ENTITY = 'fraud-scoring';
const OWNER = 'priya-raman';

test.beforeAll(async ({ people }) => {
  await people.open([OWNER]);
});

test('the next gate opened without a reload does not inherit the last gate’s acceptance', async ({
  people,
  request,
}) => {
  const first = `consent-${Date.now()}`;
  const next = `${first}-next`;
  await clearOpenGate(request, ENTITY, OWNER);

  // The first gate, its residual risk accepted and its plan approved.
  const gate = await apiAs(
    request,
    OWNER,
    'post',
    `/entities/component/default/${ENTITY}/gates`,
    { release: first, plannedAt: plannedOutsideWindows() },
  );
  await apiAs(request, OWNER, 'put', `/gates/${gate.id}/risk`, {
    version: 0,
    impactMatrix: [
      {
        failureMode: 'Scores drift',
        impact: 'medium',
        likelihood: 'low',
        mitigation: 'Shadow mode first',
      },
    ],
    acceptResidualRisk: true,
    communication: { audiences: ['fraud-ops'], approve: true },
    consent: { gateId: gate.id, riskVersion: 0 },
  });

  const page = await people.page(OWNER);
  await openReadinessTab(page, ENTITY);
  const risk = page.getByRole('form', { name: 'Risk assessment' });
  await expect(risk.getByLabel('I accept the residual risk')).toBeChecked();
  await expect(
    risk.getByLabel('I approve the communication plan'),
  ).toBeChecked();

  // Cancelled on the tab, and the next gate opened there, without a reload.
  await page.getByRole('button', { name: 'Cancel gate', exact: true }).click();
  await page
    .getByRole('dialog')
    .getByRole('textbox')
    .fill('Superseded by the next release');
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Cancel gate', exact: true })
    .click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await openGateInTab(page, next);

  const fresh = page.getByRole('form', { name: 'Risk assessment' });
  await expect(
    fresh.getByLabel('I accept the residual risk'),
  ).not.toBeChecked();
  await expect(
    fresh.getByLabel('I approve the communication plan'),
  ).not.toBeChecked();
  await expect(
    fresh.getByText('Nobody accepted the residual risk yet.'),
  ).toBeVisible();
  await fresh.getByRole('button', { name: 'Save risk assessment' }).click();
  await expect(fresh.getByText('Risk assessment saved.')).toBeVisible();

  // What the server holds for the new gate: no acceptance, no approval.
  const readiness = await apiAs(
    request,
    OWNER,
    'get',
    `/entities/component/default/${ENTITY}`,
  );
  expect(readiness.currentGate.release).toBe(next);
  expect(readiness.currentGate.risk.version).toBe(1);
  expect(readiness.currentGate.risk.residualRisk).toBeUndefined();
  expect(readiness.currentGate.risk.communication?.approvedBy).toBeUndefined();
});
