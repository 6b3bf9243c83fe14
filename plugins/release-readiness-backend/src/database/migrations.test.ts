import { readdirSync } from 'node:fs';
import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { isUniqueViolation } from './dialect';
import { refreshGateMetrics } from './gateMetrics';
import { MIGRATIONS_DIRECTORY } from './migrations';

const TABLES = [
  'gate_owner_assignments',
  'entities',
  'service_items',
  'gates',
  'gate_items',
  'votes',
  'evidence',
  'decisions',
  'audit_events',
];

const NOW = '2026-11-27T12:00:00.000Z';
const ENTITY = 'component:default/payment-gateway';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** Which of the plugin's tables exist. */
async function existingTables(knex: Knex): Promise<string[]> {
  const present: string[] = [];
  for (const table of TABLES) {
    if (await knex.schema.hasTable(table)) present.push(table);
  }
  return present;
}

function gateRow(id: string, release: string, state: string) {
  return {
    id,
    entity_ref: ENTITY,
    release,
    template_name: 'component-gate',
    template_version: '1',
    template: '{}',
    template_hash: 'a'.repeat(64),
    tier: 1,
    state,
    requested_by: 'user:default/priya',
    opened_at: NOW,
    updated_at: NOW,
  };
}

function voteRow(id: string, gateId: string, supersededAt: string | null) {
  return {
    id,
    gate_id: gateId,
    role: 'qa',
    voter: 'user:default/quinn',
    voter_claims: '[]',
    verdict: 'ready',
    checklist_revision: 1,
    at: NOW,
    superseded_at: supersededAt,
  };
}

/** Runs the insert and returns the error it failed with, if any. */
async function insertError(insert: Promise<unknown>): Promise<unknown> {
  try {
    await insert;
    return undefined;
  } catch (error) {
    return error;
  }
}

