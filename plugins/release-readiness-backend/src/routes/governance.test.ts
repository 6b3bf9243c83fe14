/*
 * Governance of weakening (issue 14), through the API on both engines, with
 * the demo policy: every rule both ways — what the person the rule stops is
 * refused (with the words and the status), what someone else may do goes
 * through — and the bypasses: the requester in the approving group, a vote
 * written into the database around the API, a waiver to 9999.
 */
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import {
  as,
  MARGARET,
  NADIA,
  PRIYA,
  SAMUEL,
  startReadinessBackend,
  TOMASZ,
} from '../__testUtils__/fixtures';
import { policyPermissions } from '../__testUtils__/policyPermissions';
import { driveToReady } from '../__testUtils__/readyGate';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';
const PG = `${BASE}/entities/component/default/payment-gateway`;
const PG_REF = 'component:default/payment-gateway';
const DAY = 86_400_000;

/** Requests without a token act as the CI pipeline that posts evidence. */
const ci = mockCredentials.service('external:ci-pipeline', {
  permissionNames: [
    'release-readiness.evidence.create',
    'release-readiness.gate.read',
  ],
});

/** A freeze over June 2031 whose exceptions the payments team approves. */
const WINDOWS = [
  {
    id: 'june-freeze',
    name: 'June freeze',
    kind: 'freeze',
    from: '2031-06-01T00:00:00Z',
    to: '2031-07-01T00:00:00Z',
    scope: { entities: [PG_REF] },
    approvers: ['group:default/payments'],
  },
];

type Api = ReturnType<typeof request>;

const inDays = (days: number) =>
  new Date(Date.now() + days * DAY).toISOString();

async function gateOf(api: Api, id: string) {
  return (await api.get(`${BASE}/gates/${id}`).set('Authorization', as(PRIYA)))
    .body;
}

async function actionsOf(api: Api, id: string): Promise<any[]> {
  return (
    await api.get(`${BASE}/gates/${id}/audit`).set('Authorization', as(PRIYA))
  ).body.items;
}

function item(gate: any, id: string) {
  return gate.items.find((i: any) => i.id === id);
}

const messages = (gate: any) =>
  gate.evaluation.blockers.map((b: any) => b.message).join('\n');

