/*
 * What other teams do while a browser test walks its own part: gates taken
 * to a state through the API, as those teams' people and pipelines would,
 * so that a test's time is its own walk. Each call fails the test with the
 * answer's body unless it succeeds.
 */
import { APIRequestContext } from '@playwright/test';
import { apiAs, BACKEND, expect, plannedOutsideWindows } from './support';

const CI_TOKEN = 'local-demo-ci-token-not-for-production';

/** A gate as the API answers it, with what these walks read of it. */
export interface ApiGate {
  id: string;
  release: string;
  state: string;
  items: Array<{ id: string; version: number; required: boolean }>;
  risk?: { version: number };
}

/** CI posts one passing fact for the entity's release. */
export async function postEvidence(
  request: APIRequestContext,
  entityRef: string,
  release: string,
  type: string,
  metrics: Record<string, unknown>,
) {
  const res = await request.post(`${BACKEND}/api/release-readiness/evidence`, {
    headers: { authorization: `Bearer ${CI_TOKEN}` },
    data: {
      entityRef,
      release,
      type,
      status: 'passed',
      metrics,
      runId: `e2e-${entityRef}-${release}-${type}`,
    },
  });
  expect(res.status(), await res.text()).toBeLessThan(300);
}

/** Cancels the entity's open gate, if it has one (left by an earlier run). */
export async function cancelOpenGate(
  request: APIRequestContext,
  entityRef: string,
  owner: string,
) {
  const path = `/entities/${entityRef.replace(/[:]/, '/')}`;
  const { currentGate } = await apiAs(request, owner, 'get', path);
  if (
    currentGate &&
    ['in-progress', 'go', 'no-go'].includes(currentGate.state)
  ) {
    await apiAs(request, owner, 'post', `/gates/${currentGate.id}/decision`, {
      transition: 'cancel',
      reason: 'Reset by a browser test',
    });
  }
}

/** The gate owner marks these manual items passed. */
export async function passItems(
  request: APIRequestContext,
  gate: ApiGate,
  owner: string,
  itemIds: string[],
): Promise<ApiGate> {
  let current = gate;
  for (const id of itemIds) {
    const item = current.items.find(i => i.id === id);
    expect(item, `item ${id} of gate ${gate.id}`).toBeTruthy();
    current = await apiAs(
      request,
      owner,
      'patch',
      `/gates/${gate.id}/items/${id}`,
      {
        status: 'passed',
        version: item!.version,
        note: 'Checked in the release review',
      },
    );
  }
  return current;
}

/** The gate owner writes a complete risk assessment and accepts it. */
export async function completeRisk(
  request: APIRequestContext,
  gate: ApiGate,
  owner: string,
): Promise<ApiGate> {
  const version = gate.risk?.version ?? 0;
  return apiAs(request, owner, 'put', `/gates/${gate.id}/risk`, {
    version,
    rollbackPlan: 'Switch traffic back to the previous version.',
    rollbackVerified: true,
    impactMatrix: [
      {
        failureMode: 'Elevated error rate after the switch',
        impact: 'high',
        likelihood: 'low',
        mitigation: 'Canary at 5% with automatic rollback',
      },
    ],
    acceptResidualRisk: true,
    communication: {
      audiences: ['customer support', 'on-call'],
      scheduledAt: new Date(Date.now() + 3_600_000).toISOString(),
      approve: true,
    },
    consent: { gateId: gate.id, riskVersion: version },
  });
}

/** Each role's person votes Ready. */
export async function signReady(
  request: APIRequestContext,
  gate: ApiGate,
  signers: [user: string, role: string][],
): Promise<ApiGate> {
  let current = gate;
  for (const [user, role] of signers) {
    current = await apiAs(request, user, 'post', `/gates/${gate.id}/signoffs`, {
      role,
      verdict: 'ready',
      comment: 'Reviewed, ready to go',
    });
  }
  return current;
}

/** The component gate's manual items (gate-templates/component-gate.yaml). */
const COMPONENT_MANUAL_ITEMS = [
  'user-acceptance',
  'security-review',
  'runbook-updated',
  'release-notes',
];

/** Facts that meet each automated item's rule in the component gate. */
const COMPONENT_EVIDENCE: [type: string, metrics: Record<string, unknown>][] = [
  ['test-report', { passed: true }],
  ['static-analysis', { score: 95 }],
  ['security-scan', { critical: 0, high: 0 }],
  ['feature-toggles', { passed: true }],
  ['performance', { p95LatencyMs: 180 }],
];

/**
 * A component's team takes its gate for the release to where every
 * condition is met (not decided): the owner opens it and does the checklist
 * and risk, CI posts green evidence, each role votes Ready.
 */
export async function componentReadyForGo(
  request: APIRequestContext,
  options: { entity: string; release: string; owner: string; peer: string },
): Promise<ApiGate> {
  const { entity, release, owner, peer } = options;
  const entityRef = `component:default/${entity}`;
  await cancelOpenGate(request, entityRef, owner);
  let gate: ApiGate = await apiAs(
    request,
    owner,
    'post',
    `/entities/component/default/${entity}/gates`,
    { release, plannedAt: plannedOutsideWindows() },
  );
  for (const [type, metrics] of COMPONENT_EVIDENCE) {
    await postEvidence(request, entityRef, release, type, metrics);
  }
  gate = await apiAs(request, owner, 'get', `/gates/${gate.id}`);
  gate = await passItems(request, gate, owner, COMPONENT_MANUAL_ITEMS);
  gate = await completeRisk(request, gate, owner);
  return signReady(request, gate, [
    [peer, 'engineering'],
    ['nadia-haddad', 'qa'],
    ['samuel-adeyemi', 'security'],
    ['margaret-osei', 'release-management'],
  ]);
}

/** A release manager records GO on a gate whose conditions are met. */
export async function recordGo(
  request: APIRequestContext,
  gate: ApiGate,
  manager = 'margaret-osei',
): Promise<ApiGate> {
  return apiAs(request, manager, 'post', `/gates/${gate.id}/decision`, {
    verdict: 'go',
    reason: 'All conditions met at the release board',
  });
}
