/*
 * Windows as a maintained object (issue 16), through the API on both
 * engines with the demo policy: editing (a version and a history row per
 * change; two edits at once cannot both win), retiring (never deleted; what
 * referred to the window still resolves it; it no longer blocks), and
 * exceptions requested by a gate owner, approved or rejected with a reason
 * by exactly the approvers the window names.
 */
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import {
  as,
  MARGARET,
  NADIA,
  HIROSHI,
  PRIYA,
  SAMUEL,
  sentNotifications,
  startReadinessBackend,
  TOMASZ,
} from '../__testUtils__/fixtures';
import { policyPermissions } from '../__testUtils__/policyPermissions';
import { NOTIFICATION_TOPICS } from '../notifications/ReadinessNotifier';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';
const PG = `${BASE}/entities/component/default/payment-gateway`;
const PG_REF = 'component:default/payment-gateway';
const ADA = 'user:default/ada-admin';
const RELEASE_MANAGEMENT = 'group:default/release-management';
const SECURITY = 'group:default/security';
const PAYMENTS = 'group:default/payments';
const IN_JUNE = '2031-06-10T10:00:00Z';
const IN_AUGUST = '2031-08-10T10:00:00Z';

/** A CI token allowed everything: user-only rules must hold against it. */
const ci = mockCredentials.service('external:ci-pipeline');

/** A config window: edited in app-config, never through the API. */
const CONFIG_WINDOWS = [
  {
    id: 'config-freeze',
    name: 'Config freeze',
    kind: 'freeze',
    from: '2032-01-01T00:00:00Z',
    to: '2032-01-02T00:00:00Z',
    scope: { entities: ['component:default/promotions-engine'] },
    approvers: [RELEASE_MANAGEMENT],
  },
];

type Api = ReturnType<typeof request>;

function freeze(id: string, approvers: string[] = [RELEASE_MANAGEMENT]) {
  return {
    id,
    name: `Freeze ${id}`,
    kind: 'freeze',
    from: '2031-06-01T00:00:00Z',
    to: '2031-07-01T00:00:00Z',
    scope: { entities: [PG_REF] },
    approvers,
  };
}

/**
 * Whether the window named `Freeze <id>` blocks the gate: the suite's
 * windows overlap, so each test asks about its own by the quoted name.
 */
const blockedBy = (gate: any, id: string) =>
  gate.evaluation.blockers.some(
    (b: any) =>
      b.condition === 'window' && b.message.includes(`'Freeze ${id}'`),
  );

