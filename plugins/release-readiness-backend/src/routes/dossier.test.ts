import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
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
  NADIA,
  PRIYA,
  startReadinessBackend,
  TOMASZ,
} from '../__testUtils__/fixtures';
import { verifyChain } from '../audit/chain';
import { DatabaseEvidenceStore } from '../database';
import {
  BASE,
  driveToNoGo,
  ENTITY,
  RELEASE,
} from '../audit/__testUtils__/story';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** Someone the policy refuses everything. */
const EVE = 'user:default/eve';

/**
 * Like the app's policy where it matters here: Hiroshi, of another team, may
 * only read; Eve may do nothing; everyone else may do everything.
 */
function decide(
  permission: Permission,
  credentials: BackstageCredentials,
): AuthorizeResult.ALLOW | AuthorizeResult.DENY {
  const user =
    credentials.principal &&
    (credentials.principal as { type: string }).type === 'user'
      ? (credentials.principal as BackstageUserPrincipal).userEntityRef
      : undefined;
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
  'the dossier of a gate on %s',
  databaseId => {
    let knex: Knex;
    let api: ReturnType<typeof request>;
    let gateId: string;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const backend = await startReadinessBackend({
        knex,
        features: [permissions.factory],
      });
      api = request(backend.server);
      ({ gateId } = await driveToNoGo(api, {
        evidenceStore: DatabaseEvidenceStore.create({ db: knex }),
      }));
    });

    it('has every section as JSON, with a verified audit chain', async () => {
      const res = await api
        .get(`${BASE}/gates/${gateId}/dossier`)
        .set('Authorization', as(HIROSHI));

      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const dossier = res.body;
      expect(Object.keys(dossier).sort()).toEqual(
        [
          'generatedAt',
          'entity',
          'gate',
          'template',
          'evaluation',
          'checklist',
          'evidence',
          'signoffs',
          'risk',
          'decisions',
          'overrides',
          'audit',
          'chain',
          'windows',
          'incidents',
          'verification',
          'entityAudit',
          'entityVerification',
          'ownerChanges',
          'rollbackVerification',
          'hashing',
        ].sort(),
      );
      expect(dossier.windows).toEqual({
        windows: [],
        exceptions: [],
        requests: [],
        referenced: [],
      });
      // Released without overriding a lapsed GO: none to list.
      expect(dossier.overrides).toEqual([]);
      expect(dossier.entity).toEqual({
        entityRef: ENTITY,
        title: 'Payment Gateway',
      });
      expect(dossier.gate).toMatchObject({
        id: gateId,
        release: RELEASE,
        state: 'no-go',
        plannedAt: '2026-12-01T10:00:00.000Z',
        requestedBy: PRIYA,
      });
      expect(dossier.template).toMatchObject({
        name: 'component-gate',
        title: expect.any(String),
        version: expect.any(String),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        tier: 1,
        rapid: false,
      });

      const item = (id: string) =>
        dossier.checklist.find((i: { id: string }) => i.id === id);
      expect(item('user-acceptance')).toMatchObject({
        status: 'passed',
        note: 'Checked | with the merchants team',
        updatedBy: PRIYA,
      });
      expect(item('user-acceptance').automated).toBeUndefined();
      expect(item('release-notes')).toMatchObject({
        status: 'waived',
        waiver: { justification: 'Internal release, no notes', by: PRIYA },
      });
      expect(item('unit-integration-tests').automated).toMatchObject({
        evidenceType: 'test-report',
        rule: 'passed == true',
        outcome: 'passed',
        detail: expect.any(String),
        evidenceId: expect.any(String),
        evidence: {
          type: 'test-report',
          status: 'passed',
          link: 'https://ci.example.com/runs/41',
          commit: '9f1c2d3',
          runId: 'run-41',
        },
      });
      expect(item('security-scan').automated).toMatchObject({
        outcome: 'missing',
      });
      expect(item('security-scan').automated.evidence).toBeUndefined();
      expect(dossier.evidence).toEqual([
        expect.objectContaining({
          runId: 'run-41',
          link: 'https://ci.example.com/runs/41',
          commit: '9f1c2d3',
        }),
      ]);

      expect(
        dossier.signoffs.votes.map((v: any) => [
          v.voter,
          v.role,
          v.verdict,
          v.superseded,
        ]),
      ).toEqual([
        [NADIA, 'qa', 'not-ready', true],
        [TOMASZ, 'engineering', 'ready', false],
        [NADIA, 'qa', 'ready', false],
      ]);
      expect(dossier.signoffs.votes[0]).toMatchObject({
        roleTitle: expect.any(String),
        supersededAt: expect.any(String),
      });
      expect(dossier.signoffs.roles.length).toBeGreaterThan(0);

      expect(dossier.risk).toMatchObject({
        rollbackVerifiedBy: PRIYA,
        residualRisk: { acceptedBy: PRIYA },
        version: 1,
      });
      expect(dossier.decisions).toEqual([
        expect.objectContaining({
          verdict: 'no-go',
          reason: 'Security scan not run',
          by: PRIYA,
          stateHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        }),
      ]);
      expect(dossier.evaluation.verdict).toBe('NO-GO');
      expect(dossier.evaluation.ready).toBe(false);
      const automated = dossier.evaluation.conditions.find(
        (c: { id: string }) => c.id === 'automated',
      );
      expect(automated.met).toBe(false);
      expect(automated.blockers.length).toBeGreaterThan(0);

      expect(dossier.audit.map((e: { action: string }) => e.action)).toEqual([
        'gate.open',
        'item.update',
        'item.update',
        'signoff.vote',
        'signoff.vote',
        'signoff.vote',
        'risk.update',
        'decision.no-go',
      ]);
      expect(dossier.audit[1].hash).toMatch(/^[0-9a-f]{64}$/);
      expect(dossier.audit[1].prevHash).toBe(dossier.audit[0].hash);
      expect(dossier.chain).toEqual({ ok: true, events: 8 });
      expect(dossier.verification).toMatchObject({ intact: true, events: 8 });
      // An auditor can check the chain from the dossier alone.
      expect(verifyChain(dossier.audit)).toEqual({ ok: true, events: 8 });
    });

    it('is a Markdown record to download', async () => {
      const res = await api
        .get(`${BASE}/gates/${gateId}/dossier?format=md`)
        .set('Authorization', as(HIROSHI));

      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/markdown; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(
        'attachment; filename="dossier-payment-gateway-1.4.0.md"',
      );
      const md = res.text;
      expect(md).toMatch(/^# Release dossier: Payment Gateway 1\.4\.0\n/);
      expect(md).toContain('- Release: 1.4.0');
      expect(md).toContain(
        '| Item | Category | Required | Status | Note | Waiver | Automated check | Last changed |',
      );
      expect(md).toContain('Checked \\| with the merchants team');
      expect(md).toContain('## Decisions');
      expect(md).toMatch(
        /\| NO-GO \| user:default\/priya-raman \| Security scan not run \| [0-9a-f]{64} \|/,
      );
      expect(md).toContain('Audit chain: verified (8 events)');
      expect(md).toContain('superseded');
      expect(md).toContain('run-41');
    });

    it('is refused without credentials, to someone refused reading, and for an unknown gate', async () => {
      const anonymous = await api.get(`${BASE}/gates/${gateId}/dossier`);
      expect(anonymous.status).toBe(401);

      const eve = await api
        .get(`${BASE}/gates/${gateId}/dossier`)
        .set('Authorization', as(EVE));
      expect(eve.status).toBe(403);

      const unknown = await api
        .get(`${BASE}/gates/00000000-0000-4000-8000-000000000000/dossier`)
        .set('Authorization', as(HIROSHI));
      expect(unknown.status).toBe(404);
    });

    it('accepts json and md only', async () => {
      const json = await api
        .get(`${BASE}/gates/${gateId}/dossier?format=json`)
        .set('Authorization', as(HIROSHI));
      expect(json.status).toBe(200);
      expect(json.body.chain.ok).toBe(true);

      const pdf = await api
        .get(`${BASE}/gates/${gateId}/dossier?format=pdf`)
        .set('Authorization', as(HIROSHI));
      expect(pdf.status).toBe(400);
      expect(pdf.body.error.message).toMatch(/format/);
    });

    it('says where the chain breaks once the trail was tampered with', async () => {
      const [vote] = await knex('audit_events')
        .where({ gate_id: gateId, action: 'signoff.vote' })
        .orderBy('id')
        .limit(1);
      if (String(knex.client.config.client).includes('pg')) {
        await knex.raw('ALTER TABLE audit_events DISABLE TRIGGER USER');
      } else {
        await knex.raw('DROP TRIGGER audit_events_no_update');
      }
      await knex('audit_events')
        .where({ id: vote.id })
        .update({ actor: 'user:default/mallory' });

      const json = await api
        .get(`${BASE}/gates/${gateId}/dossier`)
        .set('Authorization', as(HIROSHI));
      expect(json.body.chain).toMatchObject({
        ok: false,
        firstBroken: { id: String(vote.id), action: 'signoff.vote' },
      });

      const md = await api
        .get(`${BASE}/gates/${gateId}/dossier?format=md`)
        .set('Authorization', as(HIROSHI));
      expect(md.text).toContain(
        `Audit chain: BROKEN at event #${vote.id} (signoff.vote, ${json.body.chain.firstBroken.at}): the hash does not match the content`,
      );
    });
  },
);
