/*
 * GO sent at the same moment as edits of the same gate. Every rule is checked
 * inside the transaction that writes: after a GO, no edit of the checklist,
 * the sign-offs, the risk assessment, the window exceptions or the gate
 * owners is ever applied, and each edit that lost is answered 409 naming the
 * state; an edit that won came before the GO, which then saw it.
 */
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  as,
  ENTITIES,
  MARGARET,
  PRIYA,
  SAMUEL,
  startReadinessBackend,
  userOrGroup,
  TOMASZ,
} from '../__testUtils__/fixtures';
import { driveToReady } from '../__testUtils__/readyGate';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';
const ENTITY = `${BASE}/entities/component/default/payment-gateway`;
const ROUNDS = 8;

/** Requests without a token act as the CI pipeline that posts evidence. */
const ci = mockCredentials.service('external:ci-pipeline', {
  permissionNames: [
    'release-readiness.evidence.create',
    'release-readiness.gate.read',
  ],
});

/** A freeze far from the planned time, only so that it has exceptions. */
const WINDOWS = [
  {
    id: 'far-freeze',
    name: 'Far freeze',
    kind: 'freeze',
    from: '2031-06-01T00:00:00Z',
    to: '2031-06-02T00:00:00Z',
    scope: { all: true },
    approvers: ['group:default/release-management'],
  },
];

/** The gate's audit actions that edit it, and the one that decides GO. */
const EDIT_ACTIONS = [
  'item.update',
  'signoff.vote',
  'risk.update',
  'window.exception',
];

describe.each(databases.eachSupportedId())(
  'GO racing edits of the same gate on %s',
  databaseId => {
    let api: ReturnType<typeof request>;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({
        knex,
        windows: WINDOWS,
        defaultCredentials: ci as any,
        // Gate owners must exist in the catalog: one user per round.
        entities: [
          ...ENTITIES,
          ...Array.from({ length: ROUNDS }, (_, round) =>
            userOrGroup(`user:default/round-${round}`),
          ),
        ],
      });
      api = request(server);
    });

    it(`never applies an edit after GO, in ${ROUNDS} rounds`, async () => {
      const outcomes = { goWon: 0, goLost: 0 };
      const violations: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const gate = await driveToReady(api, `race-${round}`);
        const notes = gate.items.find((i: any) => i.id === 'release-notes');
        const risk = gate.risk;

        const [go, item, vote, riskPut, exception, owners] = await Promise.all(
          [
            api
              .post(`${BASE}/gates/${gate.id}/decision`)
              .set('Authorization', as(TOMASZ))
              .send({ verdict: 'go', reason: 'r' }),
            api
              .patch(`${BASE}/gates/${gate.id}/items/release-notes`)
              .set('Authorization', as(PRIYA))
              .send({
                status: 'failed',
                note: 'broken',
                version: notes.version,
              }),
            api
              .post(`${BASE}/gates/${gate.id}/signoffs`)
              .set('Authorization', as(SAMUEL))
              .send({
                role: 'security',
                verdict: 'not-ready',
                comment: 'leak',
              }),
            api
              .put(`${BASE}/gates/${gate.id}/risk`)
              .set('Authorization', as(PRIYA))
              .send({
                version: risk.version,
                rollbackPlan: 'Something else entirely',
                impactMatrix: risk.impactMatrix,
              }),
            api
              .post(`${BASE}/gates/${gate.id}/window-exception`)
              .set('Authorization', as(MARGARET))
              .send({ windowId: 'far-freeze', reason: 'Hotfix' }),
            api
              .put(`${ENTITY}/owners`)
              .set('Authorization', as(PRIYA))
              .send({ owners: [`user:default/round-${round}`] }),
          ].map(r => r.then(res => res)),
        );
        const edits = { item, vote, riskPut, exception, owners };
        const said = (name: string, res: request.Response) =>
          `round ${round}: ${name} answered ${res.status} ${JSON.stringify(
            res.body?.error?.message ?? '',
          )}`;
        for (const [name, res] of Object.entries({ go, ...edits })) {
          if (![200, 201, 409].includes(res.status)) {
            violations.push(said(name, res));
          }
        }

        const trail: string[] = (
          await api
            .get(`${BASE}/gates/${gate.id}/audit`)
            .set('Authorization', as(PRIYA))
        ).body.items.map((e: any) => e.action as string);
        const after = (
          await api
            .get(`${BASE}/gates/${gate.id}`)
            .set('Authorization', as(PRIYA))
        ).body;
        const decidedAt = trail.indexOf('decision.go');

        if (go.status === 200) {
          outcomes.goWon += 1;
          if (after.state !== 'go') {
            violations.push(
              `round ${round}: GO answered, state ${after.state}`,
            );
          }
          // Nothing edited the gate after its decision.
          const late = trail
            .slice(decidedAt + 1)
            .filter(action => EDIT_ACTIONS.includes(action));
          if (decidedAt < 0 || late.length > 0) {
            violations.push(
              `round ${round}: edits after GO in the trail: ${late.join(', ')}`,
            );
          }
          // Each edit that lost was told why: the gate is GO.
          for (const [name, res] of Object.entries(edits)) {
            if (res.status === 409 && !/is GO/.test(res.body.error.message)) {
              violations.push(said(name, res));
            }
          }
          // The GO holds: what it was taken on is what the gate is.
          const notesNow = after.items.find(
            (i: any) => i.id === 'release-notes',
          );
          const notReady = after.votes.filter(
            (v: any) => v.verdict === 'not-ready' && !v.supersededAt,
          );
          const pipeline = await api.get(
            `${BASE}/decision?entityRef=component:default/payment-gateway&release=race-${round}`,
          );
          if (
            !after.evaluation.ready ||
            notesNow.status !== 'passed' ||
            notReady.length > 0 ||
            pipeline.body.verdict !== 'GO' ||
            pipeline.body.ready !== true
          ) {
            violations.push(
              `round ${round}: a GO that no longer holds: ${JSON.stringify(
                pipeline.body,
              )}`,
            );
          }
        } else {
          // GO lost to an edit that made the gate not ready, and saw it.
          outcomes.goLost += 1;
          const blockedBy =
            item.status === 200 ||
            vote.status === 201 ||
            riskPut.status === 200;
          if (
            go.status !== 409 ||
            after.state !== 'in-progress' ||
            decidedAt >= 0 ||
            !blockedBy
          ) {
            violations.push(said('go', go));
          }
        }
        // The next round opens a new gate for another release.
        await api
          .post(`${BASE}/gates/${gate.id}/decision`)
          .set('Authorization', as(PRIYA))
          .send({ transition: 'cancel', reason: 'next round' });
      }
      expect(violations).toEqual([]);
      expect(outcomes.goWon + outcomes.goLost).toBe(ROUNDS);
    });
  },
);
