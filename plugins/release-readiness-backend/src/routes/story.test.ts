import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  as,
  BEN,
  HIROSHI,
  MARGARET,
  NADIA,
  PRIYA,
  SAMUEL,
  startReadinessBackend,
  TOMASZ,
} from '../__testUtils__/fixtures';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** Requests without a token act as a CI pipeline with a restricted token. */
const ci = mockCredentials.service('external:ci-pipeline', {
  permissionNames: [
    'release-readiness.evidence.create',
    'release-readiness.gate.read',
  ],
});

const BASE = '/api/release-readiness';

describe.each(databases.eachSupportedId())(
  'a release through its gate on %s',
  databaseId => {
    it('goes from an open gate to released, refusing GO while anything is missing', async () => {
      const knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({
        knex,
        defaultCredentials: ci as any,
      });
      const api = request(server);

      // CI posts a test report before the gate exists; it is linked when it opens.
      const early = await api.post(`${BASE}/evidence`).send({
        entityRef: 'component:default/payment-gateway',
        release: '1.4.0',
        type: 'test-report',
        status: 'passed',
        metrics: { passed: true, total: 812 },
        runId: 'run-1',
      });
      expect(early.status).toBe(201);
      expect(early.body.postedBy).toBe('external:ci-pipeline');

      // The gate owner opens the gate.
      const opened = await api
        .post(`${BASE}/entities/component/default/payment-gateway/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release: '1.4.0', plannedAt: '2026-12-01T10:00:00Z' });
      expect(opened.status).toBe(201);
      const gateId: string = opened.body.id;
      expect(opened.body).toMatchObject({
        state: 'in-progress',
        templateName: 'component-gate',
        requestedBy: PRIYA,
      });
      expect(opened.body.evaluation.ready).toBe(false);
      expect(opened.body.evaluation.verdict).toBe('IN PROGRESS');
      const unitTests = opened.body.evaluation.automated.find(
        (a: any) => a.itemId === 'unit-integration-tests',
      );
      expect(unitTests.outcome).toBe('passed');

      // A second gate for the same release is a conflict.
      const again = await api
        .post(`${BASE}/entities/component/default/payment-gateway/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release: '1.4.0' });
      expect(again.status).toBe(409);

      // GO is refused, with the blockers listed.
      const early409 = await api
        .post(`${BASE}/gates/${gateId}/decision`)
        .set('Authorization', as(TOMASZ))
        .send({ verdict: 'go', reason: 'looks fine' });
      expect(early409.status).toBe(409);
      expect(early409.body.error.message).toMatch(/^GO is not possible yet: /);
      expect(early409.body.error.message).toMatch(/Quality assurance/);

      // The gate owner marks the manual items.
      let gate = opened.body;
      for (const itemId of [
        'user-acceptance',
        'security-review',
        'runbook-updated',
        'release-notes',
      ]) {
        const item = gate.items.find((i: any) => i.id === itemId);
        const marked = await api
          .patch(`${BASE}/gates/${gateId}/items/${itemId}`)
          .set('Authorization', as(PRIYA))
          .send({ status: 'passed', note: 'checked', version: item.version });
        expect(marked.status).toBe(200);
        gate = marked.body;
      }
      expect(
        gate.evaluation.conditions.find((c: any) => c.id === 'artifacts').met,
      ).toBe(true);

      // CI posts the rest of the evidence; a retry of the same run is harmless.
      for (const evidence of [
        { type: 'static-analysis', metrics: { score: 95 } },
        { type: 'security-scan', metrics: { critical: 0, high: 0 } },
        { type: 'feature-toggles', metrics: { passed: true } },
      ]) {
        const body = {
          entityRef: 'component:default/payment-gateway',
          release: '1.4.0',
          status: 'passed',
          runId: 'run-2',
          ...evidence,
        };
        expect((await api.post(`${BASE}/evidence`).send(body)).status).toBe(
          201,
        );
        expect((await api.post(`${BASE}/evidence`).send(body)).status).toBe(
          200,
        );
      }

      // The risk assessment.
      const risk = await api
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
          communication: {
            audiences: ['support', 'merchants'],
            scheduledAt: '2026-12-01T09:00:00Z',
            approve: true,
          },
          consent: { gateId, riskVersion: 0 },
        });
      expect(risk.status).toBe(200);
      expect(risk.body.risk).toMatchObject({
        rollbackVerifiedBy: PRIYA,
        residualRisk: { acceptedBy: PRIYA },
        communication: { approvedBy: PRIYA },
        version: 1,
      });

      // Someone outside the QA group cannot vote for QA.
      const notQa = await api
        .post(`${BASE}/gates/${gateId}/signoffs`)
        .set('Authorization', as(HIROSHI))
        .send({ role: 'qa', verdict: 'ready' });
      expect(notQa.status).toBe(403);
      expect(notQa.body.error.message).toMatch(/members of group:default\/qa/);

      // QA first says Not ready, which blocks; then Ben and Nadia say Ready.
      const notReady = await api
        .post(`${BASE}/gates/${gateId}/signoffs`)
        .set('Authorization', as(NADIA))
        .send({ role: 'qa', verdict: 'not-ready', comment: 'flaky refunds' });
      expect(notReady.status).toBe(201);
      for (const [user, role] of [
        [TOMASZ, 'engineering'],
        [SAMUEL, 'security'],
        [MARGARET, 'release-management'],
        [BEN, 'qa'],
      ]) {
        const vote = await api
          .post(`${BASE}/gates/${gateId}/signoffs`)
          .set('Authorization', as(user))
          .send({ role, verdict: 'ready', comment: 'ok' });
        expect(vote.status).toBe(201);
      }
      const blocked = await api
        .post(`${BASE}/gates/${gateId}/decision`)
        .set('Authorization', as(TOMASZ))
        .send({ verdict: 'go', reason: 'all green' });
      expect(blocked.status).toBe(409);
      expect(blocked.body.error.message).toMatch(/Not ready/);

      const changedMind = await api
        .post(`${BASE}/gates/${gateId}/signoffs`)
        .set('Authorization', as(NADIA))
        .send({ role: 'qa', verdict: 'ready', comment: 'refunds fixed' });
      expect(changedMind.status).toBe(201);
      expect(changedMind.body.evaluation.ready).toBe(true);
      expect(changedMind.body.evaluation.score).toBe(100);
      const nadiaVotes = changedMind.body.votes.filter(
        (v: any) => v.voter === NADIA,
      );
      expect(nadiaVotes).toHaveLength(2);
      expect(nadiaVotes.filter((v: any) => !v.supersededAt)).toHaveLength(1);

      // Pipelines still see no GO until it is recorded.
      const pending = await api.get(
        `${BASE}/decision?entityRef=component:default/payment-gateway&release=1.4.0`,
      );
      expect(pending.body).toMatchObject({
        verdict: 'IN PROGRESS',
        ready: true,
      });

      // GO is accepted now, with the hash of the state it was taken on.
      const go = await api
        .post(`${BASE}/gates/${gateId}/decision`)
        .set('Authorization', as(TOMASZ))
        .send({ verdict: 'go', reason: 'All conditions met' });
      expect(go.status).toBe(200);
      expect(go.body.state).toBe('go');
      expect(go.body.evaluation.verdict).toBe('GO');
      expect(go.body.decisions).toEqual([
        expect.objectContaining({
          verdict: 'go',
          by: TOMASZ,
          stateHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        }),
      ]);

      // The checklist is closed after GO.
      const closed = await api
        .patch(`${BASE}/gates/${gateId}/items/compliance-check`)
        .set('Authorization', as(PRIYA))
        .send({ status: 'passed', version: 1 });
      expect(closed.status).toBe(409);

      const decision = await api.get(
        `${BASE}/decision?entityRef=component:default/payment-gateway&release=1.4.0`,
      );
      expect(decision.body).toMatchObject({ verdict: 'GO', blockers: [] });

      // Released; a second release is an illegal transition.
      const released = await api
        .post(`${BASE}/gates/${gateId}/decision`)
        .set('Authorization', as(PRIYA))
        .send({ transition: 'release' });
      expect(released.status).toBe(200);
      expect(released.body.state).toBe('released');
      const twice = await api
        .post(`${BASE}/gates/${gateId}/decision`)
        .set('Authorization', as(PRIYA))
        .send({ transition: 'release' });
      expect(twice.status).toBe(409);
      expect(twice.body.error.message).toMatch(/is released/);

      // Every change is in the audit trail, in order.
      const audit = await api
        .get(`${BASE}/gates/${gateId}/audit`)
        .set('Authorization', as(HIROSHI));
      expect(audit.status).toBe(200);
      const actions = audit.body.items.map((e: any) => e.action);
      expect(actions[0]).toBe('gate.open');
      expect(actions.filter((a: string) => a === 'item.update')).toHaveLength(
        4,
      );
      expect(actions.filter((a: string) => a === 'signoff.vote')).toHaveLength(
        6,
      );
      expect(actions).toContain('risk.update');
      expect(actions.slice(-2)).toEqual(['decision.go', 'gate.released']);

      // The entity page shows the released gate as current.
      const readiness = await api
        .get(`${BASE}/entities/component/default/payment-gateway`)
        .set('Authorization', as(HIROSHI));
      expect(readiness.body.currentGate).toMatchObject({
        id: gateId,
        state: 'released',
      });
      const row = await knex('entities')
        .where({ entity_ref: 'component:default/payment-gateway' })
        .first();
      expect(row).toMatchObject({
        current_gate_id: gateId,
        current_state: 'released',
        current_verdict: 'GO',
      });
    });

    it('records NO-GO with a reason, reopens and cancels', async () => {
      const knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({ knex });
      const api = request(server);
      const opened = await api
        .post(`${BASE}/entities/component/default/payment-gateway/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release: '2.0.0' });
      const gateId = opened.body.id;

      const noReason = await api
        .post(`${BASE}/gates/${gateId}/decision`)
        .set('Authorization', as(PRIYA))
        .send({ verdict: 'no-go' });
      expect(noReason.status).toBe(400);
      expect(noReason.body.error.message).toMatch(/^reason: /);

      const noGo = await api
        .post(`${BASE}/gates/${gateId}/decision`)
        .set('Authorization', as(PRIYA))
        .send({ verdict: 'no-go', reason: 'Security scan not run' });
      expect(noGo.status).toBe(200);
      expect(noGo.body.evaluation.verdict).toBe('NO-GO');

      const reopened = await api
        .post(`${BASE}/gates/${gateId}/decision`)
        .set('Authorization', as(PRIYA))
        .send({ transition: 'reopen', reason: 'Scan added to the pipeline' });
      expect(reopened.body.state).toBe('in-progress');

      const rollback = await api
        .post(`${BASE}/gates/${gateId}/decision`)
        .set('Authorization', as(PRIYA))
        .send({ transition: 'rollback', reason: 'oops' });
      expect(rollback.status).toBe(409);

      const cancelled = await api
        .post(`${BASE}/gates/${gateId}/decision`)
        .set('Authorization', as(PRIYA))
        .send({ transition: 'cancel', reason: 'Release merged into 2.1.0' });
      expect(cancelled.body.state).toBe('cancelled');

      // A cancelled release may get a new gate.
      const reopenedRelease = await api
        .post(`${BASE}/entities/component/default/payment-gateway/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release: '2.0.0' });
      expect(reopenedRelease.status).toBe(201);
    });

    it('asks a reason for the rapid-release template and audits it', async () => {
      const knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({ knex });
      const api = request(server);
      const url = `${BASE}/entities/component/default/payment-gateway/gates`;

      const noReason = await api
        .post(url)
        .set('Authorization', as(PRIYA))
        .send({ release: '1.4.1', template: 'rapid-release' });
      expect(noReason.status).toBe(400);
      // Governance (issue 14): the field is templateReason; the rapid path
      // also waits for release management's approval.
      expect(noReason.body.error.message).toMatch(/^templateReason: /);

      const rapid = await api.post(url).set('Authorization', as(PRIYA)).send({
        release: '1.4.1',
        template: 'rapid-release',
        rapidReason: 'Hotfix for a declined-card bug',
      });
      expect(rapid.status).toBe(201);
      expect(rapid.body.rapidReason).toBe('Hotfix for a declined-card bug');
      expect(rapid.body.templateApproval).toMatchObject({
        approvers: ['group:default/release-management'],
      });
      const audit = await api
        .get(`${BASE}/gates/${rapid.body.id}/audit`)
        .set('Authorization', as(PRIYA));
      expect(audit.body.items[0]).toMatchObject({
        action: 'gate.open-rapid',
        actor: PRIYA,
        after: { rapidReason: 'Hotfix for a declined-card bug' },
      });
    });

    it('makes votes stale when a required item changes after them', async () => {
      const knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({ knex });
      const api = request(server);
      const opened = await api
        .post(`${BASE}/entities/component/default/payment-gateway/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release: '3.0.0' });
      const gateId = opened.body.id;
      const voted = await api
        .post(`${BASE}/gates/${gateId}/signoffs`)
        .set('Authorization', as(NADIA))
        .send({ role: 'qa', verdict: 'ready' });
      const qa = (g: any) =>
        g.evaluation.roles.find((r: any) => r.role === 'qa');
      expect(qa(voted.body).readyVoters).toEqual([NADIA]);

      const item = voted.body.items.find(
        (i: any) => i.id === 'user-acceptance',
      );
      const changed = await api
        .patch(`${BASE}/gates/${gateId}/items/user-acceptance`)
        .set('Authorization', as(PRIYA))
        .send({ status: 'failed', version: item.version });
      expect(qa(changed.body).readyVoters).toEqual([]);
      expect(qa(changed.body).staleVoters).toEqual([NADIA]);
    });
  },
);
