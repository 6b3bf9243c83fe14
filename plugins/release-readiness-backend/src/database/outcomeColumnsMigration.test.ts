/*
 * The outcome columns migration fills what the outcome loop aggregates for
 * the gates written before it, from the audit trail: when each released (or
 * since rolled back) gate went to released, and which items were failed at
 * some point (an item id that merely starts like another does not count).
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { DatabaseAuditLog } from './DatabaseAuditLog';
import { MIGRATIONS_DIRECTORY } from './migrations';

const OUTCOME_COLUMNS = '20261207110000_outcome_columns.js';
const ENTITY = 'component:default/payment-gateway';
const PRIYA = 'user:default/priya';
const RELEASED = '11111111-1111-4111-8111-111111111111';
const ROLLED_BACK = '22222222-2222-4222-8222-222222222222';
const OPEN = '33333333-3333-4333-8333-333333333333';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const at = (minute: number) =>
  new Date(Date.UTC(2026, 11, 1, 12, minute)).toISOString();

describe.each(databases.eachSupportedId())(
  'the outcome columns migration on %s',
  databaseId => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
      await knex.migrate.down({
        directory: MIGRATIONS_DIRECTORY,
        name: OUTCOME_COLUMNS,
      });
      for (const [id, state, release] of [
        [RELEASED, 'released', '1.0.0'],
        [ROLLED_BACK, 'rolled-back', '1.1.0'],
        [OPEN, 'in-progress', '1.2.0'],
      ]) {
        await knex('gates').insert({
          id,
          entity_ref: ENTITY,
          release,
          template_name: 'component-gate',
          template_version: '1',
          template: '{}',
          template_hash: 'a'.repeat(64),
          tier: 1,
          state,
          requested_by: PRIYA,
          opened_at: at(0),
          updated_at: at(30),
        });
        await knex('gate_items').insert(
          ['qa', 'qa-extra'].map((itemId, position) => ({
            gate_id: id,
            item_id: itemId,
            position,
            source: 'template',
            definition: JSON.stringify({ id: itemId, title: itemId }),
            status: 'passed',
            note: null,
            waiver: null,
            updated_by: PRIYA,
            updated_at: at(10),
            version: 3,
          })),
        );
      }
      const log = DatabaseAuditLog.create({ db: knex });
      const event = (
        gateId: string,
        action: string,
        after: object,
        minute: number,
      ) =>
        log.append({
          entityRef: ENTITY,
          gateId,
          actor: PRIYA,
          action,
          before: null,
          after,
          at: at(minute),
        });
      // The released gate: `qa-extra` failed, then passed; `qa` only passed.
      await event(
        RELEASED,
        'item.update',
        { itemId: 'qa-extra', status: 'failed' },
        1,
      );
      await event(
        RELEASED,
        'item.update',
        { itemId: 'qa-extra', status: 'passed' },
        2,
      );
      await event(
        RELEASED,
        'item.update',
        { itemId: 'qa', status: 'passed' },
        3,
      );
      await event(RELEASED, 'gate.released', { state: 'released' }, 20);
      await event(ROLLED_BACK, 'gate.released', { state: 'released' }, 21);
      await event(
        ROLLED_BACK,
        'gate.rolled-back',
        { state: 'rolled-back' },
        25,
      );
      // The open gate: `qa` failed, not fixed yet.
      await event(OPEN, 'item.update', { itemId: 'qa', status: 'failed' }, 4);
      await knex.migrate.up({
        directory: MIGRATIONS_DIRECTORY,
        name: OUTCOME_COLUMNS,
      });
    });

    it('fills when each gate went to released, from its gate.released event', async () => {
      const rows = await knex('gates').select('id', 'released_at');
      const releasedAt = Object.fromEntries(
        rows.map(r => [
          r.id,
          r.released_at ? new Date(r.released_at).toISOString() : null,
        ]),
      );
      expect(releasedAt).toEqual({
        [RELEASED]: at(20),
        [ROLLED_BACK]: at(21),
        [OPEN]: null,
      });
    });

    it('marks the items failed at some point, by their exact id', async () => {
      const rows = await knex('gate_items').select(
        'gate_id',
        'item_id',
        'ever_failed',
      );
      const failed = rows
        .filter(r => Boolean(r.ever_failed))
        .map(r => `${r.gate_id}/${r.item_id}`)
        .sort();
      expect(failed).toEqual([`${OPEN}/qa`, `${RELEASED}/qa-extra`].sort());
    });
  },
);
