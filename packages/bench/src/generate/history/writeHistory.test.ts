/*
 * What the benchmark's generator writes is what the plugin would have
 * stored: each entity's index row holds the summary of its current gate (its
 * newest that is not cancelled) exactly as the plugin evaluates that gate, so
 * that reading an entity finds nothing to rewrite; the outcome loop's
 * roll-up is the one the plugin's migration computes from the same gates.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  storedTeamMonths,
  teamMonthsFromMetrics,
} from '@release-readiness/plugin-backend/internal';
import { outcomeNumbers } from '@release-readiness/plugin-common';
import { startPluginBackend } from '../__testUtils__/pluginBackend';
import { loadRepoTemplates, MIGRATIONS_DIRECTORY } from '../database';
import { writeHistory } from './writeHistory';
import { SyntheticCatalog } from '../syntheticCatalog';

const API = '/api/release-readiness';
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'the generated summaries on %s',
  id => {
    afterEach(() => jest.useRealTimers());

    it('are the plugin’s own evaluation of each current gate', async () => {
      // The generator and the plugin evaluate at the same instant: with the
      // clock running, evidence that turns stale between the two (observed
      // the maximum age before the generation) would differ. Only Date is
      // stopped; timers and the event loop run as usual.
      jest.useFakeTimers({
        now: new Date(),
        doNotFake: [
          'hrtime',
          'nextTick',
          'performance',
          'queueMicrotask',
          'requestAnimationFrame',
          'cancelAnimationFrame',
          'requestIdleCallback',
          'cancelIdleCallback',
          'setImmediate',
          'clearImmediate',
          'setInterval',
          'clearInterval',
          'setTimeout',
          'clearTimeout',
        ],
      });
      const knex = await databases.init(id);
      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
      const catalog = new SyntheticCatalog(60);
      const components = [...catalog.components()];
      const written = await writeHistory(knex, {
        entities: components,
        people: catalog.people(),
        templates: loadRepoTemplates(),
        options: {
          seed: 11,
          now: new Date(),
          months: 3,
          pastGates: { min: 0, max: 2 },
          currentGates: true,
        },
      });
      expect(written.gatesByState.cancelled).toBeGreaterThan(0);

      // The rows as written, before any read could refresh them.
      const rows = await knex('entities').orderBy('entity_ref').select();
      const gates = await knex('gates').select();

      const api = await startPluginBackend({
        knex,
        entities: components.map(c => catalog.entity(c.entityRef) as Entity),
        user: 'user:default/qa-0',
      });

      const stored = [];
      const expected = [];
      for (const row of rows) {
        const current = gates
          .filter(
            g => g.entity_ref === row.entity_ref && g.state !== 'cancelled',
          )
          .sort(
            (a, b) =>
              new Date(b.opened_at).getTime() - new Date(a.opened_at).getTime(),
          )[0];
        stored.push({
          entityRef: row.entity_ref,
          gateId: row.current_gate_id,
          state: row.current_state,
          verdict: row.current_verdict,
          score: row.current_score,
          blockers: row.current_blockers,
          version: row.current_gate_version,
        });
        if (!current) {
          expected.push({
            entityRef: row.entity_ref,
            gateId: null,
            state: null,
            verdict: null,
            score: null,
            blockers: null,
            version: null,
          });
          continue;
        }
        const res = await api.get(`${API}/gates/${current.id}`);
        expect(res.status).toBe(200);
        expected.push({
          entityRef: row.entity_ref,
          gateId: current.id,
          state: res.body.state,
          verdict: res.body.evaluation.verdict,
          // A released or rolled-back gate keeps no blockers in its summary
          // (-common's gateOutcome): it is shown by its final state.
          ...outcomeNumbers(res.body.state, {
            score: res.body.evaluation.score,
            blockers: res.body.evaluation.blockers.length,
          }),
          version: res.body.version,
        });
      }
      expect(expected.filter(e => e.gateId).length).toBeGreaterThan(50);
      expect(stored).toEqual(expected);
    }, 60_000);
  },
);

describe.each(databases.eachSupportedId())(
  'the generated outcome roll-up on %s',
  id => {
    it('is what the migration’s backfill computes from the same gates', async () => {
      const knex = await databases.init(id);
      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
      const catalog = new SyntheticCatalog(60);
      await writeHistory(knex, {
        entities: [...catalog.components()],
        people: catalog.people(),
        templates: loadRepoTemplates(),
        options: {
          seed: 12,
          now: new Date(),
          months: 3,
          pastGates: { min: 0, max: 2 },
          currentGates: true,
        },
      });
      const read = async () => ({
        metrics: (
          await knex('gate_metrics')
            .orderBy('gate_id')
            .select(
              'gate_id',
              'template_name',
              'released_month',
              'incident_after_release',
            )
        ).map(r => ({
          ...r,
          incident_after_release: Boolean(r.incident_after_release),
        })),
        rollup: (
          await knex('item_outcome_rollup')
            .orderBy(['month', 'owner_ref', 'template_name', 'item_id'])
            .orderBy('outcome')
            .select()
        ).map(r => ({
          ...r,
          releases: Number(r.releases),
          incidents: Number(r.incidents),
          automated: Boolean(r.automated),
        })),
        totals: (
          await knex('item_outcome_totals')
            .orderBy(['month', 'template_name', 'item_id', 'outcome'])
            .select()
        ).map(r => ({
          ...r,
          releases: Number(r.releases),
          incidents: Number(r.incidents),
          automated: Boolean(r.automated),
        })),
      });
      const generated = await read();
      expect(
        generated.rollup.filter(r => r.incidents > 0).length,
      ).toBeGreaterThan(0);
      const migration = {
        directory: MIGRATIONS_DIRECTORY,
        name: '20261207120000_item_outcome_rollup.js',
      };
      await knex.migrate.down(migration);
      await knex.migrate.up(migration);
      expect(await read()).toEqual(generated);

      // The metrics per team and month, as the generator moved them, as
      // summed from the metrics rows, and as the migration backfills them.
      const teamMonths = await storedTeamMonths(knex);
      expect(teamMonths.length).toBeGreaterThan(1);
      expect(teamMonths.some(r => r.lead_times.includes(','))).toBe(true);
      expect(teamMonths).toEqual(await teamMonthsFromMetrics(knex));
      const teamMonthsMigration = {
        directory: MIGRATIONS_DIRECTORY,
        name: '20261209100000_gate_metrics_team_months.js',
      };
      await knex.migrate.down(teamMonthsMigration);
      await knex.migrate.up(teamMonthsMigration);
      expect(await storedTeamMonths(knex)).toEqual(teamMonths);
    }, 60_000);
  },
);
