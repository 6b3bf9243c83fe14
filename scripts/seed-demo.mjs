#!/usr/bin/env node
// Seeds the local demo with release gates in every state, through the same
// HTTP API people and pipelines use: demo people sign in through the
// development-only demo sign-in, CI evidence is posted with the demo CI token.
// It waits for the backend and the catalog, and does nothing when the demo
// already has gates. Development only: it needs the demo sign-in.
//
//   node scripts/seed-demo.mjs            (scripts/start.sh runs it for you)

import { createHmac } from 'node:crypto';

const BACKEND = process.env.BACKEND_URL ?? 'http://localhost:7007';
const CI_TOKEN =
  process.env.RELEASE_READINESS_CI_TOKEN ??
  'local-demo-ci-token-not-for-production';
const API = `${BACKEND}/api/release-readiness`;
const DAY = 86_400_000;
// The demo's webhook secrets (app-config.yaml, releaseReadiness.incidents).
const PAGERDUTY_SECRET =
  process.env.PAGERDUTY_WEBHOOK_SECRET ?? 'demo-only-pagerduty-webhook-secret';
const OPSGENIE_TOKEN =
  process.env.OPSGENIE_WEBHOOK_TOKEN ?? 'demo-only-opsgenie-webhook-token';

const tokens = new Map();

async function signIn(user) {
  if (!tokens.has(user)) {
    const res = await fetch(`${BACKEND}/api/auth/demo/refresh`, {
      headers: {
        'x-demo-user': `user:default/${user}`,
        'x-requested-with': 'XMLHttpRequest',
      },
    });
    if (!res.ok)
      throw new Error(`sign-in as ${user}: ${res.status} ${await res.text()}`);
    tokens.set(user, (await res.json()).backstageIdentity.token);
  }
  return tokens.get(user);
}

async function call(method, path, { as, body, ci, ok = [200, 201] } = {}) {
  const token = ci ? CI_TOKEN : await signIn(as);
  const res = await fetch(`${API}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json().catch(() => ({}));
  if (!ok.includes(res.status)) {
    throw new Error(
      `${method} ${path} as ${as ?? 'ci'}: ${res.status} ${JSON.stringify(
        json,
      )}`,
    );
  }
  return json;
}

const sleep = ms => new Promise(r => setTimeout(r, ms));

/**
 * Sends an incident tool's webhook to the events backend's HTTP ingress, as
 * PagerDuty (signed with the webhook secret) or Opsgenie (with the token)
 * would; the incidents module links it to the release it followed.
 */
async function webhook(topic, payload) {
  const body = JSON.stringify(payload);
  const headers = { 'content-type': 'application/json' };
  if (topic === 'pagerduty') {
    const signature = createHmac('sha256', PAGERDUTY_SECRET)
      .update(body)
      .digest('hex');
    headers['x-pagerduty-signature'] = `v1=${signature}`;
  } else {
    headers['x-release-readiness-token'] = OPSGENIE_TOKEN;
  }
  const res = await fetch(`${BACKEND}/api/events/http/${topic}`, {
    method: 'POST',
    headers,
    body,
  });
  if (res.status !== 202) {
    throw new Error(`${topic} webhook: ${res.status} ${await res.text()}`);
  }
}

/** A PagerDuty V3 webhook: an incident triggered on a service. */
function pagerDutyIncident({ id, number, serviceId, title, priority }) {
  const at = new Date().toISOString();
  return {
    event: {
      id: `01DEMO${id}`,
      event_type: 'incident.triggered',
      resource_type: 'incident',
      occurred_at: at,
      agent: null,
      client: null,
      data: {
        id,
        type: 'incident',
        self: `https://api.pagerduty.com/incidents/${id}`,
        html_url: `https://demo.pagerduty.com/incidents/${id}`,
        number,
        status: 'triggered',
        created_at: at,
        title,
        service: { id: serviceId, type: 'service_reference' },
        priority: {
          id: 'PDEMOP2',
          type: 'priority_reference',
          summary: priority,
        },
        urgency: 'high',
      },
    },
  };
}

/** An Opsgenie webhook integration's payload: an alert created. */
function opsgenieAlert({ alertId, message, details, priority }) {
  return {
    action: 'Create',
    alert: {
      alertId,
      message,
      tags: ['demo'],
      details,
      priority,
      createdAt: Date.now(),
      entity: details.service,
      source: 'demo-seed',
    },
    source: { name: 'demo-seed', type: 'api' },
    integrationName: 'Release Readiness',
  };
}

async function waitForBackend() {
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      const res = await fetch(`${API}/health`);
      if (res.ok) {
        // The catalog reads examples/ shortly after start-up.
        const probe = await call(
          'GET',
          '/entities/component/default/payment-gateway',
          {
            as: 'priya-raman',
            ok: [200, 404],
          },
        );
        if (probe.entityRef) return probe;
      }
    } catch {
      // not up yet
    }
    if (Date.now() > deadline)
      throw new Error('the backend did not come up within 5 minutes');
    await sleep(3000);
  }
}

