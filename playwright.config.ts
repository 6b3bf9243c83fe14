import { readFileSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

/** Debian's Chromium and its flags, shared with the benchmark and the install test. */
const chromium: { executablePath: string; args: string[] } = JSON.parse(
  readFileSync(`${__dirname}/scripts/chromium.json`, 'utf8'),
);

/**
 * Browser tests against the running demo app (`yarn start`), in Debian's
 * Chromium: browsers cannot be downloaded here, so Playwright drives
 * /usr/bin/chromium (or PLAYWRIGHT_CHROMIUM_PATH).
 */
export default defineConfig({
  testDir: 'e2e-tests',
  // Waits until the backend and the demo catalog are ready, once.
  globalSetup: './e2e-tests/global-setup.ts',
  // Each person loads the app once per run (support.ts, People), in a
  // beforeAll hook; the longest test then takes about 40 s on this 2-core
  // machine, under half of the limit.
  timeout: 120_000,
  expect: { timeout: 20_000 },
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'playwright-report' }],
  ],
  outputDir: 'test-results',
  use: {
    baseURL: process.env.E2E_APP_URL ?? 'http://localhost:3000',
    // Times typed into date fields and shown on screen are UTC, whatever the
    // machine's time zone (people's own windows: CONTEXT_OPTIONS in support.ts).
    timezoneId: 'UTC',
    locale: 'en-GB',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath:
        process.env.PLAYWRIGHT_CHROMIUM_PATH ?? chromium.executablePath,
      args: chromium.args,
    },
  },
  webServer: {
    // Writes the demo's six months of history into the embedded database
    // (nothing when it has gates already), then starts the frontend (:3000)
    // and the backend (:7007) with the browser tests' release windows laid
    // over the demo's (e2e-tests/app-config.e2e.yaml: no freeze a test's "now"
    // can fall into); global-setup.ts waits for the backend and the catalog.
    command:
      'mkdir -p artifacts && node --require @backstage/cli-node/config/nodeTransform.cjs packages/bench/src/generate/demoCli.ts .data/release-readiness.sqlite > artifacts/demo-history.log 2>&1 && yarn start --config "$PWD/app-config.yaml" --config "$PWD/e2e-tests/app-config.e2e.yaml" > artifacts/app-start.log 2>&1',
    url: process.env.E2E_APP_URL ?? 'http://localhost:3000',
    timeout: 240_000,
    reuseExistingServer: !process.env.CI,
  },
});
