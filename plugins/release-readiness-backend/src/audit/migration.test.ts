import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import {
  DatabaseAuditLog,
  DatabaseEntityIndexStore,
  DatabaseGateStore,
} from '../database';
import { MIGRATIONS_DIRECTORY } from '../database/migrations';
import { verifyChain } from './chain';
import { AuditEvent } from './types';

const MIGRATION = '20261127140000_audit_chain.js';
/** A later migration on audit_events, taken down first and up last. */
const ANCHORS = '20261205150000_audit_anchors.js';
const ENTITY = 'component:default/payment-gateway';
const OTHER = 'component:default/ledger';
const PRIYA = 'user:default/priya';
const G1 = '11111111-1111-4111-8111-111111111111';
const G2 = '22222222-2222-4222-8222-222222222222';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

function at(minute: number) {
  return new Date(Date.UTC(2026, 10, 27, 12, minute)).toISOString();
}

function event(
  action: string,
  gateId: string | null,
  minute: number,
  extra: { entity_ref?: string; before?: unknown; after?: unknown } = {},
) {
  return {
    entity_ref: extra.entity_ref ?? ENTITY,
    gate_id: gateId,
    actor: PRIYA,
    action,
    before: extra.before === undefined ? null : JSON.stringify(extra.before),
    after: extra.after === undefined ? null : JSON.stringify(extra.after),
    at: at(minute),
  };
}

/** Events of gates and entities, interleaved, as written before the chain. */
const LEGACY = [
  event('gate.open', G1, 0, { after: { release: '1.0.0', items: ['a'] } }),
  event('owners.set', null, 1, { before: [], after: ['user:default/sam'] }),
  event('gate.open', G2, 2, { after: { release: '2.0.0' } }),
  event('item.update', G1, 3, {
    before: { itemId: 'a', status: 'pending' },
    after: { itemId: 'a', status: 'passed', note: 'it’s fine' },
  }),
  event('service-item.add', null, 4, {
    entity_ref: OTHER,
    after: { id: 'smoke', title: 'Smoke' },
  }),
  event('signoff.vote', G2, 5, { after: { role: 'qa', verdict: 'ready' } }),
  event('decision.go', G1, 6, {
    before: { state: 'in-progress' },
    after: { state: 'go', stateHash: 'e'.repeat(64) },
  }),
  event('owners.set', null, 7, {
    before: ['user:default/sam'],
    after: [],
  }),
];

function gateRow(id: string, release: string) {
  return {
    id,
    entity_ref: ENTITY,
    release,
    template_name: 'component-gate',
    template_version: '1',
    template: '{}',
    template_hash: 'a'.repeat(64),
    tier: 1,
    state: 'in-progress',
    requested_by: PRIYA,
    opened_at: at(0),
    updated_at: at(0),
  };
}

/** An entity's events without a gate, mapped as the store maps them. */
async function entityChain(knex: Knex, entityRef: string) {
  const rows = await knex('audit_events')
    .where({ entity_ref: entityRef })
    .whereNull('gate_id')
    .orderBy('id');
  return rows.map(
    (row): AuditEvent => ({
      id: String(row.id),
      entityRef: row.entity_ref,
      actor: row.actor,
      action: row.action,
      ...(row.before ? { before: JSON.parse(row.before) } : {}),
      ...(row.after ? { after: JSON.parse(row.after) } : {}),
      at: new Date(row.at).toISOString(),
      ...(row.prev_hash ? { prevHash: row.prev_hash } : {}),
      ...(row.hash ? { hash: row.hash } : {}),
    }),
  );
}

/** The named indexes of audit_events. */
async function indexNames(knex: Knex): Promise<string[]> {
  if (String(knex.client.config.client).includes('pg')) {
    const result = await knex.raw(
      "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'audit_events'",
    );
    return result.rows
      .map((r: { name: string }) => r.name)
      .filter((n: string) => !n.endsWith('_pkey'))
      .sort();
  }
  const rows = await knex.raw("PRAGMA index_list('audit_events')");
  return rows
    .map((r: { name: string }) => r.name)
    .filter((n: string) => !n.startsWith('sqlite_autoindex'))
    .sort();
}

async function failure(statement: PromiseLike<unknown>): Promise<Error> {
  try {
    await statement;
  } catch (error) {
    return error as Error;
  }
  throw new Error('the statement succeeded');
}

