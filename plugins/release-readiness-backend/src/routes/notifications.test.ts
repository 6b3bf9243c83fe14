/*
 * Notifications a person wants: sign-off requests go to the eligible members
 * of a role still missing, only once the gate is ready for their sign-off,
 * once per gate and role, and never to those whose vote already counts or
 * who opened the gate; beyond three an hour a person's requests wait for one
 * digest; each kind has its own topic. The release manager's count for a
 * busy morning (ten gates opened, three walked to GO) is measured against
 * the bound of ten, and every notification's recipients exactly.
 */
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import request from 'supertest';
import {
  as,
  BEN,
  MARGARET,
  MEMBERSHIP,
  NADIA,
  PRIYA,
  SAMUEL,
  sentNotifications,
  startReadinessBackend,
  TOMASZ,
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
    let knex: Knex;
    let reminders: () => Promise<void>;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const tasks: { id: string; fn: () => Promise<void> }[] = [];
      const { server } = await startReadinessBackend({
        knex,
        defaultCredentials: ci as any,
        config: {
          notifications: { digest: { maxPerPeriod: 3, period: { hours: 1 } } },
        },
        features: [
          mockServices.scheduler.mock({
            scheduleTask: async (task: any) => {
              tasks.push(task);
            },
          }).factory,
        ],
      });
      api = request(server);
      reminders = tasks.find(t => t.id === 'release-readiness-reminders')!.fn;
    });

    /** Who each sign-off request of the gate went to, by role. */
    function signoffRecipients(gateId: string) {
      return Object.fromEntries(
        sentNotifications
          .filter(n => n.payload.scope?.startsWith(`gate:${gateId}:signoff:`))
          .map(n => [
            n.payload.scope!.split(':').pop(),
            n.recipients.type === 'entity' ? n.recipients.entityRef : 'all',
          ]),
      );
    }

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

      // Each walked gate asked each of its four roles once, of exactly the
      // role's eligible members: the gate owners (less Priya, who opened
      // it), QA's two members, Security's and Release management's one.
      for (const id of walked) {
        expect(signoffRecipients(id)).toEqual({
          engineering: [TOMASZ],
          qa: [BEN, NADIA],
          security: [SAMUEL],
          'release-management': [MARGARET],
        });
      }
      // The decisions went to the gate owners, not to who recorded them.
      const decisions = sentNotifications.filter(
        n => n.payload.topic === NOTIFICATION_TOPICS.decision,
      );
      expect(decisions).toHaveLength(3);
      for (const n of decisions) {
        expect(n.recipients).toEqual({
          type: 'entity',
          entityRef: ['group:default/payments'],
          excludeEntityRef: MARGARET,
        });
      }
      expect(sentNotifications).toHaveLength(3 * 4 + 3);
      // ... none for a gate whose checklist, evidence and risk are not in.
      for (const id of idle) {
        expect(
          sentNotifications.filter(n => n.payload.scope?.includes(id)),
        ).toEqual([]);
      }
      // The requester is never asked to approve their own gate.
      for (const n of sentNotifications) {
        expect(reaches(n, PRIYA)).toBe(
          n.payload.topic === NOTIFICATION_TOPICS.decision,
        );
      }
      const forMargaret = sentNotifications.filter(n => reaches(n, MARGARET));
      expect(forMargaret.length).toBeLessThanOrEqual(10);
      expect(forMargaret.map(n => n.payload.scope)).toEqual(
        walked.map(id => `gate:${id}:signoff:release-management`),
      );
    });

    it('holds what exceeds three an hour for one digest of what is still due, asks a role once per gate also after a reopen, each kind under its topic', async () => {
      await quiet();
      sentNotifications.length = 0;
      // Everyone asked had three requests within the hour: a fourth gate's
      // wait for their digest; its NO-GO goes out at once.
      const decided = await driveToReady(api, 'topics-1');
      const noGo = await api
        .post(`${BASE}/gates/${decided.id}/decision`)
        .set('Authorization', as(MARGARET))
        .send({ verdict: 'no-go', reason: 'The canary showed errors' });
      expect(noGo.status).toBe(200);
      const waiting = await driveToReady(api, 'waiting-1', { votes: false });
      await quiet();
      expect(sentNotifications.map(n => n.payload.topic)).toEqual([
        NOTIFICATION_TOPICS.decision,
      ]);
      // Reopened, the gate is ready again at once: its roles were asked for
      // this gate already, and are not asked twice.
      const reopened = await api
        .post(`${BASE}/gates/${decided.id}/decision`)
        .set('Authorization', as(PRIYA))
        .send({ transition: 'reopen', reason: 'Fixed the canary' });
      expect(reopened.status).toBe(200);
      await quiet();
      expect(sentNotifications).toHaveLength(1);
      // Within the hour, the reminders pass sends no digest.
      await reminders();
      expect(sentNotifications).toHaveLength(1);

      // An hour later: each person asked gets one digest, listing only the
      // gate still waiting for them (topics-1 got every sign-off).
      await knex('notification_deliveries')
        .where({ status: 'sent' })
        .update({
          sent_at: new Date(Date.now() - 2 * 3_600_000).toISOString(),
        });
      sentNotifications.length = 0;
      await reminders();
      await reminders(); // a second pass, or another replica: nothing more
      const digests = sentNotifications;
      expect(
        digests
          .map(n =>
            n.recipients.type === 'entity' ? n.recipients.entityRef : 'all',
          )
          .sort(),
      ).toEqual([[BEN], [MARGARET], [NADIA], [SAMUEL], [TOMASZ]]);
      for (const n of digests) {
        expect(n.payload).toMatchObject({
          title: 'Sign-offs needed: 1 release',
          topic: NOTIFICATION_TOPICS.signoff,
          link: '/catalog/default/component/payment-gateway/readiness',
        });
        expect(n.payload.description).toContain('waiting-1');
        expect(n.payload.description).not.toContain('topics-1');
      }
      expect(waiting.state).toBe('in-progress');
    });
  },
);
