import request from 'supertest';
import { as, MARGARET, NADIA, PRIYA, SAMUEL, TOMASZ } from './fixtures';

const BASE = '/api/release-readiness';
const PAYMENT_GATEWAY = 'component:default/payment-gateway';

/** Fails with the answer when a step does not go as planned. */
function expectStatus(res: request.Response, status: number) {
  if (res.status !== status) {
    throw new Error(
      `expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`,
    );
  }
  return res;
}

/**
 * Opens a gate of the payment gateway for the release and brings it, through
 * the API, to the point where GO may be recorded: every manual item passed,
 * passing evidence for every automated item (posted as CI: the backend must
 * treat requests without a token as a pipeline), the risk assessment
 * complete, and a Ready vote for every role (unless `votes: false`: then
 * the gate waits for its sign-offs). Returns the gate as the last step
 * answered it.
 */
export async function driveToReady(
  api: ReturnType<typeof request>,
  release: string,
  options: { plannedAt?: string; votes?: boolean } = {},
): Promise<any> {
  const opened = expectStatus(
    await api
      .post(`${BASE}/entities/component/default/payment-gateway/gates`)
      .set('Authorization', as(PRIYA))
      .send({
        release,
        plannedAt: options.plannedAt ?? '2026-12-01T10:00:00Z',
      }),
    201,
  );
  let gate = opened.body;
  for (const itemId of [
    'user-acceptance',
    'security-review',
    'runbook-updated',
    'release-notes',
  ]) {
    const item = gate.items.find((i: any) => i.id === itemId);
    gate = expectStatus(
      await api
        .patch(`${BASE}/gates/${gate.id}/items/${itemId}`)
        .set('Authorization', as(PRIYA))
        .send({ status: 'passed', note: 'checked', version: item.version }),
      200,
    ).body;
  }
  for (const [type, metrics] of [
    ['test-report', { passed: true }],
    ['static-analysis', { score: 95 }],
    ['security-scan', { critical: 0, high: 0 }],
    ['feature-toggles', { passed: true }],
  ] as const) {
    expectStatus(
      await api.post(`${BASE}/evidence`).send({
        entityRef: PAYMENT_GATEWAY,
        release,
        type,
        status: 'passed',
        metrics,
        runId: `ready-${release}-${type}`,
      }),
      201,
    );
  }
  gate = expectStatus(
    await api
      .put(`${BASE}/gates/${gate.id}/risk`)
      .set('Authorization', as(PRIYA))
      .send({
        version: 0,
        rollbackPlan:
          'Redeploy the previous release with the blue/green switch',
        rollbackVerified: true,
        impactMatrix: [
          {
            failureMode: 'Card authorisations time out',
            impact: 'high',
            likelihood: 'low',
            mitigation: 'Canary at 2% with automatic rollback',
          },
        ],
        acceptResidualRisk: true,
        communication: {
          audiences: ['support'],
          scheduledAt: '2026-12-01T09:00:00Z',
          approve: true,
        },
        consent: { gateId: gate.id, riskVersion: 0 },
      }),
    200,
  ).body;
  if (options.votes === false) return gate;
  for (const [user, role] of [
    [TOMASZ, 'engineering'],
    [NADIA, 'qa'],
    [SAMUEL, 'security'],
    [MARGARET, 'release-management'],
  ]) {
    gate = expectStatus(
      await api
        .post(`${BASE}/gates/${gate.id}/signoffs`)
        .set('Authorization', as(user))
        .send({ role, verdict: 'ready', comment: 'ok' }),
      201,
    ).body;
  }
  if (!gate.evaluation.ready) {
    throw new Error(
      `The gate is not ready: ${JSON.stringify(gate.evaluation.blockers)}`,
    );
  }
  return gate;
}
