/*
 * The anchors migration numbers the events already stored, anchors each
 * chain's head and each decision's event, and leaves the trail append-only
 * (the triggers it sets aside for the backfill are back).
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { DatabaseAuditLog } from '../database';
import { MIGRATIONS_DIRECTORY } from '../database/migrations';
import { verifyEntityTrail, verifyGateTrail } from './AuditTrail';
import { hashAuditEvent } from './chain';

const ANCHORS = '20261205150000_audit_anchors.js';
const ENTITY = 'component:default/payment-gateway';
const PRIYA = 'user:default/priya';
const G1 = '11111111-1111-4111-8111-111111111111';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/**
 * The error a statement fails with. (better-sqlite3 builds its errors with
 * the Error of the first test file that loaded it in a Jest worker, so
 * `rejects.toThrow` does not recognise them in later files.)
 */
async function failure(statement: PromiseLike<unknown>): Promise<Error> {
  try {
    await statement;
  } catch (error) {
    return error as Error;
  }
  throw new Error('the statement succeeded');
}

function at(minute: number) {
  return new Date(Date.UTC(2026, 11, 1, 12, minute)).toISOString();
}

/** Events as the store wrote them before the anchors: hashed, unnumbered. */
function legacyEvents() {
  const prev = new Map<string, string>();
  const steps: [string | null, string, unknown, unknown][] = [
    [G1, 'gate.open', undefined, { release: '1.0.0' }],
    [null, 'owners.set', [], ['user:default/sam']],
    [G1, 'item.update', { itemId: 'a' }, { itemId: 'a', status: 'passed' }],
    [
      G1,
      'decision.no-go',
      { state: 'in-progress' },
      { state: 'no-go', stateHash: 'e'.repeat(64) },
    ],
  ];
  return steps.map(([gateId, action, before, after], minute) => {
    const chain = gateId ? `gate:${gateId}` : `entity:${ENTITY}`;
    const prevHash = prev.get(chain) ?? null;
    const hash = hashAuditEvent({
      prevHash,
      entityRef: ENTITY,
      gateId,
      actor: PRIYA,
      action,
      before,
      after,
      at: at(minute),
    });
    prev.set(chain, hash);
    return {
      entity_ref: ENTITY,
      gate_id: gateId,
      actor: PRIYA,
      action,
      before: before === undefined ? null : JSON.stringify(before),
      after: after === undefined ? null : JSON.stringify(after),
      at: at(minute),
      prev_hash: prevHash,
      hash,
    };
  });
}

describe.each(databases.eachSupportedId())(
  'the audit anchors migration on %s',
  databaseId => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
      await knex.migrate.down({
        directory: MIGRATIONS_DIRECTORY,
        name: ANCHORS,
      });
      await knex('gates').insert({
        id: G1,
        entity_ref: ENTITY,
        release: '1.0.0',
        template_name: 'component-gate',
        template_version: '1',
        template: '{}',
        template_hash: 'a'.repeat(64),
        tier: 1,
        state: 'no-go',
        requested_by: PRIYA,
        opened_at: at(0),
        updated_at: at(3),
      });
      await knex('decisions').insert({
        id: 'd1',
        gate_id: G1,
        verdict: 'no-go',
        reason: 'Scan missing',
        decided_by: PRIYA,
        at: at(3),
        state_hash: 'e'.repeat(64),
      });
      await knex('audit_events').insert(legacyEvents());
      await knex.migrate.up({ directory: MIGRATIONS_DIRECTORY, name: ANCHORS });
    });

    it('numbers each chain, anchors its head and each decision', async () => {
      const rows = await knex('audit_events').orderBy('id');
      expect(rows.map(r => [r.chain, Number(r.seq)])).toEqual([
        [`gate:${G1}`, 1],
        [`entity:${ENTITY}`, 1],
        [`gate:${G1}`, 2],
        [`gate:${G1}`, 3],
      ]);
      const heads = await knex('audit_heads').orderBy('chain');
      expect(heads.map(h => [h.chain, Number(h.seq), h.hash])).toEqual([
        [`entity:${ENTITY}`, 1, rows[1].hash],
        [`gate:${G1}`, 3, rows[3].hash],
      ]);
      const decision = await knex('decisions').where({ id: 'd1' }).first();
      expect(Number(decision.head_seq)).toBe(3);
      expect(decision.head_hash).toBe(rows[3].hash);

      const log = DatabaseAuditLog.create({ db: knex });
      expect((await verifyGateTrail(log, G1)).verification).toMatchObject({
        intact: true,
        events: 3,
      });
      expect((await verifyEntityTrail(log, ENTITY)).verification).toMatchObject(
        { intact: true, events: 1 },
      );
    });

    it('leaves the trail append-only, REPLACE included', async () => {
      expect(
        (
          await failure(
            knex('audit_events').update({ actor: 'user:default/x' }),
          )
        ).message,
      ).toMatch(/append-only/);
      expect((await failure(knex('audit_events').delete())).message).toMatch(
        /append-only/,
      );
      const [row] = await knex('audit_events').orderBy('id').limit(1);
      const sql = String(knex.client.config.client).includes('pg')
        ? 'INSERT INTO audit_events (id, entity_ref, actor, action, at, chain, seq) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET actor = EXCLUDED.actor'
        : 'REPLACE INTO audit_events (id, entity_ref, actor, action, at, chain, seq) VALUES (?, ?, ?, ?, ?, ?, ?)';
      expect(
        (
          await failure(
            knex.raw(sql, [
              row.id,
              ENTITY,
              'user:default/x',
              row.action,
              row.at,
              row.chain,
              row.seq,
            ]),
          )
        ).message,
      ).toMatch(/append-only/);
    });

    it('carries on the numbering where the backfill left it', async () => {
      const head = await DatabaseAuditLog.create({ db: knex }).append({
        entityRef: ENTITY,
        gateId: G1,
        actor: PRIYA,
        action: 'gate.in-progress',
        before: { state: 'no-go' },
        after: { state: 'in-progress', reason: 'Fixing the scan' },
        at: at(9),
      });
      expect(head).toMatchObject({ chain: `gate:${G1}`, seq: 4 });
    });
  },
);
