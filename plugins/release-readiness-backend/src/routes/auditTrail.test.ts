/*
 * The routes of the audit chains: a gate's verification, an entity's own
 * chain (who made whom a gate owner) and its verification, with the read
 * permission both ways; the chain heads anchored in Backstage's auditor; and
 * what the dossier now holds (incidents, owner changes, a rollback verified
 * by evidence, the verification, how to recompute the hashes).
 */
import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  Permission,
} from '@backstage/plugin-permission-common';
import { gateReadPermission } from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import request from 'supertest';
import {
  as,
  HIROSHI,
  PRIYA,
  startReadinessBackend,
  TOMASZ,
} from '../__testUtils__/fixtures';
import {
  BASE,
  driveToNoGo,
  ENTITY,
  RELEASE,
} from '../audit/__testUtils__/story';
import { hashAuditEvent } from '../audit/chain';
import { DatabaseEvidenceStore } from '../database';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const ENTITY_PATH = `${BASE}/entities/component/default/payment-gateway`;

/** Someone the policy refuses everything, reading included. */
const EVE = 'user:default/eve';

function decide(
  permission: Permission,
  credentials: BackstageCredentials,
): AuthorizeResult.ALLOW | AuthorizeResult.DENY {
  if ((credentials.principal as { type: string }).type === 'service') {
    return AuthorizeResult.ALLOW;
  }
  const user = (credentials.principal as BackstageUserPrincipal).userEntityRef;
  if (user === EVE) return AuthorizeResult.DENY;
  if (user === HIROSHI && permission.name !== gateReadPermission.name) {
    return AuthorizeResult.DENY;
  }
  return AuthorizeResult.ALLOW;
}

const permissions = mockServices.permissions.mock({
  authorize: async (requests, { credentials }) =>
    requests.map(r => ({ result: decide(r.permission, credentials) })),
  authorizeConditional: async (requests, { credentials }) =>
    requests.map(r => ({ result: decide(r.permission, credentials) })),
});

