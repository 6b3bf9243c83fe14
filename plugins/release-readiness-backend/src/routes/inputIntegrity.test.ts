/*
 * Input that used to be changed silently on its way to the database is now
 * refused with a 400 naming the field, on both engines: days that do not
 * exist (in every date field of every request body), lone UTF-16
 * surrogates, gate owners the catalog does not have, and window scopes
 * naming no entity or system.
 */
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import {
  as,
  ENTITIES,
  PRIYA,
  startReadinessBackend,
  TOMASZ,
} from '../__testUtils__/fixtures';
import { spec } from '../schema/openapi.generated';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';
const ENTITY_REF = 'component:default/payment-gateway';
const ENTITY = `${BASE}/entities/component/default/payment-gateway`;
const ADA = 'user:default/ada-admin';
const IMPOSSIBLE = '2026-02-30T10:00:00Z';

const ci = mockCredentials.service('external:ci', {
  permissionNames: [
    'release-readiness.evidence.create',
    'release-readiness.incident.create',
  ],
});

/** Every `date-time` field of every request body in openapi.yaml, as `a.b`. */
function bodyDateFields(): string[] {
  const schemas = (spec as any).components.schemas;
  const found = new Set<string>();
  const walk = (schema: any, path: string) => {
    if (!schema) return;
    if (schema.$ref) {
      walk(schemas[schema.$ref.split('/').pop()], path);
      return;
    }
    if (schema.format === 'date-time') found.add(path);
    for (const [key, value] of Object.entries(schema.properties ?? {})) {
      walk(value, path ? `${path}.${key}` : key);
    }
    if (schema.items) walk(schema.items, path);
  };
  for (const operations of Object.values<any>((spec as any).paths)) {
    for (const operation of Object.values<any>(operations)) {
      walk(operation?.requestBody?.content?.['application/json']?.schema, '');
    }
  }
  return [...found].sort();
}

