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
      ]);
      const reminders = tasks.find(
        t => t.id === 'release-readiness-reminders',
      )!;
      expect(reminders.frequency).toEqual({ minutes: 15 });

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