describe.each(databases.eachSupportedId())(
  'the audit chain migration on %s',
  databaseId => {
    let knex: Knex;
    let gates: DatabaseGateStore;
    let entities: DatabaseEntityIndexStore;
    let log: DatabaseAuditLog;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      gates = DatabaseGateStore.create({ db: knex });
      entities = DatabaseEntityIndexStore.create({ db: knex });
      log = DatabaseAuditLog.create({ db: knex });
      // The schema as it was before the chain, with a trail already written.
      await knex.migrate.up({
        directory: MIGRATIONS_DIRECTORY,
        name: '20261127120000_gate_owner_assignments.js',
      });
      await knex.migrate.up({
        directory: MIGRATIONS_DIRECTORY,
        name: '20261127130000_gates.js',
      });
      await knex('gates').insert([gateRow(G1, '1.0.0'), gateRow(G2, '2.0.0')]);
      for (const row of LEGACY) {
        await knex('audit_events').insert(row);
      }
    });

    afterEach(() => knex.destroy());

    async function expectAllChainsVerify() {
      expect(await log.verifyAuditChain({ gateId: G1 })).toEqual({
        ok: true,
        events: 3,
      });
      expect(await log.verifyAuditChain({ gateId: G2 })).toEqual({
        ok: true,
        events: 2,
      });
      expect(verifyChain(await entityChain(knex, ENTITY))).toEqual({
        ok: true,
        events: 2,
      });
      expect(verifyChain(await entityChain(knex, OTHER))).toEqual({
        ok: true,
        events: 1,
      });
    }

    it('hashes the existing trail, one chain per gate and per entity', async () => {
      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });

      const rows = await knex('audit_events').orderBy('id');
      expect(rows.every(r => /^[0-9a-f]{64}$/.test(r.hash))).toBe(true);
      // The first event of each chain has no predecessor.
      expect(rows.map(r => r.prev_hash === null)).toEqual([
        true, // G1
        true, // entity
        true, // G2
        false,
        true, // other entity
        false,
        false,
        false,
      ]);
      expect(rows[3].prev_hash).toBe(rows[0].hash);
      expect(rows[6].prev_hash).toBe(rows[3].hash);
      expect(rows[7].prev_hash).toBe(rows[1].hash);
      await expectAllChainsVerify();
    });

    it('lets the store carry on the chains it backfilled', async () => {
      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
      const [last] = await knex('audit_events')
        .where({ gate_id: G2 })
        .orderBy('id', 'desc')
        .limit(1);

      await gates.addVote({
        gateId: G2,
        role: 'qa',
        voter: 'user:default/quinn',
        voterClaims: [],
        verdict: 'ready',
      });
      await entities.setAssignments({
        entityRef: ENTITY,
        ownerRefs: ['user:default/quinn'],
        actor: PRIYA,
      });

      const audit = await log.listAudit({ gateId: G2 });
      expect(audit).toHaveLength(3);
      expect(audit[2].prevHash).toBe(last.hash);
      expect(await log.verifyAuditChain({ gateId: G2 })).toEqual({
        ok: true,
        events: 3,
      });
      expect(verifyChain(await entityChain(knex, ENTITY))).toEqual({
        ok: true,
        events: 3,
      });
    });

    it('goes down to before it and up again', async () => {
      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
      expect(
        (await failure(knex('audit_events').update({ actor: 'x' }))).message,
      ).toMatch(/append-only/);

      await knex.migrate.down({
        directory: MIGRATIONS_DIRECTORY,
        name: ANCHORS,
      });
      await knex.migrate.down({
        directory: MIGRATIONS_DIRECTORY,
        name: MIGRATION,
      });

      expect(await knex.schema.hasColumn('audit_events', 'hash')).toBe(false);
      expect(await knex.schema.hasColumn('audit_events', 'prev_hash')).toBe(
        false,
      );
      expect(Number((await knex('audit_events').count({ n: '*' }))[0].n)).toBe(
        LEGACY.length,
      );
      // Without the migration the table is an ordinary one again.
      await knex('audit_events')
        .where({ action: 'decision.go' })
        .update({ actor: 'user:default/sam' });
      await knex('audit_events').where({ action: 'owners.set' }).delete();
      expect(await indexNames(knex)).toEqual([
        'audit_events_entity_idx',
        'audit_events_gate_idx',
      ]);
      await knex('audit_events').insert(event('gate.cancelled', G2, 9));

      await knex.migrate.up({
        directory: MIGRATIONS_DIRECTORY,
        name: MIGRATION,
      });
      await knex.migrate.up({
        directory: MIGRATIONS_DIRECTORY,
        name: ANCHORS,
      });

      const [, pending] = await knex.migrate.list({
        directory: MIGRATIONS_DIRECTORY,
      });
      expect(pending).toEqual([]);
      expect(await log.verifyAuditChain({ gateId: G1 })).toEqual({
        ok: true,
        events: 3,
      });
      expect(await log.verifyAuditChain({ gateId: G2 })).toEqual({
        ok: true,
        events: 3,
      });
      expect(await entityChain(knex, ENTITY)).toEqual([]);
      expect(
        (await failure(knex('audit_events').where({ gate_id: G1 }).delete()))
          .message,
      ).toMatch(/append-only/);
    });
  },
);