describe.each(databases.eachSupportedId())(
  'input integrity on %s',
  databaseId => {
    let api: ReturnType<typeof request>;
    let knex: Knex;
    let releases = 0;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({
        knex,
        defaultCredentials: ci as any,
        entities: [
          ...ENTITIES,
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'System',
            metadata: { name: 'mobile-apps', namespace: 'default' },
            spec: { owner: 'group:default/checkout' },
          },
        ],
      });
      api = request(server);
    });

    async function openGate() {
      releases += 1;
      const res = await api
        .post(`${ENTITY}/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release: `7.0.${releases}` });
      expect(res.status).toBe(201);
      return res.body as { id: string; release: string };
    }

    /** For each date field: the request that carries `value` in it. */
    const dateRequests: Record<
      string,
      (value: string) => Promise<request.Response>
    > = {
      plannedAt: value =>
        api
          .post(`${ENTITY}/gates`)
          .set('Authorization', as(PRIYA))
          .send({ release: `date-${value}`, plannedAt: value }),
      'waiver.expiresAt': async value => {
        const gate = await openGate();
        return api
          .patch(`${BASE}/gates/${gate.id}/items/user-acceptance`)
          .set('Authorization', as(PRIYA))
          .send({
            status: 'waived',
            version: 1,
            waiver: { justification: 'covered by the beta', expiresAt: value },
          });
      },
      'communication.scheduledAt': async value => {
        const gate = await openGate();
        return api
          .put(`${BASE}/gates/${gate.id}/risk`)
          .set('Authorization', as(PRIYA))
          .send({
            version: 0,
            impactMatrix: [],
            communication: { audiences: ['support'], scheduledAt: value },
          });
      },
      observedAt: async value => {
        const gate = await openGate();
        return api.post(`${BASE}/evidence`).send({
          entityRef: ENTITY_REF,
          release: gate.release,
          type: 'test-report',
          status: 'passed',
          runId: `date-${value}`,
          observedAt: value,
        });
      },
      from: value =>
        api
          .post(`${BASE}/windows`)
          .set('Authorization', as(ADA))
          .send({
            id: `from-${releases++}`,
            name: 'Freeze',
            kind: 'freeze',
            from: value,
            to: '2031-01-01T00:00:00Z',
            scope: { all: true },
          }),
      to: value =>
        api
          .post(`${BASE}/windows`)
          .set('Authorization', as(ADA))
          .send({
            id: `to-${releases++}`,
            name: 'Freeze',
            kind: 'freeze',
            from: '2026-01-01T00:00:00Z',
            to: value,
            scope: { all: true },
          }),
      occurredAt: value =>
        api.post(`${BASE}/incidents`).set('Authorization', as(PRIYA)).send({
          entityRef: ENTITY_REF,
          release: '7.0.1',
          severity: 'sev3',
          title: 'Checkout errors',
          occurredAt: value,
        }),
    };

    it('covers every date field of every request body in openapi.yaml', () => {
      expect(Object.keys(dateRequests).sort()).toEqual(bodyDateFields());
    });

    describe.each(Object.keys(dateRequests))('the date field %s', field => {
      it('refuses 30 February with a 400 naming the field, and stores nothing', async () => {
        const counts = () =>
          Promise.all(
            ['evidence', 'release_windows', 'incidents'].map(table =>
              knex(table).count({ n: '*' }),
            ),
          );
        const before = await counts();
        const gatesBefore = await knex('gates').count({ n: '*' });
        const res = await dateRequests[field](IMPOSSIBLE);
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toMatch(
          new RegExp(
            `^${field.replace('.', '\\.')}: .*February 2026 has days 01 to 28`,
          ),
        );
        expect(await counts()).toEqual(before);
        // Only the gate the request needed (if any) was opened.
        const opened = [
          'waiver.expiresAt',
          'communication.scheduledAt',
          'observedAt',
        ].includes(field)
          ? 1
          : 0;
        const [{ n: gatesAfter }] = await knex('gates').count({ n: '*' });
        expect(Number(gatesAfter)).toBe(Number(gatesBefore[0].n) + opened);
      });

      it('keeps a real day (a leap day) as it was sent', async () => {
        // Evidence may not come from the future; a waiver must expire in it,
        // within the template's waiverMaxDuration (30 days): a real day
        // twenty days ahead for it.
        let day = field === 'observedAt' ? '2024-02-29' : '2028-02-29';
        if (field === 'waiver.expiresAt') {
          day = new Date(Date.now() + 20 * 86_400_000)
            .toISOString()
            .slice(0, 10);
        }
        const res = await dateRequests[field](`${day}T10:00:00Z`);
        expect([200, 201]).toContain(res.status);
        expect(JSON.stringify(res.body)).toContain(`${day}T10:00:00.000Z`);
      });
    });

    describe('lone UTF-16 surrogates', () => {
      it('in a release name are a 400 naming the field, and nothing is stored', async () => {
        const before = await knex('gates').count({ n: '*' });
        for (const release of ['1.0\ud800', '1.0\udfff', '\udc00']) {
          const res = await api
            .post(`${ENTITY}/gates`)
            .set('Authorization', as(PRIYA))
            .send({ release });
          expect(res.status).toBe(400);
          expect(res.body.error.message).toMatch(
            /^release: .*lone UTF-16 surrogate/,
          );
        }
        expect(await knex('gates').count({ n: '*' })).toEqual(before);
      });

      it('deep in a body or in a key are a 400 naming where', async () => {
        const gate = await openGate();
        const deep = await api
          .put(`${BASE}/gates/${gate.id}/risk`)
          .set('Authorization', as(PRIYA))
          .send({
            version: 0,
            impactMatrix: [
              {
                failureMode: 'x',
                impact: 'high',
                likelihood: 'low',
                mitigation: 'a\ud83db',
              },
            ],
          });
        expect(deep.status).toBe(400);
        expect(deep.body.error.message).toMatch(
          /^impactMatrix\[0\]\.mitigation: /,
        );
        const key = await api.post(`${BASE}/evidence`).send({
          entityRef: ENTITY_REF,
          release: gate.release,
          type: 'test-report',
          status: 'passed',
          runId: 'k-1',
          metrics: { 'cov\udfffer': 1 },
        });
        expect(key.status).toBe(400);
        expect(key.body.error.message).toMatch(
          /^metrics\.cov\uFFFDer: .*surrogate/,
        );
      });

      it('do not stop whole characters outside the basic plane (a pair)', async () => {
        const res = await api
          .post(`${ENTITY}/gates`)
          .set('Authorization', as(PRIYA))
          .send({ release: '2.0-\ud83d\ude80' });
        expect(res.status).toBe(201);
        expect(res.body.release).toBe('2.0-🚀');
      });
    });

    describe('gate owners', () => {
      it('that the catalog does not have are a 400 naming them, and nothing changes', async () => {
        const before = await knex('gate_owner_assignments').select();
        const res = await api
          .put(`${ENTITY}/owners`)
          .set('Authorization', as(PRIYA))
          .send({
            owners: [TOMASZ, 'user:default/nobody', 'group:default/ghosts'],
          });
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toBe(
          'owners: no such user or group in the catalog: user:default/nobody, group:default/ghosts',
        );
        expect(await knex('gate_owner_assignments').select()).toEqual(before);
      });

      it('that exist are assigned, whatever the case they are written in', async () => {
        const res = await api
          .put(`${ENTITY}/owners`)
          .set('Authorization', as(PRIYA))
          .send({ owners: ['user:Tomasz-Kowalski', 'group:default/qa'] });
        expect(res.status).toBe(200);
        expect(res.body.assigned).toEqual([TOMASZ, 'group:default/qa']);
        await api
          .put(`${ENTITY}/owners`)
          .set('Authorization', as(PRIYA))
          .send({ owners: [] })
          .expect(200);
      });
    });

    describe('window scopes', () => {
      const window = (id: string, scope: object) =>
        api.post(`${BASE}/windows`).set('Authorization', as(ADA)).send({
          id,
          name: 'Mobile freeze',
          kind: 'freeze',
          from: '2031-03-01T00:00:00Z',
          to: '2031-03-02T00:00:00Z',
          scope,
        });

      it('naming a system the catalog does not have are a 400 naming the field', async () => {
        const res = await window('ghost-freeze', { systems: ['ghost-apps'] });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toBe(
          'scope.systems[0]: no system "ghost-apps" in the catalog (looked for system:default/ghost-apps)',
        );
        const entity = await window('ghost-entity', {
          entities: ['component:default/no-such-service'],
        });
        expect(entity.status).toBe(400);
        expect(entity.body.error.message).toMatch(
          /^scope\.entities\[0\]: no entity/,
        );
        const notSystem = await window('not-system', {
          systems: ['component:default/payment-gateway'],
        });
        expect(notSystem.status).toBe(400);
        expect(notSystem.body.error.message).toMatch(
          /^scope\.systems\[0\]: .*is not a system/,
        );
        expect(
          await knex('release_windows').whereIn('id', [
            'ghost-freeze',
            'ghost-entity',
            'not-system',
          ]),
        ).toEqual([]);
      });

      it('resolve short names to the full refs of what exists, which then match', async () => {
        const res = await window('mobile-freeze', {
          systems: ['mobile-apps', 'Payments-Platform'],
          entities: ['payment-gateway'],
        });
        expect(res.status).toBe(201);
        expect(res.body.scope).toEqual({
          systems: [
            'system:default/mobile-apps',
            'system:default/payments-platform',
          ],
          entities: ['component:default/payment-gateway'],
        });
        // The payment gateway is in the payments platform: the window applies.
        const gate = await api
          .post(`${ENTITY}/gates`)
          .set('Authorization', as(PRIYA))
          .send({ release: 'mobile-1', plannedAt: '2031-03-01T12:00:00Z' });
        expect(
          gate.body.evaluation.blockers.map((b: any) => b.message).join('\n'),
        ).toMatch(/Mobile freeze/);
      });
    });
  },
);
