/*
 * The blameless debrief of a gate (issue 18), through the API on both
 * engines: held once a gate is released, rolled back, NO-GO or cancelled,
 * by its gate owners only; no field for a person (a body naming one is
 * refused); every follow-up with an owner from the catalog and a due date;
 * audited; in the dossier; compare-and-set on its version (of two writes at
 * once, one wins); overdue follow-ups reminded once per due date, however
 * many replicas run the reminders.
 */
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import request from 'supertest';
import {
  as,
  HIROSHI,
  PRIYA,
  sentNotifications,
  startReadinessBackend,
  TOMASZ,
} from '../__testUtils__/fixtures';
import { policyPermissions } from '../__testUtils__/policyPermissions';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';
const PG = `${BASE}/entities/component/default/payment-gateway`;
const PAYMENTS = 'group:default/payments';
const ci = mockCredentials.service('external:ci-pipeline');

const day = (offsetDays: number) =>
  new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

const answers = {
  wentWell: 'The canary caught the latency regression in ten minutes.',
  wentWrong:
    'The load-test evidence was three weeks old and nothing flagged it.',
  toChange: 'Make the load test part of the release pipeline.',
};

describe.each(databases.eachSupportedId())(
  'the debrief of a gate on %s',
  databaseId => {
    let api: ReturnType<typeof request>;
    let knex: Knex;
    let count = 0;
    const tasks: (SchedulerServiceTaskScheduleDefinition & {
      id: string;
      fn: () => Promise<void>;
    })[] = [];

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({
        knex,
        defaultCredentials: ci as any,
        features: [
          policyPermissions.factory,
          mockServices.scheduler.mock({
            scheduleTask: async (task: any) => {
              tasks.push(task);
            },
          }).factory,
        ],
      });
      api = request(server);
    });

    async function openGate() {
      count += 1;
      const res = await api
        .post(`${PG}/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release: `7.${count}.0` });
      expect(res.status).toBe(201);
      return res.body;
    }

    async function decide(gateId: string, body: object) {
      const res = await api
        .post(`${BASE}/gates/${gateId}/decision`)
        .set('Authorization', as(PRIYA))
        .send(body);
      expect(res.status).toBeLessThan(300);
    }

    const put = (gateId: string, body: object, user = PRIYA) =>
      api
        .put(`${BASE}/gates/${gateId}/debrief`)
        .set('Authorization', as(user))
        .send(body);
    const get = (gateId: string, user = HIROSHI) =>
      api.get(`${BASE}/gates/${gateId}/debrief`).set('Authorization', as(user));

    it('is asked for once the gate is over, recorded by a gate owner, audited and in the dossier', async () => {
      const gate = await openGate();
      expect((await get(gate.id)).body).toEqual({ due: false });
      const early = await put(gate.id, { ...answers, followUps: [] });
      expect(early.status).toBe(409);
      expect(early.body.error.message).toMatch(
        /The gate is in progress; a debrief is held after release, rollback, NO-GO or cancel/,
      );

      await decide(gate.id, { verdict: 'no-go', reason: 'Load test stale' });
      expect((await get(gate.id)).body).toEqual({ due: true });
      const recorded = await put(gate.id, {
        ...answers,
        followUps: [
          {
            action: 'Add the load test to the pipeline',
            owner: PAYMENTS,
            dueDate: day(14),
          },
          { action: 'Alert on stale evidence', owner: TOMASZ, dueDate: day(7) },
        ],
      });
      expect(recorded.status).toBe(200);
      expect(recorded.body).toMatchObject({
        gateId: gate.id,
        entityRef: 'component:default/payment-gateway',
        release: gate.release,
        ...answers,
        recordedBy: PRIYA,
        version: 1,
      });
      expect(
        recorded.body.followUps.map((f: any) => [f.action, f.owner, f.done]),
      ).toEqual([
        ['Add the load test to the pipeline', PAYMENTS, false],
        ['Alert on stale evidence', TOMASZ, false],
      ]);
      // Whoever may read the gate reads its debrief.
      expect((await get(gate.id)).body).toEqual({
        due: true,
        debrief: recorded.body,
      });

      const trail = await api
        .get(`${BASE}/gates/${gate.id}/audit`)
        .set('Authorization', as(PRIYA));
      const events = trail.body.items.filter(
        (e: any) => e.action === 'gate.debrief',
      );
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        actor: PRIYA,
        before: null,
        after: { toChange: answers.toChange },
      });

      const dossier = await api
        .get(`${BASE}/gates/${gate.id}/dossier?format=md`)
        .set('Authorization', as(PRIYA));
      expect(dossier.text).toContain('## Debrief');
      expect(dossier.text).toContain(`> ${answers.wentWrong}`);
      expect(dossier.text).toMatch(
        /\| Add the load test to the pipeline \| group:default\/payments \| \d{4}-\d{2}-\d{2} \| no \|/,
      );
    });

    it('refuses a person field, an empty debrief, follow-ups without an owner or a due date, unknown owners and past dates', async () => {
      const gate = await openGate();
      await decide(gate.id, { transition: 'cancel', reason: 'superseded' });
      const follow = (extra: object) => ({
        ...answers,
        followUps: [
          { action: 'Do it', owner: PAYMENTS, dueDate: day(3), ...extra },
        ],
      });
      const refused: [object, RegExp][] = [
        [{ ...answers, followUps: [], causedBy: TOMASZ }, /causedBy/],
        [{ ...answers, followUps: [], people: [TOMASZ] }, /people/],
        [
          { wentWell: ' ', wentWrong: '', toChange: '', followUps: [] },
          /at least one answer/,
        ],
        [
          {
            ...answers,
            followUps: [{ action: 'Do it', dueDate: day(3) }],
          },
          /owner/,
        ],
        [
          { ...answers, followUps: [{ action: 'Do it', owner: PAYMENTS }] },
          /dueDate/,
        ],
        [follow({ responsible: TOMASZ }), /responsible/],
        [
          follow({ owner: 'component:default/payment-gateway' }),
          /user or group/,
        ],
        [
          follow({ owner: 'group:default/nobody-here' }),
          /no catalog user or group named group:default\/nobody-here/,
        ],
        [follow({ dueDate: day(-2) }), /is in the past/],
        [follow({ dueDate: '2027-02-30' }), /due date, YYYY-MM-DD/],
        [follow({ action: '   ' }), /action/],
      ];
      for (const [body, message] of refused) {
        const res = await put(gate.id, body);
        expect([res.status, res.body.error?.message]).toEqual([
          400,
          expect.stringMatching(message),
        ]);
      }
      expect((await get(gate.id)).body).toEqual({ due: true });

      // Only the gate owners, never a pipeline's token.
      const stranger = await put(gate.id, follow({}), HIROSHI);
      expect(stranger.status).toBe(403);
      expect(stranger.body.error.message).toMatch(
        /Only the gate owners of component:default\/payment-gateway may record its debrief/,
      );
      const service = await api
        .put(`${BASE}/gates/${gate.id}/debrief`)
        .send(follow({}));
      expect(service.status).toBe(403);
      expect((await get(gate.id)).body).toEqual({ due: true });
    });

    it('is edited on the version seen: follow-ups closed, changed and removed; of two writes at once one wins', async () => {
      const gate = await openGate();
      await decide(gate.id, { transition: 'cancel', reason: 'superseded' });
      const first = await Promise.all([
        put(gate.id, { ...answers, followUps: [] }, PRIYA),
        put(gate.id, { ...answers, followUps: [] }, TOMASZ),
      ]);
      expect(first.map(r => r.status).sort()).toEqual([200, 409]);
      const v1 = first.find(r => r.status === 200)!.body;

      const withActions = await put(gate.id, {
        ...answers,
        followUps: [
          { action: 'One', owner: PAYMENTS, dueDate: day(5) },
          { action: 'Two', owner: PRIYA, dueDate: day(6) },
        ],
        version: v1.version,
      });
      expect(withActions.status).toBe(200);
      const [one, two] = withActions.body.followUps;

      const stale = await put(gate.id, {
        ...answers,
        followUps: [],
        version: v1.version,
      });
      expect(stale.status).toBe(409);
      const unknownId = await put(gate.id, {
        ...answers,
        followUps: [{ id: 'nope', action: 'x', owner: PRIYA, dueDate: day(1) }],
        version: withActions.body.version,
      });
      expect(unknownId.status).toBe(400);

      // Closing one and removing the other, on the version seen; two such
      // edits at once: one wins.
      const edit = (user: string) =>
        put(
          gate.id,
          {
            ...answers,
            followUps: [{ ...one, done: true }].map(
              ({ doneAt, doneBy, ...f }: any) => f,
            ),
            version: withActions.body.version,
          },
          user,
        );
      const edits = await Promise.all([edit(PRIYA), edit(TOMASZ)]);
      expect(edits.map(r => r.status).sort()).toEqual([200, 409]);
      const closed = edits.find(r => r.status === 200)!.body;
      expect(closed.followUps).toEqual([
        expect.objectContaining({
          id: one.id,
          done: true,
          doneBy: expect.stringMatching(/priya|tomasz/),
        }),
      ]);
      expect(closed.followUps.map((f: any) => f.id)).not.toContain(two.id);
      expect(closed.version).toBe(withActions.body.version + 1);
    });

    it('reminds the owner of an overdue follow-up once per due date, and counts it for the team', async () => {
      const gate = await openGate();
      await decide(gate.id, { transition: 'cancel', reason: 'superseded' });
      const recorded = await put(gate.id, {
        ...answers,
        followUps: [
          {
            action: 'Rotate the on-call runbook',
            owner: TOMASZ,
            dueDate: day(1),
          },
        ],
      });
      expect(recorded.status).toBe(200);
      const [followUp] = recorded.body.followUps;
      // Time passes: the due date is yesterday now.
      await knex('debrief_follow_ups')
        .where({ id: followUp.id })
        .update({ due_date: day(-1) });

      const reminders = tasks.find(
        t => t.id === 'release-readiness-reminders',
      )!;
      sentNotifications.length = 0;
      await reminders.fn();
      await reminders.fn(); // a second run, or another replica: nothing new
      const overdue = sentNotifications.filter(n =>
        n.payload.title.startsWith('Follow-up overdue'),
      );
      expect(overdue).toHaveLength(1);
      expect(overdue[0].recipients).toMatchObject({ entityRef: [TOMASZ] });
      expect(overdue[0].payload).toMatchObject({
        topic: 'Overdue follow-ups',
        description: expect.stringContaining('Rotate the on-call runbook'),
      });

      const learning = await api
        .get(`${BASE}/portfolio/learning`)
        .set('Authorization', as(PRIYA));
      expect(learning.status).toBe(200);
      const payments = learning.body.teams.find(
        (t: any) => t.owner === PAYMENTS,
      );
      expect(payments.overdueFollowUps).toBeGreaterThanOrEqual(1);
      expect(payments.openFollowUps).toBeGreaterThanOrEqual(
        payments.overdueFollowUps,
      );

      // Done: no more reminders, and no longer open.
      const done = await put(gate.id, {
        ...answers,
        followUps: [
          {
            id: followUp.id,
            action: followUp.action,
            owner: followUp.owner,
            dueDate: day(-1),
            done: true,
          },
        ],
        version: recorded.body.version,
      });
      expect(done.status).toBe(200);
      sentNotifications.length = 0;
      await knex('debrief_follow_ups')
        .where({ id: followUp.id })
        .update({ due_date: day(-2) });
      await reminders.fn();
      expect(
        sentNotifications.filter(n =>
          n.payload.title.startsWith('Follow-up overdue'),
        ),
      ).toEqual([]);
    });
  },
);
