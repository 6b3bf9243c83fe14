import {
  APIRequestContext,
  Browser,
  BrowserContext,
  expect,
  Page,
  test as base,
} from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Screenshots kept as CI artifacts (artifacts/screenshots, git-ignored). */
export const SCREENSHOT_DIR = join(__dirname, '..', 'artifacts', 'screenshots');

/**
 * Where the app under test runs: the demo's ports unless E2E_APP_URL and
 * E2E_BACKEND_URL say otherwise (a second instance beside a running one).
 */
export const APP = process.env.E2E_APP_URL ?? 'http://localhost:3000';
export const BACKEND = process.env.E2E_BACKEND_URL ?? 'http://localhost:7007';
const API = `${BACKEND}/api/release-readiness`;
const CI_TOKEN = 'local-demo-ci-token-not-for-production';

/**
 * Browser settings every page shares, so that no test depends on the machine
 * it runs on: times typed into date fields and shown on screen are UTC.
 */
export const CONTEXT_OPTIONS = {
  baseURL: APP,
  timezoneId: 'UTC',
  locale: 'en-GB',
  viewport: { width: 1280, height: 900 },
} as const;

/**
 * Saves a screenshot of what the person sees (the viewport, or one element):
 * a full-page screenshot of a long tab makes the browser lay out and paint the
 * whole page at once, which on a loaded machine took longer than a test.
 */
export async function saveScreenshot(
  page: Page,
  name: string,
  options?: { element?: string },
) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  if (options?.element) {
    await page.locator(options.element).screenshot({ path });
  } else {
    await page.screenshot({ path });
  }
  return path;
}

/** Where the demo sign-in page remembers the person chosen. */
const DEMO_USER_KEY = 'release-readiness:demo-user';

/**
 * The browser storage of a demo person who chose themselves on the sign-in
 * page: on load the app signs them in through the backend's demo provider,
 * without the sign-in page.
 */
export function signedInState(user: string) {
  return {
    cookies: [],
    origins: [
      {
        origin: APP,
        localStorage: [{ name: DEMO_USER_KEY, value: `user:default/${user}` }],
      },
    ],
  };
}

/**
 * The demo people a test acts as, each in a browser context of their own,
 * signed in through their stored state, and each keeping one window open for
 * the whole run: switching person is switching window, not signing out, in
 * and reloading the app (each full load of the development app takes several
 * seconds on a 2-core machine).
 */
export class People {
  private readonly contexts = new Map<string, BrowserContext>();
  private readonly windows = new Map<string, Page>();

  constructor(private readonly browser: Browser) {}

  private async contextOf(user: string): Promise<BrowserContext> {
    let context = this.contexts.get(user);
    if (!context) {
      context = await this.browser.newContext({
        ...CONTEXT_OPTIONS,
        storageState: signedInState(user),
      });
      this.contexts.set(user, context);
    }
    return context;
  }

  /** The person's window (opened at the first call). */
  async page(user: string): Promise<Page> {
    const existing = this.windows.get(user);
    if (existing && !existing.isClosed()) {
      return existing;
    }
    const page = await (await this.contextOf(user)).newPage();
    this.windows.set(user, page);
    return page;
  }

  /**
   * Opens the windows of these people, one after the other, each at the
   * catalog: the app signs each in through their stored state. Tests call it
   * in `beforeAll`, so that their own time is the walk, not app loads. The
   * hook gets a minute per person: the first hook of a run loads a cold app
   * for each, which on a loaded 2-core machine took over 20 s a person.
   */
  async open(users: string[]) {
    const info = base.info();
    info.setTimeout(Math.max(info.timeout, 60_000 * (users.length + 1)));
    for (const user of users) {
      const page = await this.page(user);
      if (!page.url().startsWith(APP)) {
        await page.goto('/catalog');
        await expect(
          page.getByRole('link', { name: /Release readi/ }).first(),
          `${user} should be signed in by the demo sign-in`,
        ).toBeVisible({ timeout: 60_000 });
      }
    }
  }

  /** A second window of the same person, signed in as them too. */
  async newWindow(user: string): Promise<Page> {
    return (await this.contextOf(user)).newPage();
  }

  /** Every open window, named by its person, for screenshots on failure. */
  openWindows(): [string, Page][] {
    return [...this.windows.entries()].filter(([, page]) => !page.isClosed());
  }

  async close() {
    await Promise.all([...this.contexts.values()].map(c => c.close()));
    this.contexts.clear();
    this.windows.clear();
  }
}

/**
 * The tests' `test`: with `people`, kept for the whole worker so that each
 * person loads the app once, and a screenshot of every person's window
 * attached when a test fails.
 */
export const test = base.extend<{ peopleOnFailure: void }, { people: People }>({
  people: [
    async ({ browser }, use) => {
      const people = new People(browser);
      await use(people);
      await people.close();
    },
    { scope: 'worker' },
  ],
  peopleOnFailure: [
    async ({ people }, use, testInfo) => {
      await use();
      if (testInfo.status !== testInfo.expectedStatus) {
        for (const [user, page] of people.openWindows()) {
          const body = await page
            .screenshot({ timeout: 10_000 })
            .catch(() => undefined);
          if (body) {
            await testInfo.attach(`window of ${user}`, {
              body,
              contentType: 'image/png',
            });
          }
        }
      }
    },
    { auto: true },
  ],
});

export { expect };

