import { request } from '@playwright/test';
import { BACKEND } from './support';
/** The demo people and services the browser tests act on. */
const PEOPLE = [
  'priya-raman',
  'tomasz-kowalski',
  'nadia-haddad',
  'samuel-adeyemi',
  'margaret-osei',
  'hiroshi-tanaka',
];
const SERVICES = [
  'refund-service',
  'payout-service',
  'currency-rates',
  'settlement-batch',
  'payment-gateway',
  'card-vault',
];

/**
 * Waits, once before any test, until the demo is ready to be used: the
 * frontend answers as soon as it is built, while the backend may still be
 * starting and the catalog still reading examples/. Ready means every person
 * the tests act as can sign in, and the plugin answers for every service they
 * use.
 */
export default async function globalSetup() {
  const api = await request.newContext();
  const deadline = Date.now() + 180_000;
  let lastProblem = 'nothing answered yet';
  try {
    while (Date.now() < deadline) {
      lastProblem = await problem(api).catch(error => String(error));
      if (!lastProblem) {
        await checkTestWindows(api);
        return;
      }
      await new Promise(resolve => setTimeout(resolve, 2_000));
    }
    throw new Error(`The demo did not become ready in time: ${lastProblem}`);
  } finally {
    await api.dispose();
  }
}

/** What is not ready yet, or '' when everything is. */
async function problem(
  api: Awaited<ReturnType<typeof request.newContext>>,
): Promise<string> {
  let token = '';
  for (const user of PEOPLE) {
    const res = await api.get(`${BACKEND}/api/auth/demo/refresh`, {
      headers: {
        'x-demo-user': `user:default/${user}`,
        'x-requested-with': 'XMLHttpRequest',
      },
    });
    if (!res.ok()) {
      return `${user} cannot sign in yet (${res.status()})`;
    }
    token ||= (await res.json()).backstageIdentity.token;
  }
  for (const name of SERVICES) {
    const res = await api.get(
      `${BACKEND}/api/release-readiness/entities/component/default/${name}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    if (!res.ok()) {
      return `the readiness of ${name} answers ${res.status()}`;
    }
  }
  return '';
}

/**
 * Fails the run at once when the backend serves the demo's own release
 * windows instead of the browser tests' (e2e-tests/app-config.e2e.yaml): with
 * the demo's, a test's outcome would depend on the time of day and year.
 */
async function checkTestWindows(
  api: Awaited<ReturnType<typeof request.newContext>>,
) {
  const signIn = await api.get(`${BACKEND}/api/auth/demo/refresh`, {
    headers: {
      'x-demo-user': `user:default/${PEOPLE[0]}`,
      'x-requested-with': 'XMLHttpRequest',
    },
  });
  const token = (await signIn.json()).backstageIdentity.token;
  const res = await api.get(`${BACKEND}/api/release-readiness/windows`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const ids = ((await res.json()).items as Array<{ id: string }>).map(
    window => window.id,
  );
  if (!ids.includes('browser-test-freeze') || ids.includes('year-end-freeze')) {
    throw new Error(
      `The backend serves the release windows ${ids.join(', ')}, not the ` +
        "browser tests' (e2e-tests/app-config.e2e.yaml): start it with " +
        '--config "$PWD/app-config.yaml" --config "$PWD/e2e-tests/app-config.e2e.yaml" ' +
        '(playwright.config.ts), or stop the app already running on :7007.',
    );
  }
}
