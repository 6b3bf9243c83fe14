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

describe.each(databases.eachSupportedId())(
  "a release's many facts, paged and streamed, on %s",
  databaseId => {
    let knex: Knex;
    let api: ReturnType<typeof request>;
    let gateId: string;
    const release = 'many-1.0.0';
    /** Facts stored: 1,230, in runs of equal observed times (ties). */
    const FACTS = 1_230;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const backend = await startReadinessBackend({
        knex,
        features: [permissions.factory],
        // Requests without a token are the CI pipeline's.
        defaultCredentials: mockCredentials.service('external:ci', {
          permissionNames: [
            'release-readiness.evidence.create',
            'release-readiness.gate.read',
          ],
        }) as any,
      });
      api = request(backend.server);
      const opened = await api
        .post(`${BASE}/entities/component/default/payment-gateway/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release });
      if (opened.status !== 201) {
        throw new Error(`could not open the gate: ${opened.status}`);
      }
      gateId = opened.body.id;
      const start = Date.now() - 3 * 3_600_000;
      for (let sent = 0; sent < FACTS; sent += 500) {
        const res = await api.post(`${BASE}/evidence/batch`).send({
          evidence: Array.from(
            { length: Math.min(500, FACTS - sent) },
            (_, i) => ({
              entityRef: ENTITY,
              release,
              type: ['test-report', 'security-scan'][(sent + i) % 2],
              status: 'passed',
              metrics: { passed: true, score: 95, critical: 0, high: 0 },
              runId: `many-${sent + i}`,
              // Ten facts share each observed second.
              observedAt: new Date(
                start + Math.floor((sent + i) / 10) * 1_000,
              ).toISOString(),
            }),
          ),
        });
        if (res.status !== 200) {
          throw new Error(`could not post the facts: ${res.status}`);
        }
      }
    });

    async function everyPage(limit: number) {
      const pages: any[] = [];
      let cursor: string | undefined;
      do {
        const res = await api
          .get(`${BASE}/gates/${gateId}/evidence`)
          .query({ limit: String(limit), ...(cursor ? { cursor } : {}) })
          .set('Authorization', as(HIROSHI));
        expect(res.status).toBe(200);
        pages.push(res.body);
        cursor = res.body.nextCursor;
      } while (cursor && pages.length < 400);
      return pages;
    }

    it('pages every fact of the release once, newest observed first, and says when the last page came', async () => {
      const pages = await everyPage(200);

      expect(pages.map(p => p.items.length)).toEqual([
        200, 200, 200, 200, 200, 200, 30,
      ]);
      expect(pages.every(p => p.gateId === gateId)).toBe(true);
      expect(pages[pages.length - 1].nextCursor).toBeUndefined();
      const facts = pages.flatMap(p => p.items);
      expect(new Set(facts.map(f => f.runId)).size).toBe(FACTS);
      const stored = await knex('evidence').where({ release }).count();
      expect(Number(Object.values(stored[0])[0])).toBe(FACTS);
      for (let i = 1; i < facts.length; i++) {
        const [a, b] = [facts[i - 1], facts[i]];
        const order =
          Date.parse(a.observedAt) - Date.parse(b.observedAt) ||
          Date.parse(a.receivedAt) - Date.parse(b.receivedAt) ||
          (a.id > b.id ? 1 : -1);
        expect([i, order > 0]).toEqual([i, true]);
      }
      // The default page is 100 facts; a page ends where a tie begins and
      // the next goes on inside it.
      const first = await api
        .get(`${BASE}/gates/${gateId}/evidence`)
        .set('Authorization', as(HIROSHI));
      expect(first.body.items).toEqual(facts.slice(0, 100));
      const odd = await everyPage(9);
      expect(odd.flatMap(p => p.items)).toEqual(facts);
    });

    it("keeps a page's place when newer facts arrive between pages", async () => {
      const page = (cursor?: string) =>
        api
          .get(`${BASE}/gates/${gateId}/evidence`)
          .query({ limit: '500', ...(cursor ? { cursor } : {}) })
          .set('Authorization', as(HIROSHI));
      const first = (await page()).body;
      const newer = await api.post(`${BASE}/evidence`).send({
        entityRef: ENTITY,
        release,
        type: 'test-report',
        status: 'passed',
        metrics: { passed: true },
        runId: 'newer-than-every-page',
      });
      expect(newer.status).toBe(201);

      const second = (await page(first.nextCursor)).body;
      const third = (await page(second.nextCursor)).body;

      const rest = [...second.items, ...third.items];
      expect(rest).toHaveLength(FACTS - 500);
      const seen = new Set(first.items.map((f: any) => f.id));
      expect(rest.some((f: any) => seen.has(f.id))).toBe(false);
      expect(rest.some((f: any) => f.runId === 'newer-than-every-page')).toBe(
        false,
      );
      expect(third.nextCursor).toBeUndefined();
      // A walk that starts now finds it first.
      expect((await page()).body.items[0].runId).toBe('newer-than-every-page');
      await knex('evidence').where({ run_id: 'newer-than-every-page' }).del();
    });

    it('refuses a cursor it did not give, a limit out of range, and readers the policy refuses', async () => {
      const get = (query: Record<string, string>, who = HIROSHI) =>
        api
          .get(`${BASE}/gates/${gateId}/evidence`)
          .query(query)
          .set('Authorization', as(who));
      const forged = Buffer.from(JSON.stringify(['soon', 'x', 'y'])).toString(
        'base64url',
      );
      const queries: Record<string, string>[] = [
        { cursor: 'not-a-cursor' },
        { cursor: forged },
        { cursor: Buffer.from('[1,2,3]').toString('base64url') },
        { limit: '0' },
        { limit: '501' },
        { limit: 'ten' },
      ];
      for (const query of queries) {
        const res = await get(query);
        expect([query, res.status]).toEqual([query, 400]);
        expect(res.body.error.message).toMatch(/cursor|limit/);
      }
      const refused = await get({}, EVE);
      expect([403, 404]).toContain(refused.status);
      expect(JSON.stringify(refused.body)).not.toContain('many-');
      const unknown = await api
        .get(`${BASE}/gates/00000000-0000-4000-8000-000000000000/evidence`)
        .set('Authorization', as(HIROSHI));
      expect(unknown.status).toBe(404);
    });

    it('streams the dossier with every fact of the release, and the checklist judged by the newest', async () => {
      const res = await api
        .get(`${BASE}/gates/${gateId}/dossier`)
        .set('Authorization', as(HIROSHI));

      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      // Written as it is read: no length known in advance.
      expect(res.headers['content-length']).toBeUndefined();
      expect(res.headers['transfer-encoding']).toBe('chunked');
      const paged = (await everyPage(500)).flatMap(p => p.items);
      expect(res.body.evidence).toHaveLength(FACTS);
      expect(res.body.evidence).toEqual(paged);
      const tests = res.body.checklist.find(
        (i: any) => i.id === 'unit-integration-tests',
      );
      expect(tests.automated.evidenceId).toBe(
        paged.find((f: any) => f.type === 'test-report').id,
      );
      const md = await api
        .get(`${BASE}/gates/${gateId}/dossier?format=md`)
        .set('Authorization', as(HIROSHI));
      expect(md.status).toBe(200);
      for (const runId of ['many-0', 'many-615', 'many-1229']) {
        expect(md.text).toContain(runId);
      }
    });
  },
);
