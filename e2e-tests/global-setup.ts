import { request } from '@playwright/test';

const BACKEND = 'http://localhost:7007';
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
