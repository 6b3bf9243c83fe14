import { APIRequestContext, expect, Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Screenshots kept as CI artifacts (artifacts/screenshots, git-ignored). */
export const SCREENSHOT_DIR = join(__dirname, '..', 'artifacts', 'screenshots');

export async function saveScreenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Signs in through the development-only demo sign-in as the person with this
 * display name. Right after start-up the backend may still be starting and the
 * catalog still reading examples/, so the list is reloaded until they appear.
 */
export async function signInAs(
  page: Page,
  displayName: string,
  options?: { screenshot?: string },
) {
  const button = page.getByRole('button', {
    name: `Sign in as ${displayName}`,
  });
  await expect(async () => {
    await page.goto('/');
    await expect(button).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 180_000, intervals: [2_000] });
  if (options?.screenshot) {
    await saveScreenshot(page, options.screenshot);
  }
  await button.click();
  await expect(page.getByRole('button', { name: /^Sign in as/ })).toHaveCount(
    0,
  );
}

export const BACKEND = 'http://localhost:7007';
const API = `${BACKEND}/api/release-readiness`;
const CI_TOKEN = 'local-demo-ci-token-not-for-production';

/** A user token from the development-only demo sign-in. */
export async function tokenOf(request: APIRequestContext, user: string) {
  const res = await request.get(`${BACKEND}/api/auth/demo/refresh`, {
    headers: {
      'x-demo-user': `user:default/${user}`,
      'x-requested-with': 'XMLHttpRequest',
    },
  });
  expect(res.ok()).toBe(true);
  return (await res.json()).backstageIdentity.token as string;
}

/** Tomorrow 22:30 UTC: after US market hours; after the year-end freeze. */
export function plannedOutsideWindows(): string {
  const planned = new Date(Date.now() + 86_400_000);
  planned.setUTCHours(22, 30, 0, 0);
  const year = planned.getUTCFullYear();
  const inFreeze =
    planned >= new Date(Date.UTC(year, 11, 19)) ||
    planned < new Date(Date.UTC(year, 0, 4));
  if (inFreeze) {
    const end = new Date(
      Date.UTC(planned.getUTCMonth() === 11 ? year + 1 : year, 0, 4, 22, 30),
    );
    return end.toISOString();
  }
  return planned.toISOString();
}

/**
 * Makes sure the entity has no open gate (cancelling one left by an earlier
 * run), so that a test can open its own.
 */
export async function clearOpenGate(
  request: APIRequestContext,
  entity: string,
  owner: string,
) {
  const token = await tokenOf(request, owner);
  const headers = { authorization: `Bearer ${token}` };
  const res = await request.get(`${API}/entities/component/default/${entity}`, {
    headers,
  });
  expect(res.ok()).toBe(true);
  const gate = (await res.json()).currentGate;
  if (gate && ['in-progress', 'go', 'no-go'].includes(gate.state)) {
    const cancelled = await request.post(`${API}/gates/${gate.id}/decision`, {
      headers,
      data: { transition: 'cancel', reason: 'Reset by a browser test' },
    });
    expect(cancelled.ok()).toBe(true);
  }
}

/** CI posts passing evidence for every automated item of the component gate. */
export async function postGreenEvidence(
  request: APIRequestContext,
  entity: string,
  release: string,
) {
  for (const [type, metrics] of [
    ['test-report', { passed: true }],
    ['static-analysis', { score: 95 }],
    ['security-scan', { critical: 0, high: 0 }],
    ['feature-toggles', { passed: true }],
  ] as const) {
    const res = await request.post(`${API}/evidence`, {
      headers: { authorization: `Bearer ${CI_TOKEN}` },
      data: {
        entityRef: `component:default/${entity}`,
        release,
        type,
        status: 'passed',
        metrics,
        runId: `e2e-${release}-${type}`,
      },
    });
    expect(res.status()).toBeLessThan(300);
  }
}

/** Opens the Readiness tab of a component. */
export async function openReadinessTab(page: Page, entity: string) {
  await page.goto(`/catalog/default/component/${entity}/readiness`);
  // The decision panel is there with or without a gate.
  await expect(page.locator('#decision')).toBeVisible();
}

/** Opens a gate from the tab's decision panel. */
export async function openGateInTab(page: Page, release: string) {
  await page
    .getByRole('textbox', { name: 'Release', exact: true })
    .fill(release);
  await page
    .getByRole('textbox', { name: 'Planned release time' })
    .fill(plannedOutsideWindows().slice(0, 16));
  await page.getByRole('button', { name: 'Open gate' }).click();
  await expect(
    page.getByRole('heading', { name: `Release ${release}` }).first(),
  ).toBeVisible();
}

/** Signs out through the settings page, back to the demo sign-in list. */
export async function switchUser(page: Page, displayName: string) {
  await page.evaluate(() => window.localStorage.clear());
  await signInAs(page, displayName);
}
