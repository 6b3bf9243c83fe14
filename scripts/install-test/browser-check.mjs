#!/usr/bin/env node
/*
 * The install test's browser check (scripts/install-test.sh): in Debian's
 * Chromium, driven by the repository's own Playwright, a component page of the
 * freshly installed app shows the Readiness tab, and the tab renders the
 * plugin's answer for that component (it has no gate yet).
 *
 *   node browser-check.mjs <baseUrl> <screenshot.png>
 */
import { readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';

// Debian's Chromium and the flags every browser run of the repository uses.
const CHROMIUM = JSON.parse(
  readFileSync(new URL('../chromium.json', import.meta.url), 'utf8'),
);

const [baseUrl, screenshot] = process.argv.slice(2);
if (!baseUrl || !screenshot) {
  throw new Error('usage: browser-check.mjs <baseUrl> <screenshot.png>');
}
const ENTITY_PAGE = '/catalog/default/component/example-website';
const TIMEOUT = 60_000;

const browser = await chromium.launch({
  executablePath:
    process.env.PLAYWRIGHT_CHROMIUM_PATH ?? CHROMIUM.executablePath,
  args: CHROMIUM.args,
});
const page = await browser.newPage({ baseURL: baseUrl });
const errors = [];
page.on('pageerror', e => errors.push(e.message));
try {
  await page.goto(ENTITY_PAGE);
  // A new app signs in as a guest: the legacy template automatically, the new
  // frontend system after a click on the guest provider's button.
  // A link in the new frontend system's entity header, a tab in the legacy
  // EntityLayout.
  const tab = page
    .getByRole('link', { name: 'Readiness', exact: true })
    .or(page.getByRole('tab', { name: 'Readiness', exact: true }))
    .first();
  const guest = page.getByRole('button', { name: /^enter$/i });
  await tab.or(guest).first().waitFor({ timeout: TIMEOUT });
  if (await guest.isVisible()) {
    await guest.click();
  }
  await tab.waitFor({ timeout: TIMEOUT });
  console.log('the component page shows the Readiness tab');
  await tab.click();
  await page.waitForURL(/\/readiness$/, { timeout: TIMEOUT });
  await page
    .getByRole('heading', { name: 'No release gate yet' })
    .waitFor({ timeout: TIMEOUT });
  await page
    .getByText('example-website has no release gate yet.')
    .waitFor({ timeout: TIMEOUT });
  console.log('the tab renders the plugin answer: "No release gate yet"');
  await page.screenshot({ path: screenshot, fullPage: true });
} catch (e) {
  await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
  console.error(`browser check failed on ${page.url()}: ${e.message}`);
  if (errors.length) console.error(`page errors:\n${errors.join('\n')}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
