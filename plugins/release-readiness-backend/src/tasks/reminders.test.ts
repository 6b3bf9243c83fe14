import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import request from 'supertest';
import {
  as,
  PRIYA,
  sentNotifications,
  startReadinessBackend,
} from '../__testUtils__/fixtures';
import { runReminders } from './reminders';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const HOUR = 3_600_000;

describe.each(databases.eachSupportedId())(
  'background reminders on %s',
  databaseId => {
    it('warns of a freeze ahead and of stale evidence, once each, on the scheduler', async () => {
      const tasks: (SchedulerServiceTaskScheduleDefinition & {
        id: string;
        fn: () => Promise<void>;
      })[] = [];
      const now = Date.now();
      const knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({
        knex,
        defaultCredentials: mockCredentials.service('external:ci', {
          permissionNames: ['release-readiness.evidence.create'],
        }) as any,
        windows: [
          {
            id: 'db-migration-freeze',
            name: 'Database migration freeze',
            kind: 'freeze',
            from: new Date(now + 12 * HOUR).toISOString(),
            to: new Date(now + 36 * HOUR).toISOString(),
            scope: { all: true },
            approvers: ['group:default/release-management'],
          },
        ],
        features: [
          mockServices.scheduler.mock({
            scheduleTask: async (task: any) => {
              tasks.push(task);
            },
          }).factory,
        ],
      });
      const api = request(server);
      expect(tasks.map(t => t.id).sort()).toEqual([
        'release-readiness-entity-index',
        'release-readiness-reminders',
        'release-readiness-summaries',
      ]);
      const reminders = tasks.find(
        t => t.id === 'release-readiness-reminders',
      )!;
      expect(reminders.frequency).toEqual({ minutes: 15 });
      expect(
        tasks.find(t => t.id === 'release-readiness-summaries')!.frequency,
      ).toEqual({ minutes: 15 });

      const gate = await api
        .post(
          '/api/release-readiness/entities/component/default/payment-gateway/gates',
        )
        .set('Authorization', as(PRIYA))
        .send({
          release: '6.0.0',
          plannedAt: new Date(now + 20 * HOUR).toISOString(),
        });
      expect(gate.status).toBe(201);
      const evidence = await api.post('/api/release-readiness/evidence').send({
        entityRef: 'component:default/payment-gateway',
        release: '6.0.0',
        type: 'test-report',
        status: 'passed',
        metrics: { passed: true },
        runId: 'old-run',
        observedAt: new Date(now - 10 * 24 * HOUR).toISOString(),
      });
      expect(evidence.status).toBe(201);

      sentNotifications.length = 0;
      await reminders.fn();
      await reminders.fn(); // a second run, or another replica: nothing new
      const titles = sentNotifications.map(n => n.payload.title);
      expect(titles.filter(t => t.startsWith('Freeze ahead'))).toEqual([
        'Freeze ahead: Database migration freeze',
      ]);
      expect(
        titles.filter(t => t.startsWith('Evidence went stale')),
      ).toHaveLength(1);
      const freeze = sentNotifications.find(n =>
        n.payload.title.startsWith('Freeze ahead'),
      );
      expect(freeze?.recipients).toMatchObject({
        entityRef: ['group:default/payments'],
      });
      expect(freeze?.payload.description).toMatch(/release 6\.0\.0/);
    });
  },
);

describe('runReminders', () => {
  it('pages through every live gate, a hundred at a time', async () => {
    const live = Array.from({ length: 250 }, (_, i) => ({
      id: `gate-${String(i).padStart(3, '0')}`,
      entityRef: `component:default/svc-${i}`,
      state: 'go',
    }));
    const pages: { after?: string; limit?: number }[] = [];
    const seen: string[] = [];
    const gates = {
      async listLiveGates(options: { after?: string; limit?: number }) {
        pages.push(options);
        return live
          .filter(g => !options.after || g.id > options.after)
          .slice(0, options.limit);
      },
    };
    const entities = {
      async getEntity({ entityRef }: { entityRef: string }) {
        seen.push(entityRef);
        return undefined;
      },
    };
    const domain = {
      evaluator: { allWindows: async () => [] },
      access: {
        gateResource: async (entityRef: string) => ({
          entityRef,
          ownerRefs: [],
        }),
      },
    };
    await runReminders({
      domain: domain as any,
      gates: gates as any,
      entities: entities as any,
      notificationClaims: {} as any,
      notifier: {} as any,
    });
    expect(pages).toEqual([
      { limit: 100 },
      { after: 'gate-099', limit: 100 },
      { after: 'gate-199', limit: 100 },
      { after: 'gate-249', limit: 100 },
    ]);
    expect(seen).toEqual(live.map(g => g.entityRef));
  });
});
