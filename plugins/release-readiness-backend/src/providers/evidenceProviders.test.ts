/*
 * Evidence providers (issue 19) through a real backend module on the
 * extension point, on both engines: collected when a gate opens, on the
 * schedule and on a person's refresh; recorded through the path of posted
 * evidence (idempotent per runId, failed never passes, nothing from the
 * future); a provider that throws, hangs or sends refused facts leaves a
 * dated "could not collect" and never a pass; only gate owners refresh, and
 * only an open gate.
 */
import {
  createBackendModule,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  CollectedEvidence,
  EvidenceCollectionRequest,
  releaseReadinessEvidenceProvidersExtensionPoint,
} from '@release-readiness/plugin-node';
import request from 'supertest';
import {
  as,
  HIROSHI,
  PRIYA,
  startReadinessBackend,
} from '../__testUtils__/fixtures';
import { policyPermissions } from '../__testUtils__/policyPermissions';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';
const PG = `${BASE}/entities/component/default/payment-gateway`;
const TASK = 'release-readiness-evidence-providers';

type Behaviour = (
  request: EvidenceCollectionRequest,
) => Promise<CollectedEvidence[]>;

/** A provider whose answer each test sets; it remembers what it was asked. */
function fakeScanner() {
  const asked: EvidenceCollectionRequest[] = [];
  let behaviour: Behaviour = async () => [];
  const module = createBackendModule({
    pluginId: 'release-readiness',
    moduleId: 'fake-scanner',
    register(env) {
      env.registerInit({
        deps: { providers: releaseReadinessEvidenceProvidersExtensionPoint },
        async init({ providers }) {
          providers.addProvider({
            id: 'fake-scanner',
            title: 'Fake Scanner',
            // code-coverage is read by no item of the component template.
            types: ['static-analysis', 'code-coverage'],
            describe: type =>
              type === 'static-analysis'
                ? "quality gate of the release's analysis"
                : undefined,
            collect: async req => {
              asked.push(req);
              return behaviour(req);
            },
          });
        },
      });
    },
  });
  return {
    module,
    asked,
    answer(next: Behaviour) {
      behaviour = next;
    },
  };
}

const analysis = (
  overrides: Partial<CollectedEvidence> = {},
): CollectedEvidence => ({
  type: 'static-analysis',
  status: 'passed',
  metrics: { score: 95 },
  runId: 'analysis-1',
  observedAt: new Date(Date.now() - 60_000).toISOString(),
  ...overrides,
});

