/*
 * Consent is explicit: an acceptance of the residual risk or an approval of
 * the communication plan is recorded only when the body names the gate it is
 * given on and the risk version the person saw. A form filled for another
 * gate (the earlier gate of the same service, say) records nothing; neither
 * does one filled on a version someone else has since replaced. On both
 * engines.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  as,
  PRIYA,
  startReadinessBackend,
  TOMASZ,
} from '../__testUtils__/fixtures';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';
const PG = `${BASE}/entities/component/default/payment-gateway`;

const ROW = {
  failureMode: 'Card authorisations time out',
  impact: 'high',
  likelihood: 'low',
  mitigation: 'Canary',
};

describe.each(databases.eachSupportedId())(
  'consent on the risk assessment, on %s',
  databaseId => {
    let api: ReturnType<typeof request>;
    let releases = 0;

    beforeAll(async () => {
      const { server } = await startReadinessBackend({
        knex: await databases.init(databaseId),
      });
      api = request(server);
    });

    /** A new gate of the payment gateway; the one before it is cancelled. */
    async function newGate() {
      const current = (await api.get(PG).set('Authorization', as(PRIYA))).body
        .currentGate;
      if (current && ['in-progress', 'go', 'no-go'].includes(current.state)) {
        await api
          .post(`${BASE}/gates/${current.id}/decision`)
          .set('Authorization', as(PRIYA))
          .send({ transition: 'cancel', reason: 'next' });
      }
      releases += 1;
      const opened = await api
        .post(`${PG}/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release: `consent-${releases}` });
      expect(opened.status).toBe(201);
      return opened.body;
    }

    const putRisk = (gateId: string, body: object, user = PRIYA) =>
      api
        .put(`${BASE}/gates/${gateId}/risk`)
        .set('Authorization', as(user))
        .send({ impactMatrix: [ROW], ...body });

    const riskOf = async (gateId: string) =>
      (await api.get(`${BASE}/gates/${gateId}`).set('Authorization', as(PRIYA)))
        .body.risk;

    it('records an acceptance and an approval that name this gate and its version', async () => {
      const gate = await newGate();
      const res = await putRisk(gate.id, {
        version: 0,
        acceptResidualRisk: true,
        communication: { audiences: ['support'], approve: true },
        consent: { gateId: gate.id, riskVersion: 0 },
      });
      expect(res.status).toBe(200);
      expect(res.body.risk).toMatchObject({
        residualRisk: { acceptedBy: PRIYA },
        communication: { approvedBy: PRIYA },
      });
    });

    it.each([
      ['accepting the residual risk', { acceptResidualRisk: true }],
      [
        'approving the communication plan',
        { communication: { audiences: ['support'], approve: true } },
      ],
    ])(
      'refuses %s without a consent (400), recording nothing',
      async (what, body) => {
        const gate = await newGate();
        const res = await putRisk(gate.id, { version: 0, ...body });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(
          new RegExp(`^consent: ${what} needs a consent naming this gate`),
        );
        expect(await riskOf(gate.id)).toBeUndefined();
      },
    );

    it('refuses a consent given on another gate (409): the earlier gate’s form records nothing', async () => {
      const earlier = await newGate();
      const next = await newGate();
      const res = await putRisk(next.id, {
        version: 0,
        acceptResidualRisk: true,
        communication: { audiences: ['support'], approve: true },
        consent: { gateId: earlier.id, riskVersion: 0 },
      });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toBe(
        `consent.gateId: the consent for accepting the residual risk and approving the communication plan names gate ${earlier.id}, not this gate (release ${next.release}); nothing was recorded. Reload the gate and tick the box again if you mean it`,
      );
      expect(await riskOf(next.id)).toBeUndefined();
    });

    it('refuses a consent given on an older risk version (409)', async () => {
      const gate = await newGate();
      expect((await putRisk(gate.id, { version: 0 })).status).toBe(200);
      // Priya's form was filled on version 0; Tomasz saved version 1 since.
      const res = await putRisk(gate.id, {
        version: 1,
        acceptResidualRisk: true,
        consent: { gateId: gate.id, riskVersion: 0 },
      });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toMatch(
        /^consent\.riskVersion: .* given on risk assessment version 0, but it is at version 1; nothing was recorded/,
      );
      expect((await riskOf(gate.id)).residualRisk).toBeUndefined();
    });

    it('takes edits without consent, and keeps an earlier acceptance when the save says nothing about it', async () => {
      const gate = await newGate();
      await putRisk(gate.id, {
        version: 0,
        acceptResidualRisk: true,
        consent: { gateId: gate.id, riskVersion: 0 },
      });
      const res = await putRisk(
        gate.id,
        { version: 1, rollbackPlan: 'Redeploy' },
        TOMASZ,
      );
      expect(res.status).toBe(200);
      expect(res.body.risk).toMatchObject({
        rollbackPlan: 'Redeploy',
        residualRisk: { acceptedBy: PRIYA },
        updatedBy: TOMASZ,
      });
      // Withdrawing needs no consent either.
      const withdrawn = await putRisk(gate.id, {
        version: 2,
        acceptResidualRisk: false,
      });
      expect(withdrawn.status).toBe(200);
      expect(withdrawn.body.risk.residualRisk).toBeUndefined();
    });

    it('lets one of two acceptances sent at once on the same version through', async () => {
      const gate = await newGate();
      const body = {
        version: 0,
        acceptResidualRisk: true,
        consent: { gateId: gate.id, riskVersion: 0 },
      };
      const answers = await Promise.all([
        putRisk(gate.id, body, PRIYA).then(r => r),
        putRisk(gate.id, body, TOMASZ).then(r => r),
      ]);
      expect(answers.map(a => a.status).sort()).toEqual([200, 409]);
      const winner = answers.find(a => a.status === 200)!;
      expect((await riskOf(gate.id)).residualRisk.acceptedBy).toBe(
        winner.body.risk.residualRisk.acceptedBy,
      );
    });
  },
);
