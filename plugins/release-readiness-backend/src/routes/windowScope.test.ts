/*
 * Which windows apply to an entity, as the tab's "Next freeze" and "Next
 * train" see them (GET /windows?entityRef=): the evaluation's own scope
 * matching (GateEvaluator.windowsApplyingTo), on both engines. A freeze of
 * pci-tagged services is not a plain service's, and the freeze of its own
 * system that is in force now is listed with its open occurrence.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import {
  as,
  ENTITIES,
  PRIYA,
  startReadinessBackend,
} from '../__testUtils__/fixtures';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';
const HOUR = 3_600_000;

const CARD_VAULT: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'card-vault', namespace: 'default', tags: ['pci'] },
  spec: {
    type: 'service',
    owner: 'group:default/payments',
    lifecycle: 'production',
    system: 'trading',
  },
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/payments' },
    { type: 'partOf', targetRef: 'system:default/trading' },
  ],
};

describe.each(databases.eachSupportedId())(
  'the windows that apply to an entity on %s',
  databaseId => {
    let api: ReturnType<typeof request>;
    const now = Date.now();
    const iso = (hours: number) => new Date(now + hours * HOUR).toISOString();

    beforeAll(async () => {
      const { server } = await startReadinessBackend({
        knex: await databases.init(databaseId),
        entities: [...ENTITIES, CARD_VAULT],
        windows: [
          {
            id: 'pci-freeze',
            name: 'PCI freeze',
            kind: 'freeze',
            from: iso(-24),
            to: iso(48),
            scope: { tags: ['PCI'] },
            approvers: ['group:default/release-management'],
          },
          {
            id: 'payments-freeze',
            name: 'Payments freeze',
            kind: 'freeze',
            from: iso(-2),
            to: iso(24),
            scope: { systems: ['system:default/payments-platform'] },
            approvers: ['group:default/release-management'],
          },
          {
            id: 'company-train',
            name: 'Company train',
            kind: 'train',
            cron: '0 9 * * 1-5',
            duration: 'PT8H',
            scope: { all: true },
            approvers: [],
          },
        ],
      });
      api = request(server);
      // Opening a gate indexes the entity: its system and tags.
      for (const name of ['payment-gateway', 'card-vault']) {
        const res = await api
          .post(`${BASE}/entities/component/default/${name}/gates`)
          .set('Authorization', as(PRIYA))
          .send({ release: '1.0.0', plannedAt: iso(3) });
        if (res.status !== 201) throw new Error(JSON.stringify(res.body));
      }
    });

    const windowsOf = async (entityRef: string) => {
      const res = await api
        .get(`${BASE}/windows`)
        .query({ entityRef })
        .set('Authorization', as(PRIYA));
      expect(res.status).toBe(200);
      return res.body.items as any[];
    };

    it("lists a service's own freezes, not those of tags it does not have", async () => {
      const items = await windowsOf('component:default/payment-gateway');
      expect(items.map(w => w.id)).toEqual([
        'payments-freeze',
        'company-train',
      ]);
      // The freeze in force now, with its open occurrence.
      expect(items[0].current).toEqual({ start: iso(-2), end: iso(24) });
      expect(items[0].next).toBeUndefined();
      // Refs in any case.
      expect(
        (await windowsOf('Component:default/Payment-Gateway')).map(w => w.id),
      ).toEqual(['payments-freeze', 'company-train']);
    });

    it('lists a tagged service the freezes of its tags, any case', async () => {
      const items = await windowsOf('component:default/card-vault');
      expect(items.map(w => w.id)).toEqual(['pci-freeze', 'company-train']);
    });

    it('agrees with the evaluation: the freezes listed are those that block', async () => {
      for (const name of ['payment-gateway', 'card-vault']) {
        const ref = `component:default/${name}`;
        const listed = (await windowsOf(ref))
          .filter(w => w.kind === 'freeze')
          .map(w => w.name as string);
        const gate = (
          await api
            .get(`${BASE}/entities/component/default/${name}`)
            .set('Authorization', as(PRIYA))
        ).body.currentGate;
        const blockers: string = gate.evaluation.conditions
          .find((c: any) => c.id === 'window')
          .blockers.map((b: any) => b.message)
          .join(' ');
        for (const freeze of ['PCI freeze', 'Payments freeze']) {
          expect({
            name,
            freeze,
            blocks: blockers.includes(`'${freeze}'`),
          }).toEqual({
            name,
            freeze,
            blocks: listed.includes(freeze),
          });
        }
      }
    });

    it('lists every window without an entity', async () => {
      const res = await api
        .get(`${BASE}/windows`)
        .set('Authorization', as(PRIYA));
      expect(res.body.items.map((w: any) => w.id)).toEqual([
        'pci-freeze',
        'payments-freeze',
        'company-train',
      ]);
    });
  },
);
