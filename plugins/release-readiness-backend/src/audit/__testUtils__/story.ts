import request from 'supertest';
import { as, NADIA, PRIYA, TOMASZ } from '../../__testUtils__/fixtures';
import { EvidenceStore } from '../../database';

export const BASE = '/api/release-readiness';
export const ENTITY = 'component:default/payment-gateway';
export const RELEASE = '1.4.0';

/**
 * Drives a gate of the payment gateway to NO-GO through the API, leaving a
 * trail of every kind of event: CI evidence, the gate opened, an item marked
 * and one waived, a QA vote replaced by a second one, an engineering vote, the
 * risk assessment, and the decision. Evidence is posted without a token, so
 * the backend must treat requests without one as a CI pipeline.
 */
export async function driveToNoGo(
  api: ReturnType<typeof request>,
  options: { evidenceStore?: EvidenceStore } = {},
): Promise<{ gateId: string }> {
  /** Stops the story at the first step that does not go as planned. */
  const expectStatus = (res: request.Response, status: number) => {
    if (res.status !== status) {
      throw new Error(
        `expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`,
      );
    }
    return res;
  };

  const testReport = {
    entityRef: ENTITY,
    release: RELEASE,
    type: 'test-report',
    status: 'passed' as const,
    metrics: { passed: true, total: 812 },
    link: 'https://ci.example.com/runs/41',
    commit: '9f1c2d3',
    runId: 'run-41',
  };
  if (options.evidenceStore) {
    await options.evidenceStore.addEvidence({
      evidence: {
        ...testReport,
        observedAt: new Date().toISOString(),
        postedBy: 'external:ci-pipeline',
      },
    });
  } else {
    expectStatus(await api.post(`${BASE}/evidence`).send(testReport), 201);
  }

  const opened = expectStatus(
    await api
      .post(`${BASE}/entities/component/default/payment-gateway/gates`)
      .set('Authorization', as(PRIYA))
      .send({ release: RELEASE, plannedAt: '2026-12-01T10:00:00Z' }),
    201,
  );
  const gateId: string = opened.body.id;
  const version = (itemId: string) =>
    opened.body.items.find((i: { id: string }) => i.id === itemId).version;

  expectStatus(
    await api
      .patch(`${BASE}/gates/${gateId}/items/user-acceptance`)
      .set('Authorization', as(PRIYA))
      .send({
        status: 'passed',
        note: 'Checked | with the merchants team',
        version: version('user-acceptance'),
      }),
    200,
  );
  expectStatus(
    await api
      .patch(`${BASE}/gates/${gateId}/items/release-notes`)
      .set('Authorization', as(PRIYA))
      .send({
        status: 'waived',
        waiver: {
          justification: 'Internal release, no notes',
          expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        },
        version: version('release-notes'),
      }),
    200,
  );

  for (const [user, role, verdict, comment] of [
    [NADIA, 'qa', 'not-ready', 'flaky refunds'],
    [TOMASZ, 'engineering', 'ready', 'ok'],
    [NADIA, 'qa', 'ready', 'refunds fixed'],
  ]) {
    expectStatus(
      await api
        .post(`${BASE}/gates/${gateId}/signoffs`)
        .set('Authorization', as(user))
        .send({ role, verdict, comment }),
      201,
    );
  }

  expectStatus(
    await api
      .put(`${BASE}/gates/${gateId}/risk`)
      .set('Authorization', as(PRIYA))
      .send({
        version: 0,
        rollbackPlan: 'Redeploy 1.3.2 with the blue/green switch',
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
        consent: { gateId, riskVersion: 0 },
      }),
    200,
  );

  expectStatus(
    await api
      .post(`${BASE}/gates/${gateId}/decision`)
      .set('Authorization', as(PRIYA))
      .send({ verdict: 'no-go', reason: 'Security scan not run' }),
    200,
  );
  return { gateId };
}