describe.each(databases.eachSupportedId())(
  'release windows as maintained objects on %s',
  databaseId => {
    let api: Api;
    let knex: Knex;
    let count = 0;
    const next = (prefix = 'w') => `${prefix}-${(count += 1)}`;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({
        knex,
        windows: CONFIG_WINDOWS,
        defaultCredentials: ci as any,
        features: [policyPermissions.factory],
      });
      api = request(server);
    });

    async function createWindow(body: object) {
      const res = await api
        .post(`${BASE}/windows`)
        .set('Authorization', as(ADA))
        .send(body);
      expect(res.status).toBe(201);
      return res.body;
    }

    async function openGate(plannedAt = IN_JUNE, by = PRIYA) {
      const res = await api
        .post(`${PG}/gates`)
        .set('Authorization', as(by))
        .send({ release: next('rel'), plannedAt });
      expect(res.status).toBe(201);
      return res.body;
    }

    async function gateOf(id: string) {
      return (
        await api.get(`${BASE}/gates/${id}`).set('Authorization', as(PRIYA))
      ).body;
    }

    const edit = (id: string, body: object, user = ADA) =>
      api
        .put(`${BASE}/windows/${id}`)
        .set('Authorization', as(user))
        .send(body);

    const retire = (id: string, body: object, user = ADA) =>
      api
        .post(`${BASE}/windows/${id}/retire`)
        .set('Authorization', as(user))
        .send(body);

    const ask = (gateId: string, body: object, user = PRIYA) =>
      api
        .post(`${BASE}/gates/${gateId}/window-exception-requests`)
        .set('Authorization', as(user))
        .send(body);

    const approve = (gateId: string, body: object, user: string) =>
      api
        .post(`${BASE}/gates/${gateId}/window-exception`)
        .set('Authorization', as(user))
        .send(body);

    const reject = (
      gateId: string,
      requestId: string,
      body: object,
      user: string,
    ) =>
      api
        .post(
          `${BASE}/gates/${gateId}/window-exception-requests/${requestId}/reject`,
        )
        .set('Authorization', as(user))
        .send(body);

    const { id: _omit, ...definition } = freeze('x');
    void _omit;

    describe('editing', () => {
      it('keeps a version and a history row per change, with who and why', async () => {
        const id = next('edit');
        const created = await createWindow(freeze(id));
        expect(created.version).toBe(1);
        const res = await edit(id, {
          ...definition,
          name: 'Renamed freeze',
          version: 1,
          reason: 'the board moved it',
        });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          id,
          name: 'Renamed freeze',
          version: 2,
          updatedBy: ADA,
        });
        const got = await api
          .get(`${BASE}/windows/${id}`)
          .set('Authorization', as(PRIYA));
        expect(got.status).toBe(200);
        expect(
          got.body.history.map((h: any) => [
            h.version,
            h.action,
            h.actor,
            h.reason ?? null,
            h.window.name,
          ]),
        ).toEqual([
          [1, 'create', ADA, null, `Freeze ${id}`],
          [2, 'edit', ADA, 'the board moved it', 'Renamed freeze'],
        ]);
      });

      it('a scope edit moves the window off a gate it blocked, and an empty scope is refused', async () => {
        const id = next('scope');
        await createWindow(freeze(id));
        const gate = await openGate();
        expect(blockedBy(await gateOf(gate.id), id)).toBe(true);
        const empty = await edit(id, {
          ...definition,
          scope: {},
          version: 1,
          reason: 'narrowed',
        });
        expect(empty.status).toBe(400);
        expect(blockedBy(await gateOf(gate.id), id)).toBe(true);
        const narrowed = await edit(id, {
          ...definition,
          scope: { tags: ['no-such-tag'] },
          version: 1,
          reason: 'only the tagged services launch',
        });
        expect(narrowed.status).toBe(200);
        expect(narrowed.body.scope).toEqual({ tags: ['no-such-tag'] });
        expect(blockedBy(await gateOf(gate.id), id)).toBe(false);
      });

      it('answers 400 without a reason or a version, and for an invalid window, changing nothing', async () => {
        const id = next('edit');
        await createWindow(freeze(id));
        const noReason = await edit(id, { ...definition, version: 1 });
        expect(noReason.status).toBe(400);
        expect(noReason.body.error.message).toMatch(/reason/);
        const blank = await edit(id, {
          ...definition,
          version: 1,
          reason: '   ',
        });
        expect(blank.status).toBe(400);
        const noVersion = await edit(id, { ...definition, reason: 'x' });
        expect(noVersion.status).toBe(400);
        expect(noVersion.body.error.message).toMatch(/version/);
        const invalid = await edit(id, {
          ...definition,
          from: '2031-08-01T00:00:00Z',
          version: 1,
          reason: 'x',
        });
        expect(invalid.status).toBe(400);
        expect(invalid.body.error.message).toMatch(/^to: |from/);
        const got = await api
          .get(`${BASE}/windows/${id}`)
          .set('Authorization', as(PRIYA));
        expect(got.body.version).toBe(1);
        expect(got.body.history).toHaveLength(1);
      });

      it('is for admins only, people only: 403 for a gate owner and for a service token', async () => {
        const id = next('edit');
        await createWindow(freeze(id));
        const body = { ...definition, version: 1, reason: 'mine now' };
        const owner = await edit(id, body, PRIYA);
        expect(owner.status).toBe(403);
        expect(owner.body.error.message).toBe(
          'Only admins may edit release windows',
        );
        const service = await api.put(`${BASE}/windows/${id}`).send(body);
        expect(service.status).toBe(403);
        const retiredByService = await api
          .post(`${BASE}/windows/${id}/retire`)
          .send({ version: 1, reason: 'x' });
        expect(retiredByService.status).toBe(403);
        expect(
          (await knex('release_window_versions').where({ window_id: id }))
            .length,
        ).toBe(1);
      });

      it('answers 404 for an unknown window and 409 for a config window', async () => {
        const body = { ...definition, version: 1, reason: 'x' };
        const unknown = await edit('no-such-window', body);
        expect(unknown.status).toBe(404);
        const config = await edit('config-freeze', body);
        expect(config.status).toBe(409);
        expect(config.body.error.message).toMatch(/defined in app-config/);
        const configRetire = await retire('config-freeze', {
          version: 1,
          reason: 'x',
        });
        expect(configRetire.status).toBe(409);
      });

      it('creates a window once when two admins create the same id at once; the other gets a 409', async () => {
        const id = next('create');
        const results = await Promise.all(
          [1, 2].map(() =>
            api
              .post(`${BASE}/windows`)
              .set('Authorization', as(ADA))
              .send(freeze(id)),
          ),
        );
        expect(results.map(r => r.status).sort()).toEqual([201, 409]);
        expect(
          await knex('release_window_versions').where({ window_id: id }),
        ).toHaveLength(1);
      });

      it('lets one of two concurrent edits of the same version win; the other gets a 409', async () => {
        const id = next('race');
        await createWindow(freeze(id));
        const results = await Promise.all(
          ['first', 'second'].map(name =>
            edit(id, {
              ...definition,
              name,
              version: 1,
              reason: `edit ${name}`,
            }),
          ),
        );
        expect(results.map(r => r.status).sort()).toEqual([200, 409]);
        const lost = results.find(r => r.status === 409)!;
        expect(lost.body.error.message).toMatch(
          /version: the release window .* is at version 2, not 1|changed while this change was made/,
        );
        const won = results.find(r => r.status === 200)!;
        const got = await api
          .get(`${BASE}/windows/${id}`)
          .set('Authorization', as(PRIYA));
        expect(got.body.version).toBe(2);
        expect(got.body.name).toBe(won.body.name);
        expect(got.body.history.map((h: any) => h.version)).toEqual([1, 2]);
        // A stale version afterwards is a 409 too.
        const stale = await edit(id, {
          ...definition,
          version: 1,
          reason: 'late',
        });
        expect(stale.status).toBe(409);
      });
    });

    describe('retiring', () => {
      it('stops the window from blocking, keeps it and its history, and what referred to it still resolves', async () => {
        const id = next('retire');
        await createWindow(freeze(id));
        const gate = await openGate();
        expect(blockedBy(gate, id)).toBe(true);
        // An approval refers to the window before it is retired.
        const approved = await approve(
          gate.id,
          { windowId: id, reason: 'customer deadline' },
          MARGARET,
        );
        expect(approved.status).toBe(201);

        const noReason = await retire(id, { version: 1 });
        expect(noReason.status).toBe(400);
        const res = await retire(id, {
          version: 1,
          reason: 'the launch moved',
        });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          id,
          version: 2,
          retiredBy: ADA,
          retireReason: 'the launch moved',
        });
        expect(res.body.retiredAt).toEqual(expect.any(String));
        // Never deleted.
        expect(
          await knex('release_windows').where({ id }).first(),
        ).toBeDefined();

        // It blocks no gate: a new gate planned inside it is not blocked.
        const later = await openGate();
        expect(blockedBy(later, id)).toBe(false);
        expect(blockedBy(await gateOf(gate.id), id)).toBe(false);

        // Listed only when asked for; resolvable by id with its history.
        const list = await api
          .get(`${BASE}/windows`)
          .set('Authorization', as(PRIYA));
        expect(list.body.items.map((w: any) => w.id)).not.toContain(id);
        const withRetired = await api
          .get(`${BASE}/windows?include=retired`)
          .set('Authorization', as(PRIYA));
        expect(
          withRetired.body.items.find((w: any) => w.id === id),
        ).toMatchObject({ retiredBy: ADA });
        const got = await api
          .get(`${BASE}/windows/${id}`)
          .set('Authorization', as(PRIYA));
        expect(got.status).toBe(200);
        expect(got.body.history.map((h: any) => h.action)).toEqual([
          'create',
          'retire',
        ]);

        // The gate that referred to it still evaluates, and its dossier and
        // exception list still name the window's approval.
        const dossier = await api
          .get(`${BASE}/gates/${gate.id}/dossier`)
          .set('Authorization', as(PRIYA));
        expect(dossier.status).toBe(200);
        expect(dossier.body.windows.exceptions).toEqual([
          expect.objectContaining({ windowId: id, counts: false }),
        ]);
        expect(dossier.body.windows.referenced).toEqual([
          expect.objectContaining({
            id,
            retiredBy: ADA,
            retireReason: 'the launch moved',
          }),
        ]);
        const markdown = await api
          .get(`${BASE}/gates/${gate.id}/dossier?format=md`)
          .set('Authorization', as(PRIYA));
        expect(markdown.text).toContain(
          `- Freeze ${id} (${id}), version 2: retired by ${ADA}`,
        );
        expect(markdown.text).toContain('(no longer counts)');
        const exceptions = await api
          .get(`${BASE}/gates/${gate.id}/window-exceptions`)
          .set('Authorization', as(PRIYA));
        expect(exceptions.status).toBe(200);
        expect(exceptions.body.approvals).toEqual([
          expect.objectContaining({ windowId: id, counts: false }),
        ]);
        const audit = await api
          .get(`${BASE}/gates/${gate.id}/audit`)
          .set('Authorization', as(PRIYA));
        expect(audit.body.items.map((e: any) => e.action)).toContain(
          'window.exception',
        );
      });

      it('cannot be undone, edited or reused: 409', async () => {
        const id = next('retire');
        await createWindow(freeze(id));
        expect((await retire(id, { version: 1, reason: 'done' })).status).toBe(
          200,
        );
        const again = await retire(id, { version: 2, reason: 'again' });
        expect(again.status).toBe(409);
        expect(again.body.error.message).toMatch(/was retired/);
        const edited = await edit(id, {
          ...definition,
          version: 2,
          reason: 'revive',
        });
        expect(edited.status).toBe(409);
        const reused = await api
          .post(`${BASE}/windows`)
          .set('Authorization', as(ADA))
          .send(freeze(id));
        expect(reused.status).toBe(409);
        const stale = await retire(next('retire'), { version: 1, reason: 'x' });
        expect(stale.status).toBe(404);
      });
    });

    describe('exception requests', () => {
      it('a gate owner asks with a reason; exactly the approvers are told, not the asker', async () => {
        const id = next('ask');
        await createWindow(freeze(id, [RELEASE_MANAGEMENT, SECURITY]));
        const gate = await openGate();
        sentNotifications.length = 0;

        const noReason = await ask(gate.id, { windowId: id, reason: ' ' });
        expect(noReason.status).toBe(400);
        const stranger = await ask(
          gate.id,
          { windowId: id, reason: 'deadline' },
          HIROSHI,
        );
        expect(stranger.status).toBe(403);
        expect(stranger.body.error.message).toMatch(
          /Only the gate owners of component:default\/payment-gateway may request a window exception/,
        );
        const service = await api
          .post(`${BASE}/gates/${gate.id}/window-exception-requests`)
          .send({ windowId: id, reason: 'deadline' });
        expect(service.status).toBe(403);

        const res = await ask(gate.id, {
          windowId: id,
          reason: 'customer deadline',
        });
        expect(res.status).toBe(201);
        expect(res.body.request).toMatchObject({
          windowId: id,
          windowVersion: 1,
          reason: 'customer deadline',
          requestedBy: PRIYA,
          state: 'open',
        });

        const twice = await ask(
          gate.id,
          { windowId: id, reason: 'again' },
          TOMASZ,
        );
        expect(twice.status).toBe(409);
        expect(twice.body.error.message).toMatch(/asked for an exception/);

        // Notifications go out in the background.
        for (let i = 0; i < 200; i++) {
          if (sentNotifications.length) break;
          await new Promise(done => setTimeout(done, 20));
        }
        await new Promise(done => setTimeout(done, 100));
        const told = sentNotifications.filter(
          n => n.payload.topic === NOTIFICATION_TOPICS.exceptionRequest,
        );
        expect(told).toHaveLength(1);
        expect(sentNotifications).toHaveLength(1);
        // The approver groups, person by person (their members in the
        // catalog), the asker left out.
        expect(told[0].recipients).toEqual({
          type: 'entity',
          entityRef: [MARGARET, SAMUEL],
          excludeEntityRef: PRIYA,
        });
        expect(told[0].payload.description).toMatch(/customer deadline/);

        const trail = await api
          .get(`${BASE}/gates/${gate.id}/audit`)
          .set('Authorization', as(PRIYA));
        expect(trail.body.items.map((e: any) => e.action)).toContain(
          'window.exception.request',
        );
      });

      it('two owners asking at once make one request; the other gets a 409', async () => {
        const id = next('ask');
        await createWindow(freeze(id));
        const gate = await openGate();
        const results = await Promise.all(
          [PRIYA, TOMASZ].map(user =>
            ask(gate.id, { windowId: id, reason: `asked by ${user}` }, user),
          ),
        );
        expect(results.map(r => r.status).sort()).toEqual([201, 409]);
        expect(
          await knex('window_exception_requests').where({
            gate_id: gate.id,
            window_id: id,
          }),
        ).toHaveLength(1);
      });

      it('is refused for a window that does not block the planned time, or does not exist', async () => {
        const id = next('ask');
        await createWindow(freeze(id));
        const gate = await openGate(IN_AUGUST);
        const res = await ask(gate.id, { windowId: id, reason: 'why not' });
        expect(res.status).toBe(409);
        expect(res.body.error.message).toMatch(/does not block/);
        const unknown = await ask(gate.id, {
          windowId: 'nope',
          reason: 'why not',
        });
        expect(unknown.status).toBe(400);
      });

      it('only an approver may approve, never the one who asked nor the requester of the gate; the request stays open until every approver approved', async () => {
        const id = next('approve');
        await createWindow(freeze(id, [PAYMENTS, RELEASE_MANAGEMENT]));
        // Opened by Priya; Tomasz (payments, also an approver) asks.
        const gate = await openGate();
        const asked = await ask(
          gate.id,
          { windowId: id, reason: 'launch' },
          TOMASZ,
        );
        expect(asked.status).toBe(201);

        const own = await approve(
          gate.id,
          { windowId: id, reason: 'fine by me' },
          TOMASZ,
        );
        expect(own.status).toBe(403);
        expect(own.body.error.message).toMatch(
          /asked for this exception .*; another approver must approve it/,
        );
        // The gate's requester may not approve either (governance).
        const requester = await approve(
          gate.id,
          { windowId: id, reason: 'fine' },
          PRIYA,
        );
        expect(requester.status).toBe(403);
        const notApprover = await approve(
          gate.id,
          { windowId: id, reason: 'fine' },
          NADIA,
        );
        expect(notApprover.status).toBe(403);
        const noReason = await approve(
          gate.id,
          { windowId: id, reason: '' },
          MARGARET,
        );
        expect(noReason.status).toBe(400);

        const first = await approve(
          gate.id,
          { windowId: id, reason: 'release management agrees' },
          MARGARET,
        );
        expect(first.status).toBe(201);
        expect(blockedBy(first.body, id)).toBe(true);
        const list = await api
          .get(`${BASE}/gates/${gate.id}/window-exceptions`)
          .set('Authorization', as(PRIYA));
        expect(list.body.requests[0].state).toBe('open');
        expect(list.body.approvals[0]).toMatchObject({
          requestId: asked.body.request.id,
          windowVersion: 1,
          counts: true,
        });
      });

      it('an approver rejects with a reason; the gate stays blocked and GO is refused, even after another approval', async () => {
        const id = next('reject');
        await createWindow(freeze(id, [RELEASE_MANAGEMENT, SECURITY]));
        const gate = await openGate();
        const asked = await ask(gate.id, { windowId: id, reason: 'launch' });
        const requestId = asked.body.request.id;
        expect(
          (
            await approve(
              gate.id,
              { windowId: id, reason: 'ok from RM' },
              MARGARET,
            )
          ).status,
        ).toBe(201);

        const stranger = await reject(
          gate.id,
          requestId,
          { reason: 'no' },
          NADIA,
        );
        expect(stranger.status).toBe(403);
        const noReason = await reject(gate.id, requestId, {}, SAMUEL);
        expect(noReason.status).toBe(400);
        const unknown = await reject(
          gate.id,
          '00000000-0000-0000-0000-000000000000',
          { reason: 'no' },
          SAMUEL,
        );
        expect(unknown.status).toBe(404);

        const res = await reject(
          gate.id,
          requestId,
          { reason: 'pen test not done' },
          SAMUEL,
        );
        expect(res.status).toBe(200);
        expect(res.body.request).toMatchObject({
          state: 'rejected',
          decidedBy: SAMUEL,
          decisionReason: 'pen test not done',
        });
        expect(blockedBy(res.body.gate, id)).toBe(true);
        const twice = await reject(
          gate.id,
          requestId,
          { reason: 'still no' },
          SAMUEL,
        );
        expect(twice.status).toBe(409);

        // Security approving afterwards does not complete the rejected
        // request: release management's approval went with it.
        const late = await approve(
          gate.id,
          { windowId: id, reason: 'changed my mind' },
          SAMUEL,
        );
        expect(late.status).toBe(201);
        expect(blockedBy(late.body, id)).toBe(true);
        const go = await api
          .post(`${BASE}/gates/${gate.id}/decision`)
          .set('Authorization', as(MARGARET))
          .send({ verdict: 'go', reason: 'ship it' });
        expect(go.status).toBe(409);

        const trail = await api
          .get(`${BASE}/gates/${gate.id}/audit`)
          .set('Authorization', as(PRIYA));
        expect(trail.body.items.map((e: any) => e.action)).toContain(
          'window.exception.reject',
        );
      });

      it('the person who asked hears the decision once: approved by the last approver, or rejected with the reason', async () => {
        const waitFor = async (topic: string, atLeast: number) => {
          for (let i = 0; i < 200; i++) {
            const told = sentNotifications.filter(
              n => n.payload.topic === topic,
            );
            if (told.length >= atLeast) break;
            await new Promise(done => setTimeout(done, 20));
          }
          await new Promise(done => setTimeout(done, 100));
          return sentNotifications.filter(n => n.payload.topic === topic);
        };
        const decisions = NOTIFICATION_TOPICS.exceptionDecision;

        // Two approvers: the first approval decides nothing yet.
        const id = next('decided');
        await createWindow(freeze(id, [RELEASE_MANAGEMENT, SECURITY]));
        const gate = await openGate();
        await ask(gate.id, { windowId: id, reason: 'launch' });
        sentNotifications.length = 0;
        const first = await approve(
          gate.id,
          { windowId: id, reason: 'RM agrees' },
          MARGARET,
        );
        expect(first.status).toBe(201);
        expect(await waitFor(decisions, 1)).toEqual([]);
        const last = await approve(
          gate.id,
          { windowId: id, reason: 'pen test done' },
          SAMUEL,
        );
        expect(last.status).toBe(201);
        const approved = await waitFor(decisions, 1);
        expect(approved).toHaveLength(1);
        expect(approved[0].recipients).toEqual({
          type: 'entity',
          entityRef: [PRIYA],
        });
        expect(approved[0].payload).toMatchObject({
          title: `Exception approved: Freeze ${id}`,
          severity: 'normal',
        });
        expect(approved[0].payload.description).toMatch(
          new RegExp(`${SAMUEL} approved .*: pen test done`),
        );

        // Rejected: the reason and what to do, high severity.
        const other = next('decided');
        await createWindow(freeze(other));
        const gate2 = await openGate();
        const asked = await ask(gate2.id, { windowId: other, reason: 'x' });
        sentNotifications.length = 0;
        const rejected = await reject(
          gate2.id,
          asked.body.request.id,
          { reason: 'the board said no' },
          MARGARET,
        );
        expect(rejected.status).toBe(200);
        const told = await waitFor(decisions, 1);
        expect(told).toHaveLength(1);
        expect(told[0].recipients).toEqual({
          type: 'entity',
          entityRef: [PRIYA],
        });
        expect(told[0].payload).toMatchObject({
          title: `Exception rejected: Freeze ${other}`,
          severity: 'high',
        });
        expect(told[0].payload.description).toMatch(
          /the board said no\. The window still blocks the gate: move the planned time or ask again\./,
        );
      });

      it('an exception approved for a window lapses when the window is edited', async () => {
        const id = next('lapse');
        await createWindow(freeze(id));
        const gate = await openGate();
        const asked = await ask(gate.id, { windowId: id, reason: 'launch' });
        expect(asked.status).toBe(201);
        const approved = await approve(
          gate.id,
          { windowId: id, reason: 'agreed' },
          MARGARET,
        );
        expect(approved.status).toBe(201);
        expect(blockedBy(approved.body, id)).toBe(false);
        let list = await api
          .get(`${BASE}/gates/${gate.id}/window-exceptions`)
          .set('Authorization', as(PRIYA));
        expect(list.body.requests[0]).toMatchObject({
          state: 'approved',
          decidedBy: MARGARET,
        });

        const edited = await edit(id, {
          ...definition,
          name: `Freeze ${id}`,
          to: '2031-07-15T00:00:00Z',
          version: 1,
          reason: 'freeze extended',
        });
        expect(edited.status).toBe(200);
        const after = await gateOf(gate.id);
        expect(blockedBy(after, id)).toBe(true);
        list = await api
          .get(`${BASE}/gates/${gate.id}/window-exceptions`)
          .set('Authorization', as(PRIYA));
        expect(list.body.requests[0].state).toBe('lapsed');
        expect(list.body.approvals[0].counts).toBe(false);
        // A new request for the window as it is now can be made.
        const again = await ask(gate.id, {
          windowId: id,
          reason: 'launch, still',
        });
        expect(again.status).toBe(201);
        expect(again.body.request.windowVersion).toBe(2);
      });
    });
  },
);