/**
 * Signs in through the development-only demo sign-in page as the person with
 * this display name, as a newcomer does. Only the test of the sign-in page
 * itself walks it; the others use {@link People}.
 */
export async function signInAs(
  page: Page,
  displayName: string,
  options?: { screenshot?: string },
) {
  const button = page.getByRole('button', {
    name: `Sign in as ${displayName}`,
  });
  await page.goto('/');
  await expect(button).toBeVisible();
  if (options?.screenshot) {
    await saveScreenshot(page, options.screenshot);
  }
  await button.click();
  await expect(page.getByRole('button', { name: /^Sign in as/ })).toHaveCount(
    0,
  );
}

/** Tokens already issued, by person: valid for an hour, reused for ten minutes. */
const tokens = new Map<string, { token: string; until: number }>();

/** A user token from the development-only demo sign-in. */
export async function tokenOf(request: APIRequestContext, user: string) {
  const known = tokens.get(user);
  if (known && known.until > Date.now()) return known.token;
  const res = await request.get(`${BACKEND}/api/auth/demo/refresh`, {
    headers: {
      'x-demo-user': `user:default/${user}`,
      'x-requested-with': 'XMLHttpRequest',
    },
  });
  expect(res.ok()).toBe(true);
  const token = (await res.json()).backstageIdentity.token as string;
  tokens.set(user, { token, until: Date.now() + 600_000 });
  return token;
}

/**
 * A planned release time outside every release window, whatever the time of
 * day or year the tests run. The browser tests run with the windows of
 * e2e-tests/app-config.e2e.yaml; this also keeps clear of the demo's own
 * (app-config.yaml), for a run against an app started by hand: 22:30 UTC on a
 * day at least one day ahead is after US market close all year round (the
 * `market-hours` freeze ends at 16:00 New York time, 21:00 UTC at the
 * latest), and a day inside the demo's yearly year-end freeze (19 December to
 * 4 January) moves to the day it ends. Tests check the window condition after
 * opening, so a change of the windows fails with that message rather than
 * somewhere later.
 */
export function plannedOutsideWindows(now = new Date()): string {
  const planned = new Date(now.getTime() + 86_400_000);
  planned.setUTCHours(22, 30, 0, 0);
  const year = planned.getUTCFullYear();
  const inYearEndFreeze =
    planned >= new Date(Date.UTC(year, 11, 19)) ||
    planned < new Date(Date.UTC(year, 0, 4));
  if (inYearEndFreeze) {
    const endYear = planned.getUTCMonth() === 11 ? year + 1 : year;
    return new Date(Date.UTC(endYear, 0, 4, 22, 30)).toISOString();
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

/** A request to the API as a demo person; fails the test unless it succeeds. */
export async function apiAs(
  request: APIRequestContext,
  user: string,
  method: 'get' | 'post' | 'put' | 'patch',
  path: string,
  data?: object,
) {
  const token = await tokenOf(request, user);
  const res = await request[method](`${API}${path}`, {
    headers: { authorization: `Bearer ${token}` },
    ...(data ? { data } : {}),
  });
  expect(res.status(), `${method} ${path}: ${await res.text()}`).toBeLessThan(
    300,
  );
  return res.json();
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

/**
 * Goes to a page of the app. A window with the app loaded goes there the way
 * the app's own links do (the browser history, without reloading the app:
 * each load of the development app takes several seconds); an empty window
 * loads it.
 */
export async function goInApp(page: Page, path: string) {
  if (!page.url().startsWith(APP)) {
    await page.goto(path);
    return;
  }
  await page.evaluate(to => {
    window.history.pushState({}, '', to);
    window.dispatchEvent(new PopStateEvent('popstate', { state: {} }));
  }, path);
  await expect(page).toHaveURL(`${APP}${path}`);
}

/**
 * Opens the Readiness tab of a component (or system, or domain), loaded
 * afresh: from the entity's page, the tab named Readiness, as a person would. A window
 * already on the tab goes to Overview and back, which loads it again.
 */
export async function openReadinessTab(
  page: Page,
  entity: string,
  kind: 'component' | 'system' | 'domain' = 'component',
) {
  const path = `/catalog/default/${kind}/${entity}`;
  const here = page.url().startsWith(APP)
    ? new URL(page.url()).pathname
    : undefined;
  if (here === path || here?.startsWith(`${path}/`)) {
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
  } else {
    await goInApp(page, path);
  }
  await expect(page.locator('#decision')).toHaveCount(0);
  await page.getByRole('link', { name: 'Readiness', exact: true }).click();
  // The decision panel is there with or without a gate, once loaded.
  await expect(page.locator('#decision')).toBeVisible();
}

/** Opens a gate from the tab's decision panel, planned outside every window. */
export async function openGateInTab(page: Page, release: string) {
  const planned = plannedOutsideWindows();
  await page
    .getByRole('textbox', { name: 'Release', exact: true })
    .fill(release);
  // The browser runs in UTC (CONTEXT_OPTIONS), so the local time typed is UTC.
  await page
    .getByRole('textbox', { name: 'Planned release time' })
    .fill(planned.slice(0, 16));
  await page.getByRole('button', { name: 'Open gate' }).click();
  await expect(
    page.getByRole('heading', { name: `Release ${release}` }).first(),
  ).toBeVisible();
  await expect(
    page.getByTestId('condition-window'),
    `the planned time ${planned} should be outside every demo release window`,
  ).toHaveAttribute('data-met', 'true');
}
