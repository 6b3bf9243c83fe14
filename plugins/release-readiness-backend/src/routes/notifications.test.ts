/*
 * Notifications a person wants: sign-off requests go to the voters of a role
 * only once the gate is ready for their sign-off, once per gate and role, and
 * never to those whose vote already counts; each kind has its own topic. The
 * release manager's count for a busy morning (ten gates opened, three walked
 * to GO) is measured against the bound of ten.
 */
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import request from 'supertest';
import {
  as,
  MARGARET,
  MEMBERSHIP,
  PRIYA,
  sentNotifications,
  startReadinessBackend,
} from '../__testUtils__/fixtures';
import { driveToReady } from '../__testUtils__/readyGate';
import { NOTIFICATION_TOPICS } from '../notifications/ReadinessNotifier';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';
const PG = `${BASE}/entities/component/default/payment-gateway`;

/** Requests without a token act as the CI pipeline that posts evidence. */
const ci = mockCredentials.service('external:ci-pipeline', {
  permissionNames: [
    'release-readiness.evidence.create',
    'release-readiness.gate.read',
  ],
});

/** Whether a notification reaches the person, as the notifications backend would resolve it. */
function reaches(sent: NotificationSendOptions, user: string): boolean {
  if (sent.recipients.type !== 'entity') return true;
  const refs = [sent.recipients.entityRef].flat();
  const excluded = [sent.recipients.excludeEntityRef ?? []].flat();
  if (excluded.includes(user)) return false;
  return refs.some(ref => ref === user || MEMBERSHIP[user]?.includes(ref));
}

/** Waits until no notification has been sent for a while: the background work is done. */
async function quiet(ms = 400) {
  let count = -1;
  while (count !== sentNotifications.length) {
    count = sentNotifications.length;
    await new Promise(done => setTimeout(done, ms));
  }
}

describe.each(databases.eachSupportedId())(
  'notifications on %s',
  databaseId => {
    let api: ReturnType<typeof request>;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({
        knex,
        defaultCredentials: ci as any,
      });
      api = request(server);
    });

    it('asks each role once, when the gate is ready for its sign-off, and a release manager gets at most ten in a busy morning', async () => {
      await quiet();
      sentNotifications.length = 0;
      // Ten gates opened that never get far: nobody is asked to sign them.
      const idle: string[] = [];
      for (let i = 1; i <= 10; i += 1) {
        const res = await api
          .post(`${PG}/gates`)
          .set('Authorization', as(PRIYA))
          .send({ release: `idle-${i}` });
        expect(res.status).toBe(201);
        idle.push(res.body.id);
      }
      // Three gates walked to GO, the release manager recording it.
      const walked: string[] = [];
      for (let i = 1; i <= 3; i += 1) {
        const gate = await driveToReady(api, `walked-${i}`);
        const go = await api
          .post(`${BASE}/gates/${gate.id}/decision`)
          .set('Authorization', as(MARGARET))
          .send({ verdict: 'go', reason: 'Every condition is met' });
        expect(go.status).toBe(200);
        walked.push(gate.id);
      }
      await quiet();

      const signoffs = sentNotifications.filter(
        n => n.payload.topic === NOTIFICATION_TOPICS.signoff,
      );
      // One request per role (four in the template) per walked gate ...
      expect(signoffs.map(n => n.payload.scope).sort()).toEqual(
        walked
          .flatMap(id =>
            ['engineering', 'qa', 'security', 'release-management'].map(
              role => `gate:${id}:signoff:${role}`,
            ),
          )
          .sort(),
      );
      // ... none for a gate whose checklist, evidence and risk are not in.
      for (const id of idle) {
        expect(
          sentNotifications.filter(n => n.payload.scope?.includes(id)),
        ).toEqual([]);
      }
      // The requester is never asked to approve their own gate.
      for (const n of signoffs) {
        expect(reaches(n, PRIYA)).toBe(false);
      }
      const forMargaret = sentNotifications.filter(n => reaches(n, MARGARET));
      expect(forMargaret.length).toBeLessThanOrEqual(10);
      expect(forMargaret.map(n => n.payload.scope)).toEqual(
        walked.map(id => `gate:${id}:signoff:release-management`),
      );
    });

    it('gives every kind its own topic, and asks a role once per gate, also after a reopen', async () => {
      await quiet();
      sentNotifications.length = 0;
      const gate = await driveToReady(api, 'topics-1');
      const noGo = await api
        .post(`${BASE}/gates/${gate.id}/decision`)
        .set('Authorization', as(MARGARET))
        .send({ verdict: 'no-go', reason: 'The canary showed errors' });
      expect(noGo.status).toBe(200);
      await quiet();
      const topics = new Set(sentNotifications.map(n => n.payload.topic));
      expect(topics).toEqual(
        new Set([NOTIFICATION_TOPICS.signoff, NOTIFICATION_TOPICS.decision]),
      );
      // Reopened, the gate is ready again at once: its roles were asked for
      // this gate already, and are not asked twice.
      sentNotifications.length = 0;
      const reopened = await api
        .post(`${BASE}/gates/${gate.id}/decision`)
        .set('Authorization', as(PRIYA))
        .send({ transition: 'reopen', reason: 'Fixed the canary' });
      expect(reopened.status).toBe(200);
      await quiet();
      expect(
        sentNotifications.filter(
          n => n.payload.topic === NOTIFICATION_TOPICS.signoff,
        ),
      ).toEqual([]);
    });
  },
);
