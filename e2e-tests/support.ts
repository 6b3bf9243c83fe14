import { expect, Page } from '@playwright/test';
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
