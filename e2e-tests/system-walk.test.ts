/*
 * Issue 16: a release manager takes the demo's payments platform system
 * from "no gate" to "released" in the browser, by what the screen says: the
 * system's Readiness tab proposes the release and the component releases
 * (the manifest), the roll-up shows the parts still missing, one is fixed by
 * pointing the manifest at the component release already in production, the
 * planned time is moved into a freeze, an exception is requested and
 * approved by release management, and GO is recorded for the system.
 *
 * What the component teams and CI do meanwhile goes through the API
 * (api-walks.ts), as their own people and pipelines would: each component's
 * gate for the release is GO, except fraud-scoring (ready, not decided yet)
 * and refund-service (released with the release, then a hotfix opened).
 * The three steps are serial tests, each well under its time limit.
 */
import {
  ApiGate,
  completeRisk,
  componentReadyForGo,
  passItems,
  postEvidence,
  recordGo,
  cancelOpenGate,
  signReady,
} from './api-walks';
import {
  apiAs,
  expect,
  openReadinessTab,
  plannedOutsideWindows,
  saveScreenshot,
  test,
} from './support';

const SYSTEM = 'payments-platform';
const SYSTEM_REF = `system:default/${SYSTEM}`;
/** A gate owner of the payments team, the system release's manager. */
const OWNER = 'priya-raman';
const PEER = 'tomasz-kowalski';
/** Release management: approves freeze exceptions, records GO. */
const MANAGER = 'margaret-osei';
/** The part whose team has not decided yet. */
const UNDECIDED = 'fraud-scoring';
/** The part released already, whose team opened a hotfix since. */
const HOTFIXED = 'refund-service';
/** Inside the browser tests' all-services freeze (app-config.e2e.yaml). */
const IN_FREEZE = '2099-12-20T12:00';
const FREEZE = 'Browser-test freeze';

/** The release of this run (a retry starts a new one). */
let release = '';
/** The counted parts of the system, by name. */
let parts: string[] = [];
/** fraud-scoring's gate, ready for its team's GO. */
let undecided: ApiGate;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ people, request }, testInfo) => {
  // The component teams' work through the API, then each person's window.
  testInfo.setTimeout(180_000);
  release = `pp-${Date.now()}`;
  await cancelOpenGate(request, SYSTEM_REF, OWNER);
  const rollup = await apiAs(
    request,
    OWNER,
    'get',
    `/entities/system/default/${SYSTEM}/rollup`,
  );
  parts = (rollup.parts as Array<{ entityRef: string; excluded?: string }>)
    .filter(part => !part.excluded)
    .map(part => part.entityRef.split('/')[1]);
  expect(parts).toEqual(expect.arrayContaining([UNDECIDED, HOTFIXED]));
  for (const entity of parts) {
    const gate = await componentReadyForGo(request, {
      entity,
      release,
      owner: OWNER,
      peer: PEER,
    });
    if (entity === UNDECIDED) {
      undecided = gate;
      continue;
    }
    await recordGo(request, gate);
    if (entity === HOTFIXED) {
      await apiAs(request, OWNER, 'post', `/gates/${gate.id}/decision`, {
        transition: 'release',
      });
      await apiAs(
        request,
        OWNER,
        'post',
        `/entities/component/default/${HOTFIXED}/gates`,
        { release: `${release}-hotfix`, plannedAt: plannedOutsideWindows() },
      );
    }
  }
  await people.open([OWNER, MANAGER]);
});

test('the system gate opens with the proposed release, shows the missing parts, and the manifest fixes one', async ({
  people,
}) => {
  const page = await people.page(OWNER);
  await openReadinessTab(page, SYSTEM, 'system');
  await expect(
    page.getByRole('heading', { name: 'Open a gate for the next release' }),
  ).toBeVisible();

  // The release most components' gates are for is proposed, and each
  // component's current release is listed; the hotfix is what the manifest
  // would take for refund-service.
  await expect(
    page.getByRole('textbox', { name: 'Release', exact: true }),
  ).toHaveValue(release);
  await expect(
    page.getByText("Proposed from the components' current gates"),
  ).toBeVisible();
  const proposal = page.getByTestId('release-proposal');
  await expect(proposal).toContainText(
    `${HOTFIXED}: release ${release}-hotfix (In progress), proposed in the release manifest`,
  );
  await page
    .getByRole('textbox', { name: 'Planned release time' })
    .fill(plannedOutsideWindows().slice(0, 16));
  await page.getByRole('button', { name: 'Open gate' }).click();
  await expect(
    page.getByRole('heading', { name: `Release ${release}` }).first(),
  ).toBeVisible();

  // The roll-up: two components are not GO for the releases the manifest
  // names, and the table says what each lacks.
  const counted = parts.length;
  await expect(
    page.getByText(
      `${
        counted - 2
      } of ${counted} components GO for the releases the manifest of release ${release} names.`,
      { exact: false },
    ),
  ).toBeVisible();
  const hotfixRow = page.getByRole('row', { name: new RegExp(HOTFIXED) });
  await expect(hotfixRow).toContainText(`${release}-hotfix`);
  await expect(hotfixRow).toContainText('In progress');
  await expect(
    page.getByRole('row', { name: new RegExp(UNDECIDED) }),
  ).toContainText('In progress');
  await saveScreenshot(page, 'system-walk-missing-parts');

  // This system release ships the refund-service already in production:
  // the manifest names that release instead of the hotfix.
  await page.getByRole('button', { name: 'Edit release manifest' }).click();
  const field = page.getByRole('textbox', { name: `Release of ${HOTFIXED}` });
  await expect(field).toHaveValue(`${release}-hotfix`);
  await field.fill(release);
  await page.getByRole('button', { name: 'Save release manifest' }).click();
  await expect(
    page.getByText(
      `${
        counted - 1
      } of ${counted} components GO for the releases the manifest of release ${release} names.`,
      { exact: false },
    ),
  ).toBeVisible();
  await expect(
    page.getByRole('row', { name: new RegExp(HOTFIXED) }),
  ).toContainText('Released');
});

