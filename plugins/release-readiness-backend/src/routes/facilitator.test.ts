/*
 * The facilitator of a gate (issue 18), through the API on both engines:
 * proposed by the rotation among the entity's gate owners when a gate
 * opens, named or passed on by a gate owner, audited, refused for anyone
 * else, a person who is not a gate owner, a closed gate and a stale
 * version; of two changes made on the same version, one wins.
 */
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  as,
  HIROSHI,
  MARGARET,
  PRIYA,
  startReadinessBackend,
  TOMASZ,
} from '../__testUtils__/fixtures';
import { policyPermissions } from '../__testUtils__/policyPermissions';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';
const PG = `${BASE}/entities/component/default/payment-gateway`;

/** A CI token allowed everything: people-only rules must hold against it. */
const ci = mockCredentials.service('external:ci-pipeline');

describe.each(databases.eachSupportedId())(
  'the facilitator of a gate on %s',
  databaseId => {
    let api: ReturnType<typeof request>;
    let count = 0;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({
        knex,
        defaultCredentials: ci as any,
        features: [policyPermissions.factory],
      });
      api = request(server);
    });

    async function openGate() {
      count += 1;
      const res = await api
        .post(`${PG}/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release: `9.${count}.0` });
      expect(res.status).toBe(201);
      return res.body;
    }

    async function cancel(gateId: string) {
      const res = await api
        .post(`${BASE}/gates/${gateId}/decision`)
        .set('Authorization', as(PRIYA))
        .send({ transition: 'cancel', reason: 'next release' });
      expect(res.status).toBeLessThan(300);
    }

    const put = (gateId: string, body: object, user = PRIYA) =>
      api
        .put(`${BASE}/gates/${gateId}/facilitator`)
        .set('Authorization', as(user))
        .send(body);

    it('takes turns among the gate owners as gates open, and a gate owner may name another or pass the turn on', async () => {
      // payment-gateway is owned by group:default/payments: Priya and Tomasz.
      const first = await openGate();
      const owners = [PRIYA, TOMASZ];
      expect(owners).toContain(first.facilitator);
      await cancel(first.id);
      const second = await openGate();
      const other = owners.find(o => o !== first.facilitator)!;
      expect(second.facilitator).toBe(other);

      // Passing the turn on: the one who is away is skipped.
      const skipped = await put(second.id, {
        skip: true,
        version: second.version,
      });
      expect(skipped.status).toBe(200);
      expect(skipped.body.facilitator).toBe(first.facilitator);
      expect(skipped.body.evaluation).toBeDefined();

      // Naming a gate owner, by full ref or by name.
      const named = await put(
        second.id,
        { facilitator: other.replace('user:default/', '') },
        TOMASZ,
      );
      expect(named.status).toBe(200);
      expect(named.body.facilitator).toBe(other);

      const trail = await api
        .get(`${BASE}/gates/${second.id}/audit`)
        .set('Authorization', as(PRIYA));
      const changes = trail.body.items.filter(
        (e: any) => e.action === 'gate.facilitator',
      );
      expect(
        changes.map((e: any) => [
          e.actor,
          e.before.facilitator,
          e.after.facilitator,
          e.after.skipped ?? null,
        ]),
      ).toEqual(
        expect.arrayContaining([
          [PRIYA, other, first.facilitator, other],
          [TOMASZ, first.facilitator, other, null],
        ]),
      );
      expect(changes).toHaveLength(2);
      await cancel(second.id);
    });

    it('refuses people who are not gate owners, a service token, bad bodies, stale versions and closed gates', async () => {
      const gate = await openGate();
      const stranger = await put(gate.id, { skip: true }, HIROSHI);
      expect(stranger.status).toBe(403);
      expect(stranger.body.error.message).toMatch(
        /Only the gate owners of component:default\/payment-gateway may change who facilitates it/,
      );
      const service = await api
        .put(`${BASE}/gates/${gate.id}/facilitator`)
        .send({ skip: true });
      expect(service.status).toBe(403);

      const notOwner = await put(gate.id, { facilitator: MARGARET });
      expect(notOwner.status).toBe(400);
      expect(notOwner.body.error.message).toMatch(
        /margaret-osei is not a gate owner of component:default\/payment-gateway; the gate owners are user:default\/priya-raman, user:default\/tomasz-kowalski/,
      );
      const both = await put(gate.id, { facilitator: PRIYA, skip: true });
      expect(both.status).toBe(400);
      const neither = await put(gate.id, {});
      expect(neither.status).toBe(400);
      const unknownField = await put(gate.id, { facilitator: PRIYA, x: 1 });
      expect(unknownField.status).toBe(400);

      const stale = await put(gate.id, {
        facilitator: TOMASZ,
        version: gate.version - 1,
      });
      expect(stale.status).toBe(409);
      const unchanged = await api
        .get(`${BASE}/gates/${gate.id}`)
        .set('Authorization', as(PRIYA));
      expect(unchanged.body.facilitator).toBe(gate.facilitator);

      await cancel(gate.id);
      const closed = await put(gate.id, { facilitator: TOMASZ });
      expect(closed.status).toBe(409);
      expect(closed.body.error.message).toMatch(
        /only be changed while it is in progress/,
      );
    });

    it('of two gate owners changing it on the same version at once, one wins and the other gets a 409', async () => {
      const gate = await openGate();
      const target = gate.facilitator === PRIYA ? TOMASZ : PRIYA;
      const answers = await Promise.all([
        put(gate.id, { facilitator: target, version: gate.version }, PRIYA),
        put(gate.id, { skip: true, version: gate.version }, TOMASZ),
      ]);
      expect(answers.map(a => a.status).sort()).toEqual([200, 409]);
      await cancel(gate.id);
    });
  },
);
