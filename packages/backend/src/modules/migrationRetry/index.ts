/*
 * Every plugin's migrations wait for each other across replicas.
 *
 * Backstage's plugins run `knex.migrate.latest()` when they start. When two
 * replicas start at the same moment on a fresh (or newly upgraded) database,
 * knex lets one of them migrate and makes the other fail at once with
 * "Migration table is already locked" (or lose the race to create knex's own
 * tables), and that plugin, so the whole backend, fails to start
 * (backstage/backstage#26546). This database service is Backstage's own
 * (`DatabaseManager`, same config), except that the `migrate.latest()` of
 * every plugin's client waits for the other replica and tries again, and on
 * PostgreSQL runs under an advisory lock so that two replicas never create
 * knex's own tables at the same moment (which leaves knex's lock table with
 * two rows, and every later migration "locked" for ever).
 */
import {
  coreServices,
  createServiceFactory,
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { DatabaseManager } from '@backstage/backend-defaults/database';
import { ConfigReader } from '@backstage/config';
import {
  migrateWithRetry,
  withMigrationLock,
} from '@release-readiness/plugin-backend/internal';

type Knex = Awaited<ReturnType<DatabaseService['getClient']>>;
type Migrator = Knex['migrate'];
type MigratorConfig = Parameters<Migrator['latest']>[0];

const patched = new WeakSet<object>();

/**
 * Makes `knex.migrate.latest()` on this client wait out a concurrent
 * migration by another process (see `migrateWithRetry`). Idempotent.
 */
export function withMigrationRetry(
  knex: Knex,
  options: { logger?: LoggerService; what?: string; timeoutMs?: number } = {},
): Knex {
  if (patched.has(knex)) return knex;
  const getter = Object.getOwnPropertyDescriptor(knex, 'migrate')?.get;
  if (!getter) return knex; // not the knex we know: leave it alone
  Object.defineProperty(knex, 'migrate', {
    configurable: true,
    get() {
      const migrator = getter.call(this) as Migrator;
      const latest = migrator.latest.bind(migrator);
      migrator.latest = (config?: MigratorConfig) =>
        migrateWithRetry(
          () => withMigrationLock(knex, () => latest(config)),
          options,
        );
      return migrator;
    },
  });
  patched.add(knex);
  return knex;
}

/** `coreServices.database`, with migrations that wait for other replicas. */
export const databaseServiceWithMigrationRetry = createServiceFactory({
  service: coreServices.database,
  deps: {
    config: coreServices.rootConfig,
    lifecycle: coreServices.lifecycle,
    logger: coreServices.logger,
    pluginMetadata: coreServices.pluginMetadata,
    rootLifecycle: coreServices.rootLifecycle,
    rootLogger: coreServices.rootLogger,
  },
  async createRootContext({ config, rootLifecycle, rootLogger }) {
    // As Backstage's default: an in-memory SQLite database without config.
    return DatabaseManager.fromConfig(
      config.getOptional('backend.database')
        ? config
        : new ConfigReader({
            backend: {
              database: { client: 'better-sqlite3', connection: ':memory:' },
            },
          }),
      { rootLifecycle, rootLogger },
    );
  },
  async factory({ pluginMetadata, lifecycle, logger }, manager) {
    const database = manager.forPlugin(pluginMetadata.getId(), {
      lifecycle,
      logger,
    });
    return {
      ...database,
      getClient: async () =>
        withMigrationRetry(await database.getClient(), {
          logger,
          what: `The ${pluginMetadata.getId()} database`,
        }),
    };
  },
});