test('the planned time moves into a freeze, and release management approves the exception asked for', async ({
  people,
}) => {
  const page = await people.page(OWNER);
  await page.getByRole('button', { name: 'Change planned time' }).click();
  await page
    .getByRole('form', { name: 'Planned release time' })
    .getByLabel('Planned release time')
    .fill(IN_FREEZE);
  await page.getByRole('button', { name: 'Save planned time' }).click();
  await expect(
    page.getByText('Release window condition: not met'),
  ).toBeVisible();
  await expect(
    page.getByText(`Blocked by the freeze ${FREEZE}`).first(),
  ).toBeVisible();

  // The gate owner asks for an exception, with a reason.
  await page
    .getByRole('button', { name: `Request exception to ${FREEZE}` })
    .click();
  await page
    .getByRole('textbox', { name: `Why release during ${FREEZE}?` })
    .fill('The card schemes mandate this change by the 21st');
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByText(/Exception status: requested\./)).toBeVisible();

  // Release management sees the request on the system's tab and approves.
  const manager = await people.page(MANAGER);
  await openReadinessTab(manager, SYSTEM, 'system');
  await expect(
    manager.getByText(/The card schemes mandate this change/).first(),
  ).toBeVisible();
  await manager
    .getByRole('button', { name: `Approve exception to ${FREEZE}` })
    .click();
  await manager
    .getByRole('textbox', { name: `Why release during ${FREEZE}?` })
    .fill('Regulatory deadline; the payments on-call is staffed');
  await manager
    .getByRole('button', { name: 'Approve exception', exact: true })
    .click();
  await expect(
    manager.getByText(
      `Exception status: you approved an exception to ${FREEZE}. It no longer blocks this gate.`,
    ),
  ).toBeVisible();
  await expect(
    manager.getByText('Release window condition: met'),
  ).toBeVisible();

  // The gate owner's tab says who approved, and why.
  await openReadinessTab(page, SYSTEM, 'system');
  await expect(
    page.getByText(
      /Exception status: approved\..*approved by .*Regulatory deadline/,
    ),
  ).toBeVisible();
});

test('with every component GO, release management records GO for the system and it is released', async ({
  people,
  request,
}) => {
  // Meanwhile: fraud-scoring's GO, and the system gate's checklist, risk
  // and votes from the payments team, QA and CI.
  await recordGo(request, undecided);
  const { currentGate } = await apiAs(
    request,
    OWNER,
    'get',
    `/entities/system/default/${SYSTEM}`,
  );
  expect(currentGate.release).toBe(release);
  await postEvidence(request, SYSTEM_REF, release, 'e2e-report', {
    passed: true,
  });
  let gate: ApiGate = await apiAs(
    request,
    OWNER,
    'get',
    `/gates/${currentGate.id}`,
  );
  gate = await passItems(request, gate, OWNER, [
    'integration-environment',
    'capacity-review',
    'cross-team-communication',
  ]);
  gate = await completeRisk(request, gate, OWNER);
  await signReady(request, gate, [
    [PEER, 'engineering'],
    ['nadia-haddad', 'qa'],
  ]);

  // Release management votes and records GO from the tab.
  const manager = await people.page(MANAGER);
  await openReadinessTab(manager, SYSTEM, 'system');
  await expect(
    manager.getByText(
      `${parts.length} of ${parts.length} components GO for the releases the manifest of release ${release} names.`,
      { exact: false },
    ),
  ).toBeVisible();
  const role = manager.getByRole('region', { name: 'Release management' });
  await role
    .getByLabel('Comment for Release management')
    .fill('Exception approved; components GO');
  await role.getByRole('button', { name: 'Ready', exact: true }).click();
  await expect(role.getByText(/quorum met/)).toBeVisible();
  await expect(
    manager.getByText('Every condition is met: a GO decision may be recorded.'),
  ).toBeVisible();
  await manager.getByRole('button', { name: 'Record GO' }).click();
  await manager
    .getByRole('dialog')
    .getByRole('button', { name: 'Record GO' })
    .click();
  await expect(manager.locator('#decision')).toContainText(
    `Release ${release}: GO`,
  );

  // The release manager marks it released (ahead of its plan: warned).
  const page = await people.page(OWNER);
  await openReadinessTab(page, SYSTEM, 'system');
  await page.getByRole('button', { name: 'Mark released' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByText(/ahead of its plan/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Mark released' }).click();
  await expect(page.locator('#decision')).toContainText(
    `Release ${release}: Released`,
  );
  await saveScreenshot(page, 'system-walk-released');
});
