/*
 * GET /portfolio/learning on both engines: per team, debrief completion of
 * the gates that ended in the period and the follow-ups still open; per
 * person, the gates they facilitated. Computed in SQL over the entities the
 * caller may read: a person allowed only their team's gates sees only that
 * team, and only its facilitators.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  as,
  HIROSHI,
  PRIYA,
  startReadinessBackend,
} from '../__testUtils__/fixtures';
import { teamReadPermissions } from '../__testUtils__/teamReadPermissions';
import { quarterStart } from './debriefs';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';
const CHECKOUT = 'group:default/checkout';
const PAYMENTS = 'group:default/payments';

describe('quarterStart', () => {
  it('is the first instant of the quarter, in UTC', () => {
    expect(quarterStart(new Date('2026-12-06T20:00:00Z'))).toBe(
      '2026-10-01T00:00:00.000Z',
    );
    expect(quarterStart(new Date('2027-03-31T23:59:59Z'))).toBe(
      '2027-01-01T00:00:00.000Z',
    );
  });
});

describe.each(databases.eachSupportedId())(
  'GET /portfolio/learning on %s',
  databaseId => {
    let api: ReturnType<typeof request>;
    let knex: Knex;
    const facilitators: Record<string, string> = {};
    const gates: string[] = [];

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({
        knex,
        features: [teamReadPermissions.factory],
      });
      api = request(server);
      const endGate = async (path: string, release: string) => {
        const opened = await api
          .post(`${BASE}/entities/${path}/gates`)
          .set('Authorization', as(PRIYA))
          // The promotions engine's template is the rapid one: it needs a reason.
          .send(
            path.includes('promotions')
              ? { release, templateReason: 'Checkout is down' }
              : { release },
          );
        if (opened.status !== 201) throw new Error(opened.text);
        facilitators[path] = opened.body.facilitator;
        const cancelled = await api
          .post(`${BASE}/gates/${opened.body.id}/decision`)
          .set('Authorization', as(PRIYA))
          .send({ transition: 'cancel', reason: 'superseded' });
        if (cancelled.status >= 300) throw new Error(cancelled.text);
        gates.push(opened.body.id);
        return opened.body.id as string;
      };
      const payments = await endGate(
        'component/default/payment-gateway',
        '1.0.0',
      );
      await endGate('component/default/payment-gateway', '1.0.1');
      await endGate('component/default/promotions-engine', '0.9.0');
      const debrief = await api
        .put(`${BASE}/gates/${payments}/debrief`)
        .set('Authorization', as(PRIYA))
        .send({
          wentWell: '',
          wentWrong: 'The release notes were written after the freeze began.',
          toChange: 'Draft release notes when the gate opens.',
          followUps: [
            {
              action: 'Add a release-notes item to the template',
              owner: PAYMENTS,
              dueDate: new Date(Date.now() + 7 * 86_400_000)
                .toISOString()
                .slice(0, 10),
            },
          ],
        });
      if (debrief.status !== 200) throw new Error(debrief.text);
    });

    it('counts ended gates, debriefs, open follow-ups and facilitators per team, this quarter by default', async () => {
      const res = await api
        .get(`${BASE}/portfolio/learning`)
        .set('Authorization', as(PRIYA));
      expect(res.status).toBe(200);
      expect(res.body.from).toBe(quarterStart(new Date()));
      expect(res.body.teams).toEqual([
        {
          owner: CHECKOUT,
          endedGates: 1,
          debriefed: 0,
          openFollowUps: 0,
          overdueFollowUps: 0,
        },
        {
          owner: PAYMENTS,
          endedGates: 2,
          debriefed: 1,
          openFollowUps: 1,
          overdueFollowUps: 0,
        },
      ]);
      const expected = new Map<string, number>();
      for (const person of [
        facilitators['component/default/payment-gateway'],
        facilitators['component/default/payment-gateway'],
        facilitators['component/default/promotions-engine'],
      ]) {
        expected.set(person, (expected.get(person) ?? 0) + 1);
      }
      // Rotation: the payment gateway's two gates had two facilitators.
      expect(
        res.body.facilitators.reduce((n: number, f: any) => n + f.gates, 0),
      ).toBe(3);
      expect(res.body.facilitators.map((f: any) => f.person)).toContain(
        facilitators['component/default/promotions-engine'],
      );

      const team = await api
        .get(`${BASE}/portfolio/learning?owner=${PAYMENTS}`)
        .set('Authorization', as(PRIYA));
      expect(team.body.teams.map((t: any) => t.owner)).toEqual([PAYMENTS]);
    });

    it('keeps to the entities the caller may read', async () => {
      const res = await api
        .get(`${BASE}/portfolio/learning`)
        .set('Authorization', as(HIROSHI));
      expect(res.status).toBe(200);
      expect(res.body.teams.map((t: any) => t.owner)).toEqual([CHECKOUT]);
      expect(res.body.facilitators).toEqual([
        {
          person: facilitators['component/default/promotions-engine'],
          gates: 1,
        },
      ]);
    });

    it('takes a period and refuses one that ends before it starts', async () => {
      const future = await api
        .get(
          `${BASE}/portfolio/learning?from=2099-01-01T00:00:00Z&to=2099-04-01T00:00:00Z`,
        )
        .set('Authorization', as(PRIYA));
      expect([future.status, future.body.error?.message]).toEqual([
        200,
        undefined,
      ]);
      // Gates ended and facilitated in the period: none; follow-ups open now.
      expect(future.body.facilitators).toEqual([]);
      expect(future.body.teams).toEqual([
        expect.objectContaining({
          owner: PAYMENTS,
          endedGates: 0,
          openFollowUps: 1,
        }),
      ]);
      const backwards = await api
        .get(
          `${BASE}/portfolio/learning?from=2026-06-01T00:00:00Z&to=2026-01-01T00:00:00Z`,
        )
        .set('Authorization', as(PRIYA));
      expect(backwards.status).toBe(400);
      expect(backwards.body.error.message).toMatch(
        /to: must be later than from/,
      );
    });

    it('names the gate heroes: who caught a NO-GO whose fix landed, each NO-GO once', async () => {
      const at = (minutes: number) =>
        new Date(Date.now() - 3_600_000 + minutes * 60_000).toISOString();
      const vote = (
        gateId: string,
        voter: string,
        minutes: number,
        role = 'qa',
      ) => ({
        id: randomUUID(),
        gate_id: gateId,
        role,
        voter,
        voter_claims: JSON.stringify([voter]),
        verdict: 'not-ready',
        comment: 'Broken checkout',
        checklist_revision: 1,
        at: at(minutes),
        superseded_at: null,
      });
      const decision = (gateId: string, verdict: string, minutes: number) => ({
        id: randomUUID(),
        gate_id: gateId,
        verdict,
        reason: verdict,
        decided_by: 'user:default/margaret-osei',
        at: at(minutes),
        state_hash: 'x',
      });
      const [fixed, unfixed] = gates;
      // Fixed: Nadia and Ben said Not ready before the NO-GO, Nadia twice
      // (the NO-GO counts once); a later GO. Samuel voted after it: no catch.
      await knex('votes').insert([
        vote(fixed, 'user:default/nadia-haddad', 1),
        vote(fixed, 'user:default/nadia-haddad', 2, 'security'),
        vote(fixed, 'user:default/ben-carter', 3),
        vote(fixed, 'user:default/samuel-adeyemi', 20),
        vote(unfixed, 'user:default/ben-carter', 1),
      ]);
      await knex('decisions').insert([
        decision(fixed, 'no-go', 10),
        decision(fixed, 'go', 30),
        // Unfixed: a NO-GO and no GO after it.
        decision(unfixed, 'no-go', 10),
      ]);
      const res = await api
        .get(`${BASE}/portfolio/learning`)
        .set('Authorization', as(PRIYA));
      expect(res.body.heroes).toEqual([
        { person: 'user:default/ben-carter', catches: 1 },
        { person: 'user:default/nadia-haddad', catches: 1 },
      ]);
      // Hiroshi reads only checkout's gates: none of these.
      const hidden = await api
        .get(`${BASE}/portfolio/learning`)
        .set('Authorization', as(HIROSHI));
      expect(hidden.body.heroes).toEqual([]);
    });
  },
);
