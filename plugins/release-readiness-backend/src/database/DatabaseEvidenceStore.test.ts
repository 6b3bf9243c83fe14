import { TestDatabases } from '@backstage/backend-test-utils';
import {
  AutomatedGateItem,
  evaluateAutomatedItem,
  Evidence,
  ROLLBACK_VERIFICATION_EVIDENCE,
} from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import { DatabaseEvidenceStore } from './DatabaseEvidenceStore';
import { MIGRATIONS_DIRECTORY } from './migrations';

const ENTITY = 'component:default/payment-gateway';
const OTHER_ENTITY = 'component:default/ledger';

type NewEvidence = Omit<Evidence, 'id' | 'receivedAt'>;

function evidence(overrides: Partial<NewEvidence> = {}): NewEvidence {
  return {
    entityRef: ENTITY,
    release: '1.0.0',
    type: 'test-report',
    status: 'passed',
    metrics: { passed: true, total: 412 },
    link: 'https://ci.example.com/runs/101',
    commit: '0123456789abcdef0123456789abcdef01234567',
    runId: '101',
    observedAt: '2026-11-27T10:00:00.000Z',
    postedBy: 'external:github-actions',
    ...overrides,
  };
}

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'DatabaseEvidenceStore on %s',
  databaseId => {
    let knex: Knex;
    let store: DatabaseEvidenceStore;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
      store = DatabaseEvidenceStore.create({ db: knex });
    });

    // Each test has its own database; free its connections right away.
    afterEach(() => knex.destroy());

    it('stores new evidence', async () => {
      const before = Date.now();

      const result = await store.addEvidence({ evidence: evidence() });

      expect(result.created).toBe(true);
      expect(result.evidence).toEqual({
        ...evidence(),
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        receivedAt: expect.any(String),
      });
      expect(Date.parse(result.evidence.receivedAt)).toBeGreaterThanOrEqual(
        before - 1000,
      );
      expect(await knex('evidence').pluck('id')).toEqual([result.evidence.id]);
    });

    it('leaves out link and commit when there are none', async () => {
      const { link: _link, commit: _commit, ...bare } = evidence();

      const { evidence: stored } = await store.addEvidence({ evidence: bare });

      expect(stored).not.toHaveProperty('link');
      expect(stored).not.toHaveProperty('commit');
      const [row] = await knex('evidence');
      expect(row.link).toBeNull();
      expect(row.commit_sha).toBeNull();
    });

    it('returns the first evidence when the same run posts again', async () => {
      const first = await store.addEvidence({ evidence: evidence() });

      const repeat = await store.addEvidence({
        evidence: evidence({
          status: 'failed',
          metrics: { passed: false, total: 1 },
          link: 'https://ci.example.com/runs/101?retry=1',
          observedAt: '2026-11-27T11:00:00.000Z',
        }),
      });

      expect(repeat.created).toBe(false);
      expect(repeat.evidence).toEqual(first.evidence);
      expect(repeat.evidence.metrics).toEqual({ passed: true, total: 412 });
      expect(repeat.evidence.status).toBe('passed');
      expect(await knex('evidence').pluck('id')).toEqual([first.evidence.id]);
    });

    it('stores another run, type, release or entity as new evidence', async () => {
      const first = await store.addEvidence({ evidence: evidence() });
      const others = [
        evidence({ runId: '102' }),
        evidence({ type: 'security-scan' }),
        evidence({ release: '1.1.0' }),
        evidence({ entityRef: OTHER_ENTITY }),
      ];

      const results = [];
      for (const other of others) {
        results.push(await store.addEvidence({ evidence: other }));
      }

      expect(results.map(r => r.created)).toEqual([true, true, true, true]);
      const ids = [first, ...results].map(r => r.evidence.id);
      expect(new Set(ids).size).toBe(5);
      expect(results[0].evidence.runId).toBe('102');
      expect((await knex('evidence').pluck('id')).sort()).toEqual(
        [...ids].sort(),
      );
    });

    it('lists the evidence of an entity and release, newest first', async () => {
      const add = async (runId: string, observedAt: string, overrides = {}) =>
        (
          await store.addEvidence({
            evidence: evidence({ runId, observedAt, ...overrides }),
          })
        ).evidence;
      const middle = await add('2', '2026-11-27T10:00:00.000Z');
      const oldest = await add('1', '2026-11-26T23:59:59.000Z');
      const newest = await add('3', '2026-11-27T10:00:00.001Z', {
        type: 'static-analysis',
      });
      await add('4', '2026-11-28T00:00:00.000Z', { release: '1.1.0' });
      await add('5', '2026-11-28T00:00:00.000Z', { entityRef: OTHER_ENTITY });

      const listed = await store.listEvidence({
        entityRef: ENTITY,
        release: '1.0.0',
      });

      expect(listed).toEqual([newest, middle, oldest]);
      expect(
        await store.listEvidence({ entityRef: ENTITY, release: '9.9.9' }),
      ).toEqual([]);
    });

    it('answers what the evaluation reads of a release, never every fact: the newest of each type and its newest passed one, chosen as -common chooses', async () => {
      // Facts written as stored rows, so that the test chooses the times
      // received too: observed after received (counts as received), equal
      // observed times broken by the later received, then by the greater
      // id; passed and failed runs of every type.
      let seed = 20;
      const next = () => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed / 2147483648;
      };
      const types = [
        'test-report',
        'security-scan',
        'static-analysis',
        ROLLBACK_VERIFICATION_EVIDENCE,
      ];
      const base = Date.parse('2026-11-27T00:00:00.000Z');
      const minute = 60_000;
      const rows = Array.from({ length: 2_000 }, (_, i) => {
        const received = base + Math.floor(next() * 40) * minute;
        const observed = received + Math.floor(next() * 12 - 8) * minute;
        return {
          id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          entity_ref: ENTITY,
          release: '1.0.0',
          type: types[Math.floor(next() * types.length)],
          status: next() < 0.3 ? 'passed' : 'failed',
          metrics: '{}',
          link: null,
          commit_sha: null,
          run_id: `run-${i}`,
          observed_at: new Date(observed).toISOString(),
          received_at: new Date(received).toISOString(),
          posted_by: next() < 0.5 ? 'external:ci' : 'provider:sonarqube',
        };
      });
      await knex.batchInsert('evidence', rows, 200);
      await store.addEvidence({
        evidence: evidence({ release: '1.1.0', runId: 'other-release' }),
      });

      const all = await store.listEvidence({
        entityRef: ENTITY,
        release: '1.0.0',
      });
      const newest = await store.listNewestEvidence({
        entityRef: ENTITY,
        release: '1.0.0',
      });

      expect(all).toHaveLength(2_000);
      expect(newest.length).toBeLessThanOrEqual(2 * types.length);
      // The evaluation's own choice (-common) of the fact an item is judged
      // by, from every fact and from the summary: the same, for each type
      // and for each type's passed runs (a rollback verification counts
      // its newest passed one).
      const gate = { entityRef: ENTITY, release: '1.0.0' };
      const now = new Date('2026-12-01T00:00:00.000Z');
      const judgedBy = (type: string, facts: Evidence[]) => {
        const item: AutomatedGateItem = {
          id: type,
          title: type,
          category: 'build-and-test',
          required: true,
          source: 'template',
          status: 'pending',
          version: 1,
          automated: {
            evidenceType: type,
            rule: 'passed == true',
            maxAge: 'P30D',
          },
        };
        const result = evaluateAutomatedItem(item, gate, facts, now);
        return [type, result.evidenceId, result.observedAt, result.outcome];
      };
      const passed = (facts: Evidence[]) =>
        facts.filter(e => e.status === 'passed');
      for (const type of types) {
        expect(judgedBy(type, newest)).toEqual(judgedBy(type, all));
        expect(judgedBy(type, passed(newest))).toEqual(
          judgedBy(type, passed(all)),
        );
        expect(judgedBy(type, passed(all))[1]).toBeDefined();
      }
      // Per poster (the evidence sources): each poster's newest of a type.
      const perPoster = await store.listNewestEvidence({
        entityRef: ENTITY,
        release: '1.0.0',
        per: 'poster',
      });
      const posters = ['external:ci', 'provider:sonarqube'];
      expect(perPoster).toHaveLength(types.length * posters.length);
      const by = (poster: string) => (facts: Evidence[]) =>
        facts.filter(e => e.postedBy === poster);
      for (const type of types) {
        for (const poster of posters) {
          expect(judgedBy(type, by(poster)(perPoster))).toEqual(
            judgedBy(type, by(poster)(all)),
          );
        }
      }
      expect(
        await store.listNewestEvidence({ entityRef: ENTITY, release: '9.9.9' }),
      ).toEqual([]);
    });

    it('keeps the types of metric values', async () => {
      const metrics = {
        score: 91.5,
        failures: 0,
        coverage: -1,
        passed: true,
        flaky: false,
        grade: 'A',
        count: '12',
        empty: '',
      };

      const { evidence: added } = await store.addEvidence({
        evidence: evidence({ metrics }),
      });
      const [listed] = await store.listEvidence({
        entityRef: ENTITY,
        release: '1.0.0',
      });

      expect(added.metrics).toEqual(metrics);
      expect(listed.metrics).toEqual(metrics);
      expect(typeof listed.metrics.failures).toBe('number');
      expect(typeof listed.metrics.flaky).toBe('boolean');
      expect(typeof listed.metrics.count).toBe('string');
    });

    it('stores a run once when it is posted ten times at once', async () => {
      const posts = Array.from({ length: 10 }, (_, i) =>
        store.addEvidence({
          evidence: evidence({ metrics: { passed: true, attempt: i } }),
        }),
      );

      const results = await Promise.all(posts);

      expect(results.filter(r => r.created)).toHaveLength(1);
      const winner = results.find(r => r.created)!.evidence;
      for (const result of results) {
        expect(result.evidence).toEqual(winner);
      }
      expect(await knex('evidence').pluck('id')).toEqual([winner.id]);
    });
  },
);
