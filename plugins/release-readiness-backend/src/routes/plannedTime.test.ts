/*
 * The planned release time can be set and moved after a gate is opened
 * (PATCH /gates/:id/planned), by its gate owners only, while it is in
 * progress, audited and re-evaluated against the release windows; on both
 * engines. Bad dates are a 400 naming the field, a closed gate or a stale
 * version a 409, and two moves made on the same version: one wins.
 */
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  as,
  NADIA,
  PRIYA,
  startReadinessBackend,
  TOMASZ,
} from '../__testUtils__/fixtures';
import { policyPermissions } from '../__testUtils__/policyPermissions';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';
const PG = `${BASE}/entities/component/default/payment-gateway`;
const DAY = 24 * 3_600_000;

const ci = mockCredentials.service('external:ci', {
  permissionNames: ['release-readiness.evidence.create'],
});

describe.each(databases.eachSupportedId())(
  'the planned release time after opening, on %s',
  databaseId => {
    let api: ReturnType<typeof request>;
    let releases = 0;
    const now = Date.now();
    const freezeFrom = new Date(now + 10 * DAY);
    const freezeTo = new Date(now + 12 * DAY);
    const inFreeze = new Date(now + 11 * DAY).toISOString();
    const afterFreeze = new Date(now + 13 * DAY).toISOString();

    beforeAll(async () => {
      const { server } = await startReadinessBackend({
        knex: await databases.init(databaseId),
        defaultCredentials: ci as any,
        // The real policy: only gate owners may edit a gate.
        features: [policyPermissions.factory],
        windows: [
          {
            id: 'launch-freeze',
            name: 'Launch freeze',
            kind: 'freeze',
            from: freezeFrom.toISOString(),
            to: freezeTo.toISOString(),
            scope: { all: true },
            approvers: ['group:default/release-management'],
          },
        ],
      });
      api = request(server);
    });

    /** A new gate of the payment gateway, opened without a planned time. */
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
        .send({ release: `planned-${releases}` });
      expect(opened.status).toBe(201);
      expect(opened.body.plannedAt).toBeUndefined();
      return opened.body;
    }

    const plan = (gateId: string, body: object, user?: string) => {
      const req = api.patch(`${BASE}/gates/${gateId}/planned`);
      return (user ? req.set('Authorization', as(user)) : req).send(body);
    };

    const windowCondition = (gate: any) =>
      gate.evaluation.conditions.find((c: any) => c.id === 'window');

    it('sets the time on an open gate, re-evaluates the windows and audits the change', async () => {
      const gate = await newGate();
      expect(windowCondition(gate).met).toBe(false);

      const frozen = await plan(
        gate.id,
        { plannedAt: inFreeze, version: gate.version },
        PRIYA,
      );
      expect(frozen.status).toBe(200);
      expect(frozen.body.plannedAt).toBe(inFreeze);
      expect(frozen.body.version).toBe(gate.version + 1);
      expect(windowCondition(frozen.body).met).toBe(false);
      expect(
        windowCondition(frozen.body).blockers.map((b: any) => b.message),
      ).toEqual([expect.stringContaining("'Launch freeze'")]);

      // Another gate owner moves it after the freeze: the window is met.
      const moved = await plan(
        gate.id,
        { plannedAt: afterFreeze, version: frozen.body.version },
        TOMASZ,
      );
      expect(moved.status).toBe(200);
      expect(moved.body.plannedAt).toBe(afterFreeze);
      expect(windowCondition(moved.body).met).toBe(true);

      // The portfolio summary moved with it, in the same transaction.
      const reread = await api.get(PG).set('Authorization', as(PRIYA));
      expect(reread.body.currentGate.plannedAt).toBe(afterFreeze);

      const trail = await api
        .get(`${BASE}/gates/${gate.id}/audit`)
        .set('Authorization', as(PRIYA));
      const planned = trail.body.items.filter(
        (e: any) => e.action === 'gate.planned',
      );
      expect(planned).toEqual([
        expect.objectContaining({
          actor: PRIYA,
          before: { plannedAt: null },
          after: { plannedAt: inFreeze },
        }),
        expect.objectContaining({
          actor: TOMASZ,
          before: { plannedAt: inFreeze },
          after: { plannedAt: afterFreeze },
        }),
      ]);
    });

    it('is refused to someone who is not a gate owner (403) and to a service token', async () => {
      const gate = await newGate();
      const qa = await plan(gate.id, { plannedAt: afterFreeze }, NADIA);
      expect(qa.status).toBe(403);
      expect(qa.body.error.message).toContain(
        'may change its planned release time',
      );
      const service = await plan(gate.id, { plannedAt: afterFreeze });
      expect([401, 403]).toContain(service.status);
      const after = await api
        .get(`${BASE}/gates/${gate.id}`)
        .set('Authorization', as(PRIYA));
      expect(after.body.plannedAt).toBeUndefined();
    });

    it('refuses dates that do not exist and bodies without a date, naming the field (400)', async () => {
      const gate = await newGate();
      const impossible = await plan(
        gate.id,
        { plannedAt: '2026-02-30T10:00:00Z' },
        PRIYA,
      );
      expect(impossible.status).toBe(400);
      expect(impossible.body.error.message).toMatch(/plannedAt/);
      const garbage = await plan(gate.id, { plannedAt: 'next tuesday' }, PRIYA);
      expect(garbage.status).toBe(400);
      expect(garbage.body.error.message).toMatch(/plannedAt/);
      const missing = await plan(gate.id, {}, PRIYA);
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toMatch(/plannedAt/);
    });

    it('refuses a stale version and a gate no longer in progress (409)', async () => {
      const gate = await newGate();
      const stale = await plan(
        gate.id,
        { plannedAt: afterFreeze, version: gate.version + 5 },
        PRIYA,
      );
      expect(stale.status).toBe(409);
      expect(stale.body.error.message).toMatch(/^version: /);

      await api
        .post(`${BASE}/gates/${gate.id}/decision`)
        .set('Authorization', as(PRIYA))
        .send({ transition: 'cancel', reason: 'wrong release' });
      const closed = await plan(gate.id, { plannedAt: afterFreeze }, PRIYA);
      expect(closed.status).toBe(409);
      expect(closed.body.error.message).toContain(
        'can only be changed while it is in progress',
      );
    });

    it('of two moves made on the same version, exactly one is written', async () => {
      const gate = await newGate();
      const answers = await Promise.all([
        plan(gate.id, { plannedAt: inFreeze, version: gate.version }, PRIYA),
        plan(
          gate.id,
          { plannedAt: afterFreeze, version: gate.version },
          TOMASZ,
        ),
      ]);
      const statuses = answers.map(a => a.status).sort();
      expect(statuses).toEqual([200, 409]);
      const winner = answers.find(a => a.status === 200)!;
      const stored = await api
        .get(`${BASE}/gates/${gate.id}`)
        .set('Authorization', as(PRIYA));
      expect(stored.body.plannedAt).toBe(winner.body.plannedAt);
    });

    it('races a cancel: either the move lands before it, or it is refused and nothing moves', async () => {
      for (let round = 0; round < 4; round += 1) {
        const gate = await newGate();
        const [moved, cancelled] = await Promise.all([
          plan(gate.id, { plannedAt: afterFreeze }, TOMASZ),
          api
            .post(`${BASE}/gates/${gate.id}/decision`)
            .set('Authorization', as(PRIYA))
            .send({ transition: 'cancel', reason: 'race' }),
        ]);
        expect(cancelled.status).toBe(200);
        const stored = await api
          .get(`${BASE}/gates/${gate.id}`)
          .set('Authorization', as(PRIYA));
        expect(stored.body.state).toBe('cancelled');
        const trail = (
          await api
            .get(`${BASE}/gates/${gate.id}/audit`)
            .set('Authorization', as(PRIYA))
        ).body.items.map((e: any) => e.action);
        const planned = trail.indexOf('gate.planned');
        let audited = 'never';
        if (planned >= 0) {
          audited =
            planned < trail.indexOf('gate.cancelled')
              ? 'before the cancel'
              : 'after the cancel';
        }
        const outcome = {
          status: moved.status,
          plannedAt: stored.body.plannedAt ?? null,
          audited,
        };
        // Either the move committed first, or it was refused and left nothing.
        expect(outcome).toEqual(
          moved.status === 200
            ? {
                status: 200,
                plannedAt: afterFreeze,
                audited: 'before the cancel',
              }
            : { status: 409, plannedAt: null, audited: 'never' },
        );
      }
    });
  },
);