describe.each(databases.eachSupportedId())('governance on %s', databaseId => {
  let api: Api;
  let knex: Knex;
  let releases = 0;
  const next = () => `gov-${(releases += 1)}`;

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    const { server } = await startReadinessBackend({
      knex,
      windows: WINDOWS,
      defaultCredentials: ci as any,
      features: [policyPermissions.factory],
    });
    api = request(server);
  });

  describe('the template a gate opens with', () => {
    it('needs a templateReason for another template than the one that applies, and stores nothing without', async () => {
      const before = await knex('gates').count({ n: '*' });
      const res = await api
        .post(`${PG}/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release: next(), template: 'system-gate' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        'templateReason: system-gate (tier 2 instead of tier 1) is not the template that applies to the entity, component-gate; opening a gate with it needs a reason (templateReason), which is audited, and then the approval of group:default/release-management',
      );
      expect(await knex('gates').count({ n: '*' })).toEqual(before);
    });

    it('needs nothing for the template that applies, named or not', async () => {
      for (const body of [{}, { template: 'component-gate' }]) {
        const res = await api
          .post(`${PG}/gates`)
          .set('Authorization', as(PRIYA))
          .send({ release: next(), ...body });
        expect(res.status).toBe(201);
        expect(res.body.templateApproval).toBeUndefined();
        expect(messages(res.body)).not.toMatch(/awaits approval/);
      }
    });

    it('with a reason, opens waiting for release management; GO is impossible until one approves, never the requester', async () => {
      const release = next();
      const opened = await api
        .post(`${PG}/gates`)
        .set('Authorization', as(PRIYA))
        .send({
          release,
          template: 'rapid-release',
          templateReason: 'Hotfix for declined cards',
          plannedAt: '2026-12-01T10:00:00Z',
        });
      expect(opened.status).toBe(201);
      const gate = opened.body;
      expect(gate).toMatchObject({
        templateReason: 'Hotfix for declined cards',
        templateApproval: {
          approvers: ['group:default/release-management'],
          because: 'rapid-release is the expedited (rapid) template',
          applicableTemplate: 'component-gate',
        },
      });
      expect(gate.templateApproval.approvedBy).toBeUndefined();

      // Everything else the rapid template asks for.
      const marked = await api
        .patch(`${BASE}/gates/${gate.id}/items/rollback-plan`)
        .set('Authorization', as(PRIYA))
        .send({
          status: 'passed',
          version: item(gate, 'rollback-plan').version,
        });
      expect(marked.status).toBe(200);
      const evidence = await api.post(`${BASE}/evidence`).send({
        entityRef: PG_REF,
        release,
        type: 'test-report',
        status: 'passed',
        metrics: { passed: true },
        runId: `smoke-${release}`,
      });
      expect(evidence.status).toBe(201);
      const risk = await api
        .put(`${BASE}/gates/${gate.id}/risk`)
        .set('Authorization', as(PRIYA))
        .send({
          version: 0,
          rollbackPlan: 'Redeploy the previous release',
          rollbackVerified: true,
          impactMatrix: [],
          acceptResidualRisk: true,
          consent: { gateId: gate.id, riskVersion: 0 },
        });
      expect(risk.status).toBe(200);
      for (const [user, role] of [
        [TOMASZ, 'engineering'],
        [MARGARET, 'release-management'],
      ]) {
        const vote = await api
          .post(`${BASE}/gates/${gate.id}/signoffs`)
          .set('Authorization', as(user))
          .send({ role, verdict: 'ready' });
        expect(vote.status).toBe(201);
      }
      const waiting = await gateOf(api, gate.id);
      expect(waiting.evaluation.ready).toBe(false);
      expect(waiting.evaluation.blockers).toEqual([
        {
          condition: 'signoffs',
          message:
            'The choice of template rapid-release awaits approval by group:default/release-management: rapid-release is the expedited (rapid) template; GO is not possible until one of them approves it',
        },
      ]);
      const early = await api
        .post(`${BASE}/gates/${gate.id}/decision`)
        .set('Authorization', as(TOMASZ))
        .send({ verdict: 'go', reason: 'hotfix ready' });
      expect(early.status).toBe(409);
      expect(early.body.error.message).toMatch(/awaits approval/);

      // Not the requester, not a gate owner outside the approvers.
      for (const user of [PRIYA, TOMASZ]) {
        const refused = await api
          .post(`${BASE}/gates/${gate.id}/template-approval`)
          .set('Authorization', as(user))
          .send({});
        expect(refused.status).toBe(403);
        expect(refused.body.error.message).toBe(
          'Only group:default/release-management may approve the choice of template rapid-release',
        );
      }
      const approved = await api
        .post(`${BASE}/gates/${gate.id}/template-approval`)
        .set('Authorization', as(MARGARET))
        .send({ comment: 'Outage fix, agreed in the incident call' });
      expect(approved.status).toBe(201);
      expect(approved.body.templateApproval).toMatchObject({
        approvedBy: MARGARET,
        comment: 'Outage fix, agreed in the incident call',
      });
      expect(approved.body.evaluation.ready).toBe(true);
      const again = await api
        .post(`${BASE}/gates/${gate.id}/template-approval`)
        .set('Authorization', as(MARGARET))
        .send({});
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(/already approved by/);

      const trail = await actionsOf(api, gate.id);
      expect(trail.map(e => e.action)).toContain('gate.template-approval');
      expect(
        trail.find(e => e.action === 'gate.open-rapid').after,
      ).toMatchObject({
        templateReason: 'Hotfix for declined cards',
        templateApproval: { approvers: ['group:default/release-management'] },
      });
      const go = await api
        .post(`${BASE}/gates/${gate.id}/decision`)
        .set('Authorization', as(TOMASZ))
        .send({ verdict: 'go', reason: 'hotfix ready' });
      expect(go.status).toBe(200);
    });

    it('is never approved by its requester, even one in the approving group', async () => {
      // Margaret, a release manager, is made a gate owner so that she may
      // open a gate herself.
      const own = await databases.init(databaseId);
      const { server } = await startReadinessBackend({
        knex: own,
        defaultCredentials: ci as any,
        features: [policyPermissions.factory],
      });
      const local = request(server);
      const owners = await local
        .put(`${PG}/owners`)
        .set('Authorization', as(PRIYA))
        .send({ owners: [MARGARET] });
      expect(owners.status).toBe(200);
      const opened = await local
        .post(`${PG}/gates`)
        .set('Authorization', as(MARGARET))
        .send({
          release: next(),
          template: 'rapid-release',
          templateReason: 'Release manager in a hurry',
        });
      expect(opened.status).toBe(201);
      const self = await local
        .post(`${BASE}/gates/${opened.body.id}/template-approval`)
        .set('Authorization', as(MARGARET))
        .send({});
      expect(self.status).toBe(403);
      expect(self.body.error.message).toBe(
        `${MARGARET} may not approve the choice of template rapid-release: they requested this gate, and nobody approves their own choice of template`,
      );
      expect(
        (await gateOf(local, opened.body.id)).templateApproval.approvedBy,
      ).toBeUndefined();
    });

    it('needs no approval when it applies (409)', async () => {
      const opened = await api
        .post(`${PG}/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release: next() });
      const res = await api
        .post(`${BASE}/gates/${opened.body.id}/template-approval`)
        .set('Authorization', as(MARGARET))
        .send({});
      expect(res.status).toBe(409);
      expect(res.body.error.message).toMatch(/needs no approval/);
    });
  });

  describe('not applicable and waivers', () => {
    let gate: any;
    beforeAll(async () => {
      gate = (
        await api
          .post(`${PG}/gates`)
          .set('Authorization', as(PRIYA))
          .send({ release: next() })
      ).body;
    });

    const patch = async (itemId: string, body: object) => {
      const current = item(await gateOf(api, gate.id), itemId);
      return api
        .patch(`${BASE}/gates/${gate.id}/items/${itemId}`)
        .set('Authorization', as(PRIYA))
        .send({ version: current.version, ...body });
    };

    it('not applicable on a required item needs a justification; on an optional one it does not', async () => {
      const bare = await patch('runbook-updated', { status: 'not-applicable' });
      expect(bare.status).toBe(400);
      expect(bare.body.error.message).toBe(
        'note: Runbook and documentation updated is required; marking it not applicable needs a justification in note, which is kept in the audit trail',
      );
      const justified = await patch('runbook-updated', {
        status: 'not-applicable',
        note: 'Library release: nothing to operate',
      });
      expect(justified.status).toBe(200);
      const optional = await patch('compliance-check', {
        status: 'not-applicable',
      });
      expect(optional.status).toBe(200);
    });

    it('a waiver beyond the template maximum is a 400 naming the maximum', async () => {
      const long = await patch('release-notes', {
        status: 'waived',
        waiver: { justification: 'later', expiresAt: '9999-12-31T00:00:00Z' },
      });
      expect(long.status).toBe(400);
      expect(long.body.error.message).toMatch(
        /^waiver\.expiresAt: a waiver may run at most P30D \(the template's governance\.waiverMaxDuration\)/,
      );
      const short = await patch('release-notes', {
        status: 'waived',
        waiver: {
          justification: 'published with the next train',
          expiresAt: inDays(29),
        },
      });
      expect(short.status).toBe(200);
      expect(item(short.body, 'release-notes').waiver.approval).toBeUndefined();
      expect(messages(short.body)).not.toMatch(/Release notes published/);
    });

    it("a waiver of a required security item waits for security's approval, not the waiver's author nor another team", async () => {
      const waived = await patch('security-review', {
        status: 'waived',
        waiver: { justification: 'reviewed with 1.4', expiresAt: inDays(7) },
      });
      expect(waived.status).toBe(200);
      expect(item(waived.body, 'security-review').waiver.approval).toEqual({
        approvers: ['group:default/security'],
      });
      expect(messages(waived.body)).toContain(
        'Security review done is waived but the waiver awaits approval by group:default/security and does not count until then',
      );
      const url = `${BASE}/gates/${gate.id}/items/security-review/waiver-approval`;
      for (const user of [PRIYA, TOMASZ, MARGARET]) {
        const refused = await api
          .post(url)
          .set('Authorization', as(user))
          .send({});
        expect(refused.status).toBe(403);
        expect(refused.body.error.message).toBe(
          'Only group:default/security may approve the waiver of Security review done',
        );
      }
      const approved = await api
        .post(url)
        .set('Authorization', as(SAMUEL))
        .send({ comment: 'threat model unchanged' });
      expect(approved.status).toBe(201);
      expect(
        item(approved.body, 'security-review').waiver.approval,
      ).toMatchObject({
        approvedBy: SAMUEL,
        comment: 'threat model unchanged',
      });
      expect(messages(approved.body)).not.toMatch(/Security review done/);
      expect((await actionsOf(api, gate.id)).map(e => e.action)).toContain(
        'item.waiver-approval',
      );
      const again = await api
        .post(url)
        .set('Authorization', as(SAMUEL))
        .send({});
      expect(again.status).toBe(409);
    });

    it('a waiver of an automated security item waits too', async () => {
      const waived = await patch('security-scan', {
        status: 'waived',
        waiver: { justification: 'scanner down', expiresAt: inDays(2) },
      });
      expect(waived.status).toBe(200);
      expect(messages(waived.body)).toMatch(
        /No critical or high vulnerabilities: the waiver awaits approval by group:default\/security/,
      );
    });
  });

  describe('segregation of duties', () => {
    it('refuses a second role to one person (409), and does not count one written around the API', async () => {
      const own = await databases.init(databaseId);
      const { server } = await startReadinessBackend({
        knex: own,
        defaultCredentials: ci as any,
        features: [policyPermissions.factory],
      });
      const local = request(server);
      // Nadia, in QA, is made a gate owner too: eligible for two roles.
      const owners = await local
        .put(`${PG}/owners`)
        .set('Authorization', as(PRIYA))
        .send({ owners: [NADIA] });
      expect(owners.status).toBe(200);
      const gate = (
        await local
          .post(`${PG}/gates`)
          .set('Authorization', as(PRIYA))
          .send({ release: 'sod-1' })
      ).body;
      const qa = await local
        .post(`${BASE}/gates/${gate.id}/signoffs`)
        .set('Authorization', as(NADIA))
        .send({ role: 'qa', verdict: 'ready' });
      expect(qa.status).toBe(201);
      const second = await local
        .post(`${BASE}/gates/${gate.id}/signoffs`)
        .set('Authorization', as(NADIA))
        .send({ role: 'engineering', verdict: 'ready' });
      expect(second.status).toBe(409);
      expect(second.body.error.message).toBe(
        `${NADIA} already signed off for Quality assurance on this gate; one person fills at most one role on a gate (governance.oneRolePerPerson), so Engineering needs someone else`,
      );
      // Voting again in her own role is fine.
      const same = await local
        .post(`${BASE}/gates/${gate.id}/signoffs`)
        .set('Authorization', as(NADIA))
        .send({ role: 'qa', verdict: 'ready', comment: 'again' });
      expect(same.status).toBe(201);

      // Written into the database around the API, a second role counts for nothing.
      const row = await own('votes')
        .where({ gate_id: gate.id, voter: NADIA })
        .whereNull('superseded_at')
        .first();
      await own('votes').insert({
        ...row,
        id: 'forged-second-role',
        role: 'engineering',
        at: new Date(Date.parse(row.at) + 1000).toISOString(),
      });
      const after = (
        await local
          .get(`${BASE}/gates/${gate.id}`)
          .set('Authorization', as(PRIYA))
      ).body;
      const engineering = after.evaluation.roles.find(
        (r: any) => r.role === 'engineering',
      );
      expect(engineering.readyVoters).toEqual([]);
      expect(messages(after)).toContain(
        `The vote of ${NADIA} does not count: they count for Quality assurance already, and one person fills at most one role on a gate`,
      );
    });

    it('the requester may not record GO on their own gate (403); another gate owner may', async () => {
      const gate = await driveToReady(api, next());
      const own = await api
        .post(`${BASE}/gates/${gate.id}/decision`)
        .set('Authorization', as(PRIYA))
        .send({ verdict: 'go', reason: 'all green' });
      expect(own.status).toBe(403);
      expect(own.body.error.message).toBe(
        `${PRIYA} requested this gate and its template forbids self-approval (governance.selfApproval): GO must be done by another gate owner or a release manager`,
      );
      expect((await gateOf(api, gate.id)).state).toBe('in-progress');
      // NO-GO stays possible for anyone who may decide.
      const go = await api
        .post(`${BASE}/gates/${gate.id}/decision`)
        .set('Authorization', as(TOMASZ))
        .send({ verdict: 'go', reason: 'all green' });
      expect(go.status).toBe(200);
    });

    it('the requester may not approve a window exception for their own gate; another approver may, on a gate in progress only', async () => {
      const opened = await api
        .post(`${PG}/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release: next(), plannedAt: '2031-06-10T10:00:00Z' });
      expect(opened.status).toBe(201);
      const url = `${BASE}/gates/${opened.body.id}/window-exception`;
      const own = await api
        .post(url)
        .set('Authorization', as(PRIYA))
        .send({ windowId: 'june-freeze', reason: 'customer deadline' });
      expect(own.status).toBe(403);
      expect(own.body.error.message).toMatch(
        /requested this gate and its template forbids self-approval \(governance\.selfApproval\): an exception to June freeze must be done by another gate owner or a release manager$/,
      );
      const other = await api
        .post(url)
        .set('Authorization', as(TOMASZ))
        .send({ windowId: 'june-freeze', reason: 'customer deadline' });
      expect(other.status).toBe(201);

      // A gate decided NO-GO is not in progress: no exception.
      const noGo = await api
        .post(`${BASE}/gates/${opened.body.id}/decision`)
        .set('Authorization', as(TOMASZ))
        .send({ verdict: 'no-go', reason: 'not this month' });
      expect(noGo.status).toBe(200);
      const late = await api
        .post(url)
        .set('Authorization', as(TOMASZ))
        .send({ windowId: 'june-freeze', reason: 'again' });
      expect(late.status).toBe(409);
      expect(late.body.error.message).toMatch(
        /a window exception is approved only for a gate in progress$/,
      );
    });
  });

  describe('stale votes', () => {
    const staleOf = (gate: any) =>
      gate.evaluation.roles.flatMap((r: any) => r.staleVoters);

    it('when the rollback plan changes, not when only the communication plan does', async () => {
      const gate = await driveToReady(api, next());
      const put = (version: number, change: object) =>
        api
          .put(`${BASE}/gates/${gate.id}/risk`)
          .set('Authorization', as(PRIYA))
          .send({
            version,
            rollbackPlan: gate.risk.rollbackPlan,
            impactMatrix: gate.risk.impactMatrix,
            communication: {
              audiences: ['support'],
              scheduledAt: '2026-12-01T09:00:00Z',
            },
            ...change,
          });
      const minor = await put(gate.risk.version, {
        communication: {
          audiences: ['support', 'sales'],
          scheduledAt: '2026-12-01T09:00:00Z',
        },
      });
      expect(minor.status).toBe(200);
      expect(staleOf(minor.body)).toEqual([]);
      const material = await put(minor.body.risk.version, {
        rollbackPlan: 'Roll forward only',
      });
      expect(material.status).toBe(200);
      expect(staleOf(material.body).sort()).toEqual(
        [MARGARET, NADIA, SAMUEL, TOMASZ].sort(),
      );
      expect(material.body.evaluation.ready).toBe(false);
      const stale = (await actionsOf(api, gate.id)).find(
        e => e.action === 'signoffs.stale',
      );
      expect(stale).toMatchObject({
        actor: PRIYA,
        after: {
          because: 'the risk assessment changed materially (rollbackPlan)',
        },
      });
    });

    it('when new evidence fails an automated item, not when evidence keeps it passing', async () => {
      const gate = await driveToReady(api, next());
      const post = (passed: boolean, runId: string) =>
        api.post(`${BASE}/evidence`).send({
          entityRef: PG_REF,
          release: gate.release,
          type: 'test-report',
          status: passed ? 'passed' : 'failed',
          metrics: { passed },
          runId,
        });
      // The portfolio's summary, stored with each fact, is the gate's
      // evaluation as a fresh read gives it: the gate as the fact's
      // transaction read it when no vote went stale, and as the stale
      // votes left it when some did.
      const summaryAgrees = async () => {
        // The row first: a read of the gate writes the summary again when
        // it differs.
        const row = await knex('entities')
          .where({ entity_ref: PG_REF })
          .first();
        const fresh = await gateOf(api, gate.id);
        expect({
          gateId: row.current_gate_id,
          verdict: row.current_verdict,
          score: Number(row.current_score),
          blockers: Number(row.current_blockers),
        }).toEqual({
          gateId: gate.id,
          verdict: fresh.evaluation.verdict,
          score: fresh.evaluation.score,
          blockers: fresh.evaluation.blockers.length,
        });
        return fresh;
      };
      expect((await post(true, 'rerun-green')).status).toBe(201);
      expect(staleOf(await summaryAgrees())).toEqual([]);
      expect((await post(false, 'rerun-red')).status).toBe(201);
      const after = await summaryAgrees();
      expect(staleOf(after).length).toBe(4);
      expect(after.checklistRevision).toBe(gate.checklistRevision + 1);
      const stale = (await actionsOf(api, gate.id)).find(
        e => e.action === 'signoffs.stale',
      );
      expect(stale.after.because).toBe(
        'test-report evidence of run rerun-red changed Unit and integration tests pass (passed to failed)',
      );
    });
  });
});
