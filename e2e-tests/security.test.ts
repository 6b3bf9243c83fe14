import { APIRequestContext } from '@playwright/test';
import { BACKEND, clearOpenGate, expect, test, tokenOf } from './support';

/*
 * Text people type goes through the API and comes back on someone else's
 * screen. Script in a sign-off comment, an item note or the risk assessment
 * must be shown as the characters it is, never run: React escapes text, and
 * nothing on the Readiness tab may render it as HTML.
 *
 * The test uses a service no other browser test touches (settlement-batch)
 * and cancels its gate at the end, so that it does not disturb the others.
 */

const API = `${BACKEND}/api/release-readiness`;
const ENTITY = 'settlement-batch';

/** Runs if it is ever parsed as HTML: the image fails to load at once. */
const PAYLOAD = `<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>`;

async function call(
  request: APIRequestContext,
  user: string,
  method: 'post' | 'put' | 'patch',
  path: string,
  data: object,
) {
  const token = await tokenOf(request, user);
  const res = await request[method](`${API}${path}`, {
    headers: { authorization: `Bearer ${token}` },
    data,
  });
  expect(res.status(), `${method} ${path}: ${await res.text()}`).toBeLessThan(
    300,
  );
  return res.json();
}

test('script in comments, notes and the risk assessment is shown as text, never run', async ({
  people,
  request,
}) => {
  const release = `xss-${Date.now()}`;
  await clearOpenGate(request, ENTITY, 'priya-raman');

  // Through the API, as the people who may write each text.
  const gate = await call(
    request,
    'priya-raman',
    'post',
    `/entities/component/default/${ENTITY}/gates`,
    { release },
  );
  try {
    const item = gate.items.find((i: any) => i.id === 'user-acceptance');
    await call(
      request,
      'priya-raman',
      'patch',
      `/gates/${gate.id}/items/user-acceptance`,
      { status: 'passed', note: `Note ${PAYLOAD}`, version: item.version },
    );
    await call(request, 'priya-raman', 'put', `/gates/${gate.id}/risk`, {
      version: 0,
      rollbackPlan: `Plan ${PAYLOAD}`,
      impactMatrix: [
        {
          failureMode: `Mode ${PAYLOAD}`,
          impact: 'high',
          likelihood: 'low',
          mitigation: `Mitigation ${PAYLOAD}`,
        },
      ],
      acceptResidualRisk: true,
      residualRiskNote: `Residual ${PAYLOAD}`,
      consent: { gateId: gate.id, riskVersion: 0 },
    });
    await call(request, 'nadia-haddad', 'post', `/gates/${gate.id}/signoffs`, {
      role: 'qa',
      verdict: 'not-ready',
      comment: `Comment ${PAYLOAD}`,
    });

    // Hiroshi owns nothing here: he sees every text read-only, as text. A
    // window of his own, so that nothing another test ran is in it.
    const page = await people.newWindow('hiroshi-tanaka');

    // Any alert, confirm or prompt would be a script that ran.
    const dialogs: string[] = [];
    page.on('dialog', dialog => {
      dialogs.push(dialog.message());
      dialog.dismiss().catch(() => {});
    });

    await page.goto(`/catalog/default/component/${ENTITY}/readiness`);
    await expect(
      page.getByRole('heading', { name: `Release ${release}` }).first(),
    ).toBeVisible();

    for (const text of [
      `Note: Note ${PAYLOAD}`,
      `Plan ${PAYLOAD}`,
      `Mode ${PAYLOAD}`,
      `Mitigation ${PAYLOAD}`,
      `Residual ${PAYLOAD}`,
      `What is missing: Comment ${PAYLOAD}`,
    ]) {
      await expect(page.getByText(text, { exact: true }).first()).toBeVisible();
    }
    // The Not-ready vote's blocker quotes the comment, as text as well.
    await page.getByRole('button', { name: /^Sign-offs\b.*: not met/ }).click();
    await expect(
      page
        .getByText(
          `voted Not ready for Quality assurance: 'Comment ${PAYLOAD}'`,
        )
        .first(),
    ).toBeVisible();

    // Nothing became markup: no image with that source, no injected script.
    await page.waitForLoadState('networkidle');
    await expect(page.locator('img[src="x"]')).toHaveCount(0);
    expect(
      await page
        .locator('script')
        .evaluateAll(scripts =>
          scripts.filter(s => s.textContent?.includes('__xss')),
        ),
    ).toHaveLength(0);
    expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();

    // The service's overview card shows the gate too.
    await page.goto(`/catalog/default/component/${ENTITY}`);
    await expect(page.getByText(release).first()).toBeVisible();
    await page.waitForLoadState('networkidle');
    expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();

    expect(dialogs).toEqual([]);
    await page.close();
  } finally {
    await clearOpenGate(request, ENTITY, 'priya-raman');
  }
});
