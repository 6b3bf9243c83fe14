import { TestDatabases } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import {
  applyDatabaseMigrations,
  isConcurrentMigration,
  migrateWithRetry,
  withMigrationLock,
} from './migrations';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * Replicas starting together on one database: knex lets one of them migrate
 * and fails the others at once ("Migration table is already locked", or a
 * lost race to create knex's own tables). The plugin waits and tries again.
 */

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

describe('migrations of replicas starting together', () => {
  it.each(databases.eachSupportedId())(
    'lets every replica start on %s',
    async databaseId => {
      const first = await databases.init(databaseId);
      // More replicas: their own pools on the same fresh database.
      const others: Knex[] = [1, 2, 3].map(() =>
        knexFactory({ ...first.client.config, pool: { min: 0, max: 2 } }),
      );
      try {
        const clients = [first, ...others];
        const results = await Promise.allSettled(
          clients.map(client =>
            applyDatabaseMigrations({
              getClient: async () => client,
              migrations: { skip: false },
            }),
          ),
        );
        expect(results.map(r => r.status)).toEqual(
          clients.map(() => 'fulfilled'),
        );
        const names = await first('knex_migrations').pluck('name');
        expect(names.length).toBeGreaterThan(0);
        expect(new Set(names).size).toBe(names.length);
        expect(await first.schema.hasTable('gates')).toBe(true);
        // Created by one replica only: with two rows knex would consider
        // the table locked for ever.
        const [{ n: lockRows }] = await first('knex_migrations_lock').count({
          n: '*',
        });
        expect(Number(lockRows)).toBe(1);
        // A migration of another table set (like Backstage's key store, on
        // the same database) waits its turn too and ends unlocked.
        const directory = mkdtempSync(join(tmpdir(), 'other-migrations-'));
        writeFileSync(
          join(directory, '20260101000000_other.js'),
          `exports.up = knex => knex.schema.createTable('other_things', t => t.string('id'));
exports.down = knex => knex.schema.dropTable('other_things');
`,
        );
        const migrated = await Promise.allSettled(
          clients.map(client =>
            withMigrationLock(client, () =>
              client.migrate.latest({
                directory,
                tableName: 'other__knex_migrations',
              }),
            ),
          ),
        );
        expect(migrated.map(r => r.status)).toEqual(
          clients.map(() => 'fulfilled'),
        );
        const [{ n: otherLockRows }] = await first(
          'other__knex_migrations_lock',
        ).count({ n: '*' });
        expect(Number(otherLockRows)).toBe(1);
      } finally {
        await Promise.all(others.map(o => o.destroy()));
        await first.destroy();
      }
    },
    60_000,
  );
});

describe('migrateWithRetry', () => {
  const locked = Object.assign(new Error('Migration table is already locked'), {
    name: 'MigrationLocked',
  });

  it('tries again while another process holds the lock', async () => {
    const migrate = jest
      .fn()
      .mockRejectedValueOnce(locked)
      .mockRejectedValueOnce(
        Object.assign(new Error('relation "knex_migrations" already exists'), {
          code: '42P07',
        }),
      )
      .mockResolvedValue('done');
    const logger = { info: jest.fn() };
    await expect(
      migrateWithRetry(migrate, { logger, intervalMs: 1 }),
    ).resolves.toBe('done');
    expect(migrate).toHaveBeenCalledTimes(3);
    expect(logger.info).toHaveBeenCalledTimes(1);
  });

  it('does not retry a real failure', async () => {
    const broken = Object.assign(new Error('duplicate key'), {
      code: '23505',
      constraint: 'gates_entity_release_live',
    });
    const migrate = jest.fn().mockRejectedValue(broken);
    await expect(migrateWithRetry(migrate, { intervalMs: 1 })).rejects.toBe(
      broken,
    );
    expect(migrate).toHaveBeenCalledTimes(1);
  });

  it('gives up after the timeout and says how to release a stale lock', async () => {
    const migrate = jest.fn().mockRejectedValue(locked);
    await expect(
      migrateWithRetry(migrate, { timeoutMs: 20, intervalMs: 5 }),
    ).rejects.toThrow(/knex migrate:unlock/);
  });

  it('recognises the races of both engines and nothing else', () => {
    expect(isConcurrentMigration(locked)).toBe(true);
    expect(
      isConcurrentMigration({
        code: '23505',
        constraint: 'pg_type_typname_nsp_index',
      }),
    ).toBe(true);
    expect(isConcurrentMigration({ code: '42710' })).toBe(true);
    expect(
      isConcurrentMigration({ code: '23505', constraint: 'votes_live' }),
    ).toBe(false);
    expect(isConcurrentMigration(new Error('syntax error'))).toBe(false);
    expect(isConcurrentMigration(undefined)).toBe(false);
  });
});