const iso = offsetDays => new Date(Date.now() + offsetDays * DAY).toISOString();

/**
 * A planned release time that no demo window blocks: tomorrow 22:30 UTC,
 * after US market hours, and after the year-end freeze when inside it.
 */
function safePlannedAt() {
  const planned = new Date(Date.now() + DAY);
  planned.setUTCHours(22, 30, 0, 0);
  const year = planned.getUTCFullYear();
  const freezeStart = Date.UTC(year, 11, 19);
  const freezeEnd = Date.UTC(year + 1, 0, 4);
  const prevFreezeEnd = Date.UTC(year, 0, 4);
  if (planned.getTime() >= freezeStart && planned.getTime() < freezeEnd) {
    return new Date(freezeEnd + 22.5 * 3_600_000).toISOString();
  }
  if (planned.getTime() < prevFreezeEnd) {
    return new Date(prevFreezeEnd + 22.5 * 3_600_000).toISOString();
  }
  return planned.toISOString();
}

async function open(user, entity, release, extra = {}) {
  return call('POST', `/entities/component/default/${entity}/gates`, {
    as: user,
    body: { release, plannedAt: safePlannedAt(), ...extra },
  });
}

async function mark(gate, user, itemIds, status = 'passed') {
  let current = gate;
  for (const id of itemIds) {
    const item = current.items.find(i => i.id === id);
    current = await call('PATCH', `/gates/${gate.id}/items/${id}`, {
      as: user,
      body: {
        status,
        version: item.version,
        note: 'Checked in the release review',
      },
    });
  }
  return current;
}

async function evidence(
  entity,
  release,
  type,
  status,
  metrics,
  observedDaysAgo = 0,
) {
  return call('POST', '/evidence', {
    ci: true,
    body: {
      entityRef: `component:default/${entity}`,
      release,
      type,
      status,
      metrics,
      runId: `demo-${entity}-${release}-${type}`,
      link: `https://ci.example.com/${entity}/${release}/${type}`,
      observedAt: iso(-observedDaysAgo),
    },
  });
}

async function greenEvidence(entity, release) {
  await evidence(entity, release, 'test-report', 'passed', {
    passed: true,
    total: 1240,
    failed: 0,
  });
  await evidence(entity, release, 'static-analysis', 'passed', { score: 94 });
  await evidence(entity, release, 'security-scan', 'passed', {
    critical: 0,
    high: 0,
    medium: 3,
  });
  await evidence(entity, release, 'feature-toggles', 'passed', {
    passed: true,
  });
}

async function fullRisk(gate, user) {
  return call('PUT', `/gates/${gate.id}/risk`, {
    as: user,
    body: {
      version: gate.risk?.version ?? 0,
      rollbackPlan:
        'Blue/green: switch traffic back to the previous version; database changes are backward compatible.',
      rollbackVerified: true,
      impactMatrix: [
        {
          failureMode: 'Elevated error rate after the switch',
          impact: 'high',
          likelihood: 'low',
          mitigation:
            'Canary at 5% for 30 minutes with automatic rollback on error budget burn',
        },
        {
          failureMode: 'Slower responses under peak load',
          impact: 'medium',
          likelihood: 'medium',
          mitigation: 'Load test at 2x peak before the release train',
        },
      ],
      acceptResidualRisk: true,
      communication: {
        audiences: ['customer support', 'on-call', 'account managers'],
        scheduledAt: iso(1),
        approve: true,
      },
      consent: { gateId: gate.id, riskVersion: gate.risk?.version ?? 0 },
    },
  });
}

const MANUAL = [
  'user-acceptance',
  'security-review',
  'runbook-updated',
  'release-notes',
];

async function readyGate({ owner, peer, entity, release }) {
  let gate = await open(owner, entity, release);
  await greenEvidence(entity, release);
  gate = await mark(gate, owner, MANUAL);
  gate = await fullRisk(gate, owner);
  for (const [user, role] of [
    [peer, 'engineering'],
    ['nadia-haddad', 'qa'],
    ['samuel-adeyemi', 'security'],
    ['margaret-osei', 'release-management'],
  ]) {
    gate = await call('POST', `/gates/${gate.id}/signoffs`, {
      as: user,
      body: { role, verdict: 'ready', comment: 'Reviewed, ready to go' },
    });
  }
  return gate;
}

async function decide(gate, user, body) {
  return call('POST', `/gates/${gate.id}/decision`, { as: user, body });
}