describe.each(databases.eachSupportedId())(
  'the audit trail routes on %s',
  databaseId => {
    let knex: Knex;
    let api: ReturnType<typeof request>;
    let gateId: string;
    const anchors: Record<string, unknown>[] = [];

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const auditor = mockServices.auditor.mock({
        createEvent: async options => ({
          success: async () => {
            if (options.eventId === 'audit-chain-head') {
              anchors.push(options.meta ?? {});
            }
          },
          fail: async () => {},
        }),
      });
      const backend = await startReadinessBackend({
        knex,
        features: [permissions.factory, auditor.factory],
      });
      api = request(backend.server);
      ({ gateId } = await driveToNoGo(api, {
        evidenceStore: DatabaseEvidenceStore.create({ db: knex }),
      }));
      const owners = await api
        .put(`${ENTITY_PATH}/owners`)
        .set('Authorization', as(PRIYA))
        .send({ owners: [TOMASZ] });
      if (owners.status !== 200) {
        throw new Error(
          `owners: ${owners.status} ${JSON.stringify(owners.body)}`,
        );
      }
    });

    describe('GET /gates/:gateId/audit/verify', () => {
      it('answers intact with the head to anyone who may read the gate, users and services', async () => {
        const rows = await knex('audit_events')
          .where({ gate_id: gateId })
          .orderBy('id');
        for (const authorization of [
          as(HIROSHI),
          mockCredentials.service.header(),
        ]) {
          const res = await api
            .get(`${BASE}/gates/${gateId}/audit/verify`)
            .set('Authorization', authorization);
          expect(res.status).toBe(200);
          expect(res.body).toEqual({
            intact: true,
            chain: `gate:${gateId}`,
            events: rows.length,
            head: {
              chain: `gate:${gateId}`,
              seq: rows.length,
              hash: rows[rows.length - 1].hash,
            },
          });
        }
      });

      it('is refused without credentials, to someone refused reading, and for an unknown gate', async () => {
        expect(
          (await api.get(`${BASE}/gates/${gateId}/audit/verify`)).status,
        ).toBe(401);
        expect(
          (
            await api
              .get(`${BASE}/gates/${gateId}/audit/verify`)
              .set('Authorization', as(EVE))
          ).status,
        ).toBe(403);
        expect(
          (
            await api
              .get(
                `${BASE}/gates/00000000-0000-4000-8000-000000000000/audit/verify`,
              )
              .set('Authorization', as(HIROSHI))
          ).status,
        ).toBe(404);
      });

      it('anchors the head in Backstage auditor events after the opening and the decision', async () => {
        const [last] = await knex('audit_events')
          .where({ gate_id: gateId })
          .orderBy('id', 'desc')
          .limit(1);
        const first = await knex('audit_events')
          .where({ gate_id: gateId, action: 'gate.open' })
          .first();
        const ofGate = anchors.filter(a => a.chain === `gate:${gateId}`);
        expect(ofGate).toEqual([
          { chain: `gate:${gateId}`, seq: 1, hash: first.hash },
          {
            chain: `gate:${gateId}`,
            seq: Number(last.seq),
            hash: last.hash,
          },
        ]);
        expect(anchors).toContainEqual(
          expect.objectContaining({ chain: `entity:${ENTITY}`, seq: 1 }),
        );
      });
    });

    describe('the entity chain', () => {
      it('shows who made whom a gate owner, to anyone who may read', async () => {
        const res = await api
          .get(`${ENTITY_PATH}/audit`)
          .set('Authorization', as(HIROSHI));
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          entityRef: ENTITY,
          chain: `entity:${ENTITY}`,
        });
        expect(res.body.items).toEqual([
          expect.objectContaining({
            seq: 1,
            actor: PRIYA,
            action: 'owners.set',
            before: [],
            after: [TOMASZ],
            hash: expect.stringMatching(/^[0-9a-f]{64}$/),
          }),
        ]);
        expect(res.body.items[0].gateId).toBeUndefined();

        const verify = await api
          .get(`${ENTITY_PATH}/audit/verify`)
          .set('Authorization', as(HIROSHI));
        expect(verify.status).toBe(200);
        expect(verify.body).toEqual({
          intact: true,
          chain: `entity:${ENTITY}`,
          events: 1,
          head: {
            chain: `entity:${ENTITY}`,
            seq: 1,
            hash: res.body.items[0].hash,
          },
        });
      });

      it('is refused without credentials, to someone refused reading, and for an unknown entity', async () => {
        for (const path of [
          `${ENTITY_PATH}/audit`,
          `${ENTITY_PATH}/audit/verify`,
        ]) {
          expect((await api.get(path)).status).toBe(401);
          const eve = await api.get(path).set('Authorization', as(EVE));
          expect(eve.status).toBe(403);
          expect(eve.body.items).toBeUndefined();
          expect(
            (
              await api
                .get(path.replace('payment-gateway', 'no-such-service'))
                .set('Authorization', as(HIROSHI))
            ).status,
          ).toBe(404);
        }
      });
    });

    describe('the dossier', () => {
      it('holds the incidents, the owner changes, the verification and the recipe', async () => {
        const incident = await api
          .post(`${BASE}/incidents`)
          .set('Authorization', as(PRIYA))
          .send({
            entityRef: ENTITY,
            release: RELEASE,
            severity: 'sev2',
            title: 'Checkout errors after the release',
          });
        expect(incident.status).toBe(201);

        const json = await api
          .get(`${BASE}/gates/${gateId}/dossier`)
          .set('Authorization', as(HIROSHI));
        expect(json.body.incidents).toEqual([
          expect.objectContaining({
            title: 'Checkout errors after the release',
            severity: 'sev2',
            reportedBy: PRIYA,
          }),
        ]);
        expect(json.body.ownerChanges).toEqual([
          expect.objectContaining({
            by: PRIYA,
            before: [],
            after: [TOMASZ],
            seq: 1,
          }),
        ]);
        expect(json.body.entityVerification).toMatchObject({ intact: true });
        expect(json.body.verification).toMatchObject({ intact: true });
        expect(json.body.hashing).toMatchObject({ algorithm: 'SHA-256' });

        const md = (
          await api
            .get(`${BASE}/gates/${gateId}/dossier?format=md`)
            .set('Authorization', as(HIROSHI))
        ).text;
        expect(md).toContain('## Incidents');
        expect(md).toContain('| sev2 | Checkout errors after the release |');
        expect(md).toContain('## Gate owners: who assigned whom');
        expect(md).toMatch(
          new RegExp(
            `\\| ${PRIYA} \\| none \\| ${TOMASZ} \\| #\\d+ \\(seq 1\\) \\|`,
          ),
        );
        expect(md).toContain('## Verification');
        expect(md).toContain(
          `- Entity chain (\`entity:${ENTITY}\`): Trail and anchors: intact`,
        );
        expect(md).toContain('## How to recompute the hashes');
        expect(md).toContain('hex(SHA-256(UTF-8 bytes of that text))');
      });

      it('says the rollback was verified when CI evidence verified it', async () => {
        const opened = await api
          .post(`${ENTITY_PATH}/gates`)
          .set('Authorization', as(PRIYA))
          .send({ release: '2.0.0' });
        expect(opened.status).toBe(201);
        const risk = await api
          .put(`${BASE}/gates/${opened.body.id}/risk`)
          .set('Authorization', as(PRIYA))
          .send({
            version: 0,
            rollbackPlan: 'Flip the blue/green switch back',
            impactMatrix: [],
          });
        expect(risk.status).toBe(200);
        const markdown = async () =>
          (
            await api
              .get(`${BASE}/gates/${opened.body.id}/dossier?format=md`)
              .set('Authorization', as(HIROSHI))
          ).text;
        expect(await markdown()).toContain('- Rollback verified: no');

        const evidence = await DatabaseEvidenceStore.create({
          db: knex,
        }).addEvidence({
          evidence: {
            entityRef: ENTITY,
            release: '2.0.0',
            type: 'rollback-verification',
            status: 'passed',
            metrics: {},
            runId: 'rollback-drill-7',
            observedAt: new Date().toISOString(),
            postedBy: 'external:ci-pipeline',
          },
        });
        const json = await api
          .get(`${BASE}/gates/${opened.body.id}/dossier`)
          .set('Authorization', as(HIROSHI));
        expect(json.body.rollbackVerification).toMatchObject({
          verified: true,
          byEvidence: { runId: 'rollback-drill-7' },
        });
        expect(json.body.rollbackVerification.byPerson).toBeUndefined();
        const md = await markdown();
        expect(md).not.toContain('- Rollback verified: no');
        expect(md).toContain('- Rollback verified: yes');
        expect(md).toContain(
          `by rollback-verification evidence ${evidence.evidence.id} (run rollback-drill-7`,
        );
      });
    });

    it('detects a forged event in the entity chain, and shows it in the dossier', async () => {
      const [last] = await knex('audit_events')
        .where({ entity_ref: ENTITY })
        .whereNull('gate_id')
        .orderBy('id', 'desc')
        .limit(1);
      const at = new Date().toISOString();
      const content = {
        entityRef: ENTITY,
        actor: 'user:default/mallory',
        action: 'owners.set',
        before: [TOMASZ],
        after: ['user:default/mallory'],
        at,
      };
      const hash = hashAuditEvent({ prevHash: last.hash, ...content });
      await knex('audit_events').insert({
        entity_ref: ENTITY,
        gate_id: null,
        actor: content.actor,
        action: content.action,
        before: JSON.stringify(content.before),
        after: JSON.stringify(content.after),
        at,
        prev_hash: last.hash,
        hash,
        chain: `entity:${ENTITY}`,
        seq: Number(last.seq) + 1,
      });
      const forged = await knex('audit_events').where({ hash }).first();

      const verify = await api
        .get(`${ENTITY_PATH}/audit/verify`)
        .set('Authorization', as(HIROSHI));
      expect(verify.body).toMatchObject({
        intact: false,
        firstBroken: {
          seq: Number(last.seq) + 1,
          id: String(forged.id),
          record: 'audit_heads',
        },
      });
      const md = (
        await api
          .get(`${BASE}/gates/${gateId}/dossier?format=md`)
          .set('Authorization', as(HIROSHI))
      ).text;
      expect(md).toContain(
        `- Entity chain (\`entity:${ENTITY}\`): Trail and anchors: BROKEN at seq ${
          Number(last.seq) + 1
        } (event #${forged.id}), found in audit_heads`,
      );
    });
  },
);
