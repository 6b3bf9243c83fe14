/*
 * Two evidence providers for one item type (issue 19), on both engines:
 * both are asked for the type, both facts are kept as posted by each, the
 * item is judged on the newest fact whichever provider sent it (a failed
 * one never passes), and one provider failing neither passes nor hides the
 * other's fact; the tab's sources list both, each with its own attempt.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import {
  CollectedEvidence,
  EvidenceCollectionRequest,
  releaseReadinessEvidenceProvidersExtensionPoint,
} from '@release-readiness/plugin-node';
import { Knex } from 'knex';
import request from 'supertest';
import { as, PRIYA, startReadinessBackend } from '../__testUtils__/fixtures';
import { policyPermissions } from '../__testUtils__/policyPermissions';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';
const PG = `${BASE}/entities/component/default/payment-gateway`;

type Behaviour = (r: EvidenceCollectionRequest) => Promise<CollectedEvidence[]>;

function provider(id: string, title: string) {
  const asked: EvidenceCollectionRequest[] = [];
  let behaviour: Behaviour = async () => [];
  const module = createBackendModule({
    pluginId: 'release-readiness',
    moduleId: id,
    register(env) {
      env.registerInit({
        deps: { providers: releaseReadinessEvidenceProvidersExtensionPoint },
        async init({ providers }) {
          providers.addProvider({
            id,
            title,
            types: ['static-analysis'],
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

const fact = (
  runId: string,
  status: CollectedEvidence['status'],
  minutesAgo: number,
): CollectedEvidence => ({
  type: 'static-analysis',
  status,
  metrics: { score: 95 },
  runId,
  observedAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
});

describe.each(databases.eachSupportedId())(
  'two evidence providers for one item type on %s',
  databaseId => {
    let api: ReturnType<typeof request>;
    let knex: Knex;
    const sonar = provider('fake-sonar', 'Fake Sonar');
    const scorecard = provider('fake-scorecard', 'Fake Scorecard');
    let count = 0;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({
        knex,
        defaultCredentials: mockCredentials.none() as any,
        features: [policyPermissions.factory, sonar.module, scorecard.module],
        config: { evidenceProviders: { timeout: { milliseconds: 300 } } },
      });
      api = request(server);
    });

    /** Opens a gate and waits for the collection its opening starts (nothing collected). */
    async function openGate() {
      sonar.answer(async () => []);
      scorecard.answer(async () => []);
      count += 1;
      const res = await api
        .post(`${PG}/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release: `8.${count}.0` });
      expect(res.status).toBe(201);
      const gate = res.body as { id: string; release: string };
      for (let i = 0; i < 100; i++) {
        const listed = await api
          .get(`${BASE}/gates/${gate.id}/evidence/sources`)
          .set('Authorization', as(PRIYA));
        if (
          listed.body.sources?.length === 2 &&
          listed.body.sources.every((s: any) => s.lastAttempt)
        ) {
          return gate;
        }
        await new Promise(r => setTimeout(r, 50));
      }
      throw new Error(`the opening of gate ${gate.id} collected nothing`);
    }

    const refresh = async (gateId: string) => {
      const res = await api
        .post(`${BASE}/gates/${gateId}/evidence/refresh`)
        .set('Authorization', as(PRIYA));
      expect(res.status).toBe(200);
      return res.body.sources as Array<{
        provider: string;
        lastAttempt?: { ok: boolean; message?: string; collected: number };
      }>;
    };

    async function outcome(gateId: string) {
      const res = await api
        .get(`${BASE}/gates/${gateId}`)
        .set('Authorization', as(PRIYA));
      return (
        res.body.evaluation.automated as Array<{
          itemId: string;
          outcome: string;
        }>
      ).find(a => a.itemId === 'static-analysis')!.outcome;
    }

    const stored = (release: string) =>
      knex('evidence')
        .where({
          entity_ref: 'component:default/payment-gateway',
          release,
          type: 'static-analysis',
        })
        .orderBy('run_id')
        .select('run_id', 'posted_by', 'status');

    it('asks both and keeps both facts, each as posted by its provider; the newest decides, and a failed one never passes', async () => {
      const gate = await openGate();
      sonar.answer(async () => [fact('sonar-1', 'passed', 30)]);
      scorecard.answer(async () => [fact('card-1', 'failed', 5)]);
      const sources = await refresh(gate.id);
      expect(
        sources.map(s => [
          s.provider,
          s.lastAttempt?.ok,
          s.lastAttempt?.collected,
        ]),
      ).toEqual([
        ['fake-sonar', true, 1],
        ['fake-scorecard', true, 1],
      ]);
      expect(sonar.asked.at(-1)!.types).toEqual(['static-analysis']);
      expect(scorecard.asked.at(-1)!.types).toEqual(['static-analysis']);
      expect(await stored(gate.release)).toEqual([
        {
          run_id: 'card-1',
          posted_by: 'provider:fake-scorecard',
          status: 'failed',
        },
        {
          run_id: 'sonar-1',
          posted_by: 'provider:fake-sonar',
          status: 'passed',
        },
      ]);
      // The scorecard's failed fact is the newest: the item fails.
      expect(await outcome(gate.id)).toBe('failed');

      // A newer passing fact from the other provider passes it again.
      sonar.answer(async () => [fact('sonar-2', 'passed', 1)]);
      scorecard.answer(async () => [fact('card-1', 'failed', 5)]);
      await refresh(gate.id);
      expect(await outcome(gate.id)).toBe('passed');
    });

    it('answers two refreshes of one gate at once, and stores each fact once', async () => {
      const gate = await openGate();
      // Slow enough that the two collections overlap.
      const slowly =
        (answer: CollectedEvidence): Behaviour =>
        async () => {
          await new Promise(r => setTimeout(r, 100));
          return [answer];
        };
      sonar.answer(slowly(fact('sonar-same', 'passed', 3)));
      scorecard.answer(slowly(fact('card-same', 'passed', 2)));
      const askedBefore = sonar.asked.length;
      const answers = await Promise.all([refresh(gate.id), refresh(gate.id)]);
      // Each refresh asked the provider itself: two collections ran.
      expect(sonar.asked.length - askedBefore).toBe(2);
      for (const sources of answers) {
        expect(sources.map(s => [s.provider, s.lastAttempt?.ok])).toEqual([
          ['fake-sonar', true],
          ['fake-scorecard', true],
        ]);
      }
      expect(await stored(gate.release)).toEqual([
        {
          run_id: 'card-same',
          posted_by: 'provider:fake-scorecard',
          status: 'passed',
        },
        {
          run_id: 'sonar-same',
          posted_by: 'provider:fake-sonar',
          status: 'passed',
        },
      ]);
      expect(await outcome(gate.id)).toBe('passed');
    });

    it('keeps the other provider’s fact when one fails, and its failure never passes the item on its own', async () => {
      const gate = await openGate();
      sonar.answer(async () => {
        throw new Error('Fake Sonar answered 503');
      });
      scorecard.answer(async () => []);
      const first = await refresh(gate.id);
      expect(first.map(s => [s.provider, s.lastAttempt?.ok])).toEqual([
        ['fake-sonar', false],
        ['fake-scorecard', true],
      ]);
      expect(first[0].lastAttempt?.message).toMatch(/503/);
      // Nothing collected, one failure: the item waits, it does not pass.
      expect(await outcome(gate.id)).toBe('missing');

      scorecard.answer(async () => [fact('card-ok', 'passed', 2)]);
      const second = await refresh(gate.id);
      expect(second.map(s => s.lastAttempt?.ok)).toEqual([false, true]);
      expect(await outcome(gate.id)).toBe('passed');
      expect(await stored(gate.release)).toEqual([
        {
          run_id: 'card-ok',
          posted_by: 'provider:fake-scorecard',
          status: 'passed',
        },
      ]);
    });
  },
);