async function seed() {
  // Released: payment-gateway 1.3.0 went through its gate and shipped.
  const released = await readyGate({
    owner: 'priya-raman',
    peer: 'tomasz-kowalski',
    entity: 'payment-gateway',
    release: '1.3.0',
  });
  await decide(released, 'margaret-osei', {
    verdict: 'go',
    reason: 'All conditions met at the Tuesday release board',
  });
  await decide(released, 'priya-raman', { transition: 'release' });
  // Paged on payment-gateway's PagerDuty service after 1.3.0 went out: the
  // webhook links it to 1.3.0 (its History shows it, from PagerDuty).
  await webhook(
    'pagerduty',
    pagerDutyIncident({
      id: 'QDEMO130P1',
      number: 1042,
      serviceId: 'PPAYGW1',
      title: 'Wallet payments time out for some issuers',
      priority: 'P2',
    }),
  );

  // In progress with a Not-ready vote: payment-gateway 1.4.0.
  let current = await open('priya-raman', 'payment-gateway', '1.4.0');
  await evidence('payment-gateway', '1.4.0', 'test-report', 'passed', {
    passed: true,
    total: 1262,
  });
  await evidence('payment-gateway', '1.4.0', 'static-analysis', 'failed', {
    score: 84,
  });
  current = await mark(current, 'priya-raman', [
    'user-acceptance',
    'runbook-updated',
  ]);
  await call('POST', `/gates/${current.id}/signoffs`, {
    as: 'nadia-haddad',
    body: {
      role: 'qa',
      verdict: 'not-ready',
      comment: 'Refund flow regression in the staging run; see QA-1432',
    },
  });

  // GO, waiting for the release train: ledger-service 2.3.0.
  const go = await readyGate({
    owner: 'tomasz-kowalski',
    peer: 'amara-okafor',
    entity: 'ledger-service',
    release: '2.3.0',
  });
  // Recorded by the release manager: the template forbids the requester's
  // own GO (governance.selfApproval).
  await decide(go, 'margaret-osei', {
    verdict: 'go',
    reason: 'Ready for Thursday 10:00 train',
  });

  // NO-GO: card-vault 5.1.0, a critical vulnerability.
  const noGo = await open('priya-raman', 'card-vault', '5.1.0');
  await evidence('card-vault', '5.1.0', 'security-scan', 'failed', {
    critical: 1,
    high: 2,
  });
  await decide(noGo, 'priya-raman', {
    verdict: 'no-go',
    reason: 'Critical CVE in the base image; rebuild on the patched image',
  });

  // Rolled back: cart-service 3.2.0 shipped, then went back.
  const rolled = await readyGate({
    owner: 'hiroshi-tanaka',
    peer: 'sofia-lindqvist',
    entity: 'cart-service',
    release: '3.2.0',
  });
  // GO by another gate owner of checkout: Hiroshi opened the gate.
  await decide(rolled, 'sofia-lindqvist', {
    verdict: 'go',
    reason: 'All green',
  });
  await decide(rolled, 'hiroshi-tanaka', { transition: 'release' });
  await decide(rolled, 'hiroshi-tanaka', {
    transition: 'rollback',
    reason: 'Basket totals wrong for multi-currency carts',
  });
  // The alert that led to the rollback, from Opsgenie: linked to 3.2.0.
  await webhook(
    'opsgenie',
    opsgenieAlert({
      alertId: 'demo-cart-3-2-0-multi-currency',
      message: 'Basket totals wrong for multi-currency carts',
      details: { service: 'cart-service', region: 'eu-west-1' },
      priority: 'P2',
    }),
  );

  // Cancelled: order-service 1.8.0, folded into the next release.
  const cancelled = await open('mateo-fernandez', 'order-service', '1.8.0');
  await decide(cancelled, 'mateo-fernandez', {
    transition: 'cancel',
    reason: 'Merged into 1.9.0',
  });

  // Just opened: auth-service 4.0.0, planned inside the year-end freeze, and
  // an expedited (rapid) hotfix.
  await open('fatima-al-sayed', 'auth-service', '4.0.0', {
    plannedAt: `${new Date().getUTCFullYear()}-12-22T10:00:00Z`,
  });
  await open('hiroshi-tanaka', 'promotions-engine', '0.9.4', {
    template: 'rapid-release',
    rapidReason: 'Hotfix: double discount applied to bundles',
  });
}

const probe = await waitForBackend();
// The demo history (packages/bench/src/generate/demoHistory.ts) uses calendar
// versions; the seed's own gates are the semantic versions below.
const seeded = [probe.currentGate, ...(probe.earlierGates ?? [])].some(
  gate => gate?.release === '1.3.0',
);
if (seeded) {
  console.log('seed-demo: the demo already has gates; nothing to do');
} else {
  await seed();
  console.log(
    'seed-demo: seeded gates in progress, GO, NO-GO, released, rolled back and cancelled',
  );
}