describe.each(databases.eachSupportedId())(
  'release-readiness migrations on %s',
  databaseId => {
    let knex: Knex;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
    });

    // Each test has its own database; free its connections right away.
    afterEach(() => knex.destroy());

    async function migrated() {
      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
    }

    it('creates every table', async () => {
      expect(await existingTables(knex)).toEqual([]);

      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });

      expect(await existingTables(knex)).toEqual(TABLES);
    });

    it('rolls all the way down and up again', async () => {
      await migrated();

      await knex.migrate.rollback({ directory: MIGRATIONS_DIRECTORY }, true);
      expect(await existingTables(knex)).toEqual([]);
      const [, pending] = await knex.migrate.list({
        directory: MIGRATIONS_DIRECTORY,
      });
      expect(pending).toHaveLength(
        readdirSync(MIGRATIONS_DIRECTORY).filter(f => f.endsWith('.js')).length,
      );

      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
      expect(await existingTables(knex)).toEqual(TABLES);
      // The indexes were dropped with their tables and are created again.
      await knex('gates').insert(gateRow('g1', '1.0.0', 'in-progress'));
      expect(
        isUniqueViolation(
          await insertError(
            knex('gates').insert(gateRow('g2', '1.0.0', 'in-progress')),
          ),
        ),
      ).toBe(true);
    });

    it('allows one gate per entity and release unless cancelled', async () => {
      await migrated();
      await knex('gates').insert(gateRow('g1', '1.0.0', 'in-progress'));

      const duplicate = await insertError(
        knex('gates').insert(gateRow('g2', '1.0.0', 'go')),
      );
      expect(isUniqueViolation(duplicate)).toBe(true);

      // Another release of the same entity is fine.
      await knex('gates').insert(gateRow('g3', '2.0.0', 'in-progress'));
      expect(await knex('gates').orderBy('id').pluck('id')).toEqual([
        'g1',
        'g3',
      ]);
    });

    it('allows any number of cancelled gates next to one live gate', async () => {
      await migrated();
      await knex('gates').insert(gateRow('g1', '1.0.0', 'cancelled'));
      await knex('gates').insert(gateRow('g2', '1.0.0', 'cancelled'));
      await knex('gates').insert(gateRow('g3', '1.0.0', 'in-progress'));

      expect(
        await knex('gates')
          .where({ release: '1.0.0' })
          .orderBy('id')
          .pluck('state'),
      ).toEqual(['cancelled', 'cancelled', 'in-progress']);
    });

    it('allows one live vote per gate, role and voter', async () => {
      await migrated();
      await knex('gates').insert(gateRow('g1', '1.0.0', 'in-progress'));
      await knex('votes').insert(voteRow('v1', 'g1', null));

      const duplicate = await insertError(
        knex('votes').insert(voteRow('v2', 'g1', null)),
      );
      expect(isUniqueViolation(duplicate)).toBe(true);

      // Superseded votes do not count.
      await knex('votes').where({ id: 'v1' }).update({ superseded_at: NOW });
      await knex('votes').insert(voteRow('v2', 'g1', null));
      await knex('votes').insert(voteRow('v3', 'g1', NOW));
      expect(
        await knex('votes').whereNull('superseded_at').pluck('id'),
      ).toEqual(['v2']);
    });

    it('keeps evidence unique per entity, release, type and run', async () => {
      await migrated();
      const evidence = (id: string, runId: string) => ({
        id,
        entity_ref: ENTITY,
        release: '1.0.0',
        type: 'test-report',
        status: 'passed',
        metrics: '{}',
        run_id: runId,
        observed_at: NOW,
        received_at: NOW,
        posted_by: 'external:ci',
      });
      await knex('evidence').insert(evidence('e1', 'run-1'));

      const duplicate = await insertError(
        knex('evidence').insert(evidence('e2', 'run-1')),
      );
      expect(isUniqueViolation(duplicate)).toBe(true);

      await knex('evidence').insert(evidence('e3', 'run-2'));
      expect(await knex('evidence').orderBy('id').pluck('id')).toEqual([
        'e1',
        'e3',
      ]);
    });

    it('backfills the metrics rows of existing gates as the store writes them', async () => {
      await migrated();
      // The roll-up's migration adds columns to gate_metrics: undone first,
      // so that the table is made again as it was, then redone by latest.
      await knex.migrate.down({
        directory: MIGRATIONS_DIRECTORY,
        name: '20261207120000_item_outcome_rollup.js',
      });
      await knex.migrate.down({
        directory: MIGRATIONS_DIRECTORY,
        name: '20261127190000_gate_metrics.js',
      });
      const opened = (id: string, release: string, state: string, at: string) =>
        knex('gates').insert({ ...gateRow(id, release, state), opened_at: at });
      const decision = (
        id: string,
        gateId: string,
        verdict: string,
        at: string,
        blockers: number | null,
      ) =>
        knex('decisions').insert({
          id,
          gate_id: gateId,
          verdict,
          reason: 'because',
          decided_by: 'user:default/priya',
          at,
          state_hash: 'b'.repeat(64),
          blocker_count: blockers,
        });
      const HOUR = 3_600_000;
      const TEAM = 'group:default/payments';
      await knex('entities').insert({
        entity_ref: ENTITY,
        kind: 'component',
        title: 'Payment gateway',
        owner_ref: TEAM,
        system_ref: null,
        tags: '[]',
        refreshed_at: NOW,
      });
      // Opened in the last half hour of March (UTC), GO twice: the first
      // GO, 30.5 hours later, is its lead time.
      await opened('g1', '1.0.0', 'released', '2026-03-31T23:30:00.000Z');
      await decision('d1', 'g1', 'no-go', '2026-04-01T10:00:00.000Z', 4);
      await decision('d2', 'g1', 'go', '2026-04-02T06:00:00.000Z', null);
      await decision('d3', 'g1', 'go', '2026-04-03T06:00:00.000Z', 1);
      await opened('g2', '1.1.0', 'in-progress', '2026-11-02T08:00:00.000Z');
      await opened('g3', '1.2.0', 'cancelled', '2026-11-03T08:00:00.000Z');
      await decision('d4', 'g3', 'no-go', '2026-11-03T09:00:00.000Z', 9);
      await opened('g4', '1.3.0', 'rolled-back', '2026-12-31T23:59:59.999Z');
      const incident = (id: string, release: string) =>
        knex('incidents').insert({
          id,
          entity_ref: ENTITY,
          release,
          severity: 'sev2',
          title: 'Outage',
          occurred_at: NOW,
          reported_by: 'user:default/priya',
          reported_at: NOW,
        });
      await incident('i1', '1.3.0');
      await incident('i2', '1.3.0');
      await incident('i3', '1.1.0');
      await decision('d5', 'g4', 'go', '2027-01-01T00:14:59.999Z', 0);

      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
      const read = async () =>
        (await knex('gate_metrics').orderBy('gate_id')).map(row => ({
          ...row,
          opened_at: new Date(row.opened_at).toISOString(),
          released: Boolean(row.released),
          lead_ms: row.lead_ms === null ? null : Number(row.lead_ms),
        }));
      const backfilled = await read();
      expect(
        backfilled.map(r => [
          r.gate_id,
          r.month,
          r.quarter,
          r.released,
          r.go_count,
          r.no_go_count,
          r.blocker_sum,
          r.blocker_count,
          r.lead_ms,
          r.incidents,
          r.owner_ref,
        ]),
      ).toEqual([
        ['g1', '2026-03', '2026-Q1', true, 2, 1, 5, 2, 30.5 * HOUR, 0, TEAM],
        ['g2', '2026-11', '2026-Q4', false, 0, 0, 0, 0, null, 1, TEAM],
        ['g4', '2026-12', '2026-Q4', true, 1, 0, 0, 1, 15 * 60_000, 2, TEAM],
      ]);

      // The store's own computation writes the very same rows.
      await knex('gate_metrics').delete();
      await refreshGateMetrics(knex, ['g1', 'g2', 'g3', 'g4']);
      expect(await read()).toEqual(backfilled);
    });
  },
);
