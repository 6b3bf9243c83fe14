/*
 * Issue 15, keyboard only: marking an item, waiving one with the dialog,
 * saving the risk form and voting are done with keys (Space, Enter, Tab,
 * typing), and after each one focus is where a keyboard user expects it —
 * on the control they used, in the dialog's first field, back on the button
 * that opened the dialog — never dropped to the page's start.
 */
import {
  apiAs,
  clearOpenGate,
  expect,
  openReadinessTab,
  plannedOutsideWindows,
  test,
} from './support';

const ENTITY = 'card-vault';
const OWNER = 'priya-raman';
const QA = 'nadia-haddad';

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ people }) => {
  await people.open([OWNER, QA]);
});

test('an item, a waiver, the risk form and a vote, by keyboard alone', async ({
  people,
  request,
}) => {
  await clearOpenGate(request, ENTITY, OWNER);
  await apiAs(
    request,
    OWNER,
    'post',
    `/entities/component/default/${ENTITY}/gates`,
    { release: `keys-${Date.now()}`, plannedAt: plannedOutsideWindows() },
  );
  const page = await people.page(OWNER);
  await openReadinessTab(page, ENTITY);

  // Mark an item: Space on its "Passed" button; focus stays on it.
  const groups = page.getByRole('group', { name: /^Status of / });
  await expect(groups.first()).toBeVisible();
  const passed = groups.first().getByRole('button', { name: 'Passed' });
  await passed.focus();
  await page.keyboard.press('Space');
  await expect(passed).toHaveAttribute('aria-pressed', 'true');
  await expect(passed).toBeFocused();
  // Tab goes on to the next control of the row, not back to the page start.
  await page.keyboard.press('Tab');
  await expect(
    groups.first().getByRole('button', { name: 'Failed' }),
  ).toBeFocused();

  // Waive another item with the dialog: Enter opens it with focus in its
  // first field; Tab moves on; Enter in a field submits; focus comes back
  // to the button that opened it.
  const row = page
    .locator('li')
    .filter({ has: page.getByRole('group', { name: /^Status of / }) })
    .nth(1);
  const waive = row.getByRole('button', { name: 'Waive…' });
  await waive.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  const justification = dialog.getByLabel('Justification');
  await expect(justification).toBeFocused();
  await page.keyboard.type('Covered by the vault team this cycle');
  await page.keyboard.press('Tab');
  const expires = dialog.getByLabel('Expires');
  await expect(expires).toBeFocused();
  await expires.fill(
    new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 16),
  );
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(row.getByText(/^Waived/).first()).toBeVisible();
  await expect(
    row.getByRole('button', { name: /^(Waive…|Clear waiver)$/ }),
  ).toBeFocused();

  // The risk form: typed, then saved with Enter on its button; focus stays
  // on the button.
  const risk = page.getByRole('form', { name: 'Risk assessment' });
  await risk.getByLabel('Rollback plan').focus();
  await page.keyboard.type('Redeploy the previous image');
  const save = risk.getByRole('button', { name: 'Save risk assessment' });
  await save.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText('Risk assessment saved.')).toBeVisible();
  await expect(save).toBeFocused();

  // A vote: the comment typed, Tab to Ready, Enter; focus stays on Ready.
  const qa = await people.page(QA);
  await openReadinessTab(qa, ENTITY);
  const section = qa.getByRole('region', { name: 'Quality assurance' });
  await section.getByLabel('Comment for Quality assurance').focus();
  await qa.keyboard.type('Regression suite green');
  await qa.keyboard.press('Tab');
  const ready = section.getByRole('button', { name: 'Ready', exact: true });
  await expect(ready).toBeFocused();
  await qa.keyboard.press('Enter');
  await expect(section.getByText(/Your vote: Ready/)).toBeVisible();
  await expect(ready).toBeFocused();
});