describe.each(databases.eachSupportedId())(
  'evidence providers on %s',
  databaseId => {
    let api: ReturnType<typeof request>;
    const scanner = fakeScanner();
    // The mock scheduler runs a task when the test says so.
    const scheduler = mockServices.scheduler() as SchedulerService & {
      factory(options: { skipTaskRunOnStartup: boolean }): any;
    };
    let count = 0;
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({
        knex,
        // Requests without a token act as a pipeline posting evidence.
        defaultCredentials: mockCredentials.service('external:ci', {
          permissionNames: [
            'release-readiness.evidence.create',
            'release-readiness.gate.read',
          ],
        }) as any,
        features: [
          policyPermissions.factory,
          scanner.module,
          scheduler.factory({ skipTaskRunOnStartup: true }),
        ],
        config: { evidenceProviders: { timeout: { milliseconds: 300 } } },
      });
      api = request(server);
    });

    beforeEach(() => scanner.answer(async () => []));

    async function openGate() {
      count += 1;
      const res = await api
        .post(`${PG}/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release: `7.${count}.0` });
      expect(res.status).toBe(201);
      return res.body as { id: string; release: string };
    }

    const sources = async (gateId: string) => {
      const res = await api
        .get(`${BASE}/gates/${gateId}/evidence/sources`)
        .set('Authorization', as(HIROSHI));
      expect(res.status).toBe(200);
      return res.body.sources as Array<{
        provider: string;
        types: string[];
        reads?: Record<string, string>;
        latest?: Record<string, object>;
        lastAttempt?: {
          trigger: string;
          ok: boolean;
          message?: string;
          collected: number;
          at: string;
        };
      }>;
    };

    const refresh = (gateId: string, user = PRIYA) =>
      api
        .post(`${BASE}/gates/${gateId}/evidence/refresh`)
        .set('Authorization', as(user));

    async function staticAnalysis(gateId: string) {
      const res = await api
        .get(`${BASE}/gates/${gateId}`)
        .set('Authorization', as(PRIYA));
      expect(res.status).toBe(200);
      return (
        res.body.evaluation.automated as Array<{
          itemId: string;
          outcome: string;
          detail: string;
        }>
      ).find(a => a.itemId === 'static-analysis')!;
    }

    /** The evidence rows of a gate's release, as stored. */
    async function evidenceOf(gate: { release: string }) {
      const rows = await knex('evidence')
        .where({
          entity_ref: 'component:default/payment-gateway',
          release: gate.release,
        })
        .orderBy('received_at');
      return rows.map(r => ({
        runId: r.run_id,
        postedBy: r.posted_by,
        type: r.type,
      }));
    }

    /** The collection after an opening runs after the answer. */
    async function untilAttempted(gateId: string) {
      for (let i = 0; i < 100; i++) {
        const [source] = await sources(gateId);
        if (source?.lastAttempt) return source;
        await new Promise(r => setTimeout(r, 50));
      }
      throw new Error(`no attempt was recorded for gate ${gateId}`);
    }

    it('collects when a gate opens, through the path of posted evidence, as posted by the provider', async () => {
      const observedAt = new Date(Date.now() - 120_000).toISOString();
      scanner.answer(async () => [
        analysis({
          runId: 'on-open',
          observedAt,
          commit: '3f9c2a1b7d4e',
          link: 'https://scanner.example.com/analyses/on-open',
        }),
      ]);
      const gate = await openGate();
      const source = await untilAttempted(gate.id);
      expect(source).toMatchObject({
        provider: 'fake-scanner',
        types: ['static-analysis'],
        lastAttempt: { trigger: 'gate-opened', ok: true, collected: 1 },
        // What it reads for the item, and its newest fact: the tab names both.
        reads: { 'static-analysis': "quality gate of the release's analysis" },
        latest: {
          'static-analysis': {
            observedAt,
            commit: '3f9c2a1b7d4e',
            link: 'https://scanner.example.com/analyses/on-open',
          },
        },
      });
      const asked = scanner.asked[scanner.asked.length - 1];
      expect(asked).toMatchObject({
        entityRef: 'component:default/payment-gateway',
        release: gate.release,
        types: ['static-analysis'],
      });
      expect(asked.entity.metadata.name).toBe('payment-gateway');
      expect(await evidenceOf(gate)).toEqual([
        expect.objectContaining({
          runId: 'on-open',
          postedBy: 'provider:fake-scanner',
          type: 'static-analysis',
        }),
      ]);
      expect((await staticAnalysis(gate.id)).outcome).toBe('passed');
      // A pipeline's newer fact of the type is not the provider's.
      expect(
        (
          await api.post(`${BASE}/evidence`).send({
            entityRef: 'component:default/payment-gateway',
            release: gate.release,
            type: 'static-analysis',
            status: 'passed',
            metrics: { score: 97 },
            runId: 'pipeline-run',
            commit: 'aaaaaaaaaaaa',
          })
        ).status,
      ).toBe(201);
      expect((await sources(gate.id))[0].latest).toEqual(source.latest);
    });

    it('refreshes on demand for a gate owner: a failed fact fails the item whatever its score, and a repeat of a run is stored once', async () => {
      const gate = await openGate();
      await untilAttempted(gate.id);
      // A source answers the same run with the same facts each time.
      const failed = analysis({ runId: 'run-failed', status: 'failed' });
      scanner.answer(async () => [failed]);
      const first = await refresh(gate.id);
      expect(first.status).toBe(200);
      expect(first.body.sources[0].lastAttempt).toMatchObject({
        trigger: 'refresh',
        ok: true,
        collected: 1,
      });
      expect((await staticAnalysis(gate.id)).outcome).toBe('failed');
      const again = await refresh(gate.id);
      expect(again.body.sources[0].lastAttempt.ok).toBe(true);
      expect(
        (await evidenceOf(gate)).filter(e => e.runId === 'run-failed'),
      ).toHaveLength(1);
    });

    it.each([
      [
        'throws',
        async () => {
          throw new Error('Scanner API answered 503');
        },
        /Scanner API answered 503/,
      ],
      [
        'never answers',
        (req: EvidenceCollectionRequest) =>
          new Promise<CollectedEvidence[]>(() => {
            // Aborted by the timeout, never settled.
            req.signal.addEventListener('abort', () => undefined);
          }),
        /did not answer within 0.3 s/,
      ],
      [
        'sends a fact from the future',
        async () => [
          analysis({
            runId: 'future',
            observedAt: new Date(Date.now() + 86_400_000).toISOString(),
          }),
        ],
        /in the future/,
      ],
      [
        'sends a type it was not asked for',
        async () => [analysis({ runId: 'other', type: 'security-scan' })],
        /type security-scan was not asked for/,
      ],
      [
        'sends a malformed fact',
        async () => [{ type: 'static-analysis', status: 'great' } as any],
        /status/,
      ],
    ])(
      'records "could not collect" with its date when the provider %s, and the item never passes',
      async (_what, behaviour, message) => {
        const gate = await openGate();
        await untilAttempted(gate.id);
        scanner.answer(behaviour as Behaviour);
        const before = Date.now();
        const res = await refresh(gate.id);
        expect(res.status).toBe(200);
        const attempt = res.body.sources[0].lastAttempt;
        expect(attempt).toMatchObject({
          trigger: 'refresh',
          ok: false,
          collected: 0,
        });
        expect(attempt.message).toMatch(message);
        expect(Date.parse(attempt.at)).toBeGreaterThanOrEqual(before - 1000);
        expect((await staticAnalysis(gate.id)).outcome).toBe('missing');
        expect(await evidenceOf(gate)).toEqual([]);
      },
    );

    it('refuses a run collected again with other content, and keeps the first', async () => {
      const gate = await openGate();
      await untilAttempted(gate.id);
      scanner.answer(async () => [analysis({ runId: 'rewritten' })]);
      expect((await refresh(gate.id)).body.sources[0].lastAttempt.ok).toBe(
        true,
      );
      scanner.answer(async () => [
        analysis({ runId: 'rewritten', metrics: { score: 40 } }),
      ]);
      const res = await refresh(gate.id);
      expect(res.body.sources[0].lastAttempt).toMatchObject({ ok: false });
      expect(res.body.sources[0].lastAttempt.message).toMatch(
        /already posted .* with other content/,
      );
      expect((await staticAnalysis(gate.id)).outcome).toBe('passed');
    });

    it('collects every open gate on the schedule', async () => {
      const gate = await openGate();
      await untilAttempted(gate.id);
      scanner.answer(async req => [
        analysis({ runId: `scheduled-${req.release}` }),
      ]);
      await scheduler.triggerTask(TASK);
      const [source] = await sources(gate.id);
      expect(source.lastAttempt).toMatchObject({
        trigger: 'schedule',
        ok: true,
        collected: 1,
      });
      expect((await evidenceOf(gate)).map(e => e.runId)).toContain(
        `scheduled-${gate.release}`,
      );
    });

    it('lets only gate owners refresh, only people, and only an open gate', async () => {
      const gate = await openGate();
      await untilAttempted(gate.id);
      const calls = scanner.asked.length;
      expect((await refresh(gate.id, HIROSHI)).status).toBe(403);
      const service = await api
        .post(`${BASE}/gates/${gate.id}/evidence/refresh`)
        .set('Authorization', mockCredentials.service.header());
      expect([401, 403]).toContain(service.status);
      const cancelled = await api
        .post(`${BASE}/gates/${gate.id}/decision`)
        .set('Authorization', as(PRIYA))
        .send({ transition: 'cancel', reason: 'superseded' });
      expect(cancelled.status).toBeLessThan(300);
      const closed = await refresh(gate.id);
      expect(closed.status).toBe(409);
      expect(scanner.asked.length).toBe(calls);
      // Its sources stay readable, with the last attempt.
      expect((await sources(gate.id))[0].lastAttempt).toBeDefined();
    });
  },
);
