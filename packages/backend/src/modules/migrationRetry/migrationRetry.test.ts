import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withMigrationRetry } from '.';

/*
 * A plugin's `knex.migrate.latest()` while another replica holds knex's
 * migration lock: without the wrapper it fails at once (and so would the
 * backend's start); with it, it waits until the lock is released.
 */

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

function migrationsDirectory(options: { empty?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'migration-retry-'));
  if (options.empty) return dir;
  writeFileSync(
    join(dir, '20260101000000_things.js'),
    `exports.up = knex => knex.schema.createTable('things', t => t.string('id'));
exports.down = knex => knex.schema.dropTable('things');
`,
  );
  return dir;
}

describe('withMigrationRetry', () => {
  it('waits for another replica to release the migration lock', async () => {
    const knex = await databases.init('SQLITE_3');
    const directory = migrationsDirectory();
    // knex's bookkeeping tables, and the lock taken by "another replica".
    await knex.migrate.latest({
      directory: migrationsDirectory({ empty: true }),
    });
    await knex('knex_migrations_lock').update({ is_locked: 1 });

    await expect(knex.migrate.latest({ directory })).rejects.toThrow(
      'Migration table is already locked',
    );

    const logger = mockServices.logger.mock();
    const patched = withMigrationRetry(knex, { logger, what: 'Test' });
    expect(patched).toBe(knex);
    expect(withMigrationRetry(knex)).toBe(knex); // idempotent
    const migrating = knex.migrate.latest({ directory });
    // The other replica is done a moment later (a query runs when awaited).
    const released = new Promise(resolve => setTimeout(resolve, 600)).then(() =>
      knex('knex_migrations_lock').update({ is_locked: 0 }),
    );
    await Promise.all([migrating, released]);

    expect(await knex.schema.hasTable('things')).toBe(true);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining('Test is being migrated by another process'),
    );
    await knex.destroy();
  }, 20_000);
});
