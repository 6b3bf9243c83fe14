/*
 * Scratch PostgreSQL databases for backends under test, and control of the
 * PostgreSQL server itself for the fault tests.
 *
 * Backstage gives every plugin a database of its own, named `<prefix><pluginId>`
 * (`backend.database.prefix`). A scratch "database" for a run is therefore a
 * unique prefix: the backends create their databases on start-up, exactly as
 * in production, and `drop()` removes every database with that prefix. Other
 * tests sharing the server are never touched.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import knexFactory, { Knex } from 'knex';
import type { ConfigObject } from './backendProcess';

const run = promisify(execFile);

/** Knex logs failed connection attempts itself; callers get the errors. */
const QUIET = {
  warn() {},
  error() {},
  debug() {},
  deprecate() {},
};

/** The server the tests use: trust auth, user postgres. */
export const POSTGRES_URL =
  process.env.RELIABILITY_POSTGRES_URL ??
  'postgresql://postgres@127.0.0.1:5432';

function serverParts(url = POSTGRES_URL) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || 'postgres'),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
  };
}

/** Runs `fn` with a short-lived connection to the server's `postgres` database. */
export async function withAdminClient<T>(
  fn: (client: Knex) => Promise<T>,
): Promise<T> {
  const client = knexFactory({
    client: 'pg',
    connection: {
      ...serverParts(),
      database: 'postgres',
      connectionTimeoutMillis: 5000,
    },
    pool: { min: 0, max: 1 },
    acquireConnectionTimeout: 5000,
    log: QUIET,
  });
  try {
    return await fn(client);
  } finally {
    await client.destroy().catch(() => {});
  }
}

/** Whether the server accepts connections and queries. */
export async function isPostgresUp(): Promise<boolean> {
  try {
    await withAdminClient(c => c.raw('SELECT 1'));
    return true;
  } catch {
    return false;
  }
}

/** Polls until the server answers queries; throws after `timeoutMs`. */
export async function waitForPostgres(timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await isPostgresUp())) {
    if (Date.now() > deadline) {
      throw new Error(
        `PostgreSQL at ${POSTGRES_URL} did not come up within ${timeoutMs} ms`,
      );
    }
    await new Promise(r => setTimeout(r, 200));
  }
}

export interface ScratchPostgres {
  /** The database name prefix of this run, e.g. `rrtest_replicas_1a2b3c_`. */
  readonly prefix: string;
  /** The database Backstage creates for a plugin. */
  databaseName(pluginId: string): string;
  /**
   * `backend.database` for a backend that should use this run's databases.
   * `knexConfig` is merged in as given (pool sizes and timeouts).
   */
  backendDatabaseConfig(options?: {
    knexConfig?: ConfigObject;
    /** Per plugin, merged over `knexConfig` (e.g. a larger pool for one). */
    pluginKnexConfig?: Record<string, ConfigObject>;
    connection?: ConfigObject;
  }): ConfigObject;
  /** A knex client to a plugin's database, for assertions; closed by drop(). */
  knex(pluginId: string): Knex;
  /** Ends every server connection to this run's databases; returns how many. */
  terminateConnections(): Promise<number>;
  /** Closes clients opened here and drops every database of this run. */
  drop(): Promise<void>;
}

/**
 * A unique prefix for this run's databases. Nothing is created here: the
 * backends create their plugin databases themselves when they start.
 */
export function createScratchPostgres(label: string): ScratchPostgres {
  const safe = label.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  const prefix = `rrtest_${safe}_${randomBytes(3).toString('hex')}_`;
  const clients = new Map<string, Knex>();
  const server = serverParts();

  const databaseName = (pluginId: string) => `${prefix}${pluginId}`;

  async function terminateConnections(): Promise<number> {
    return withAdminClient(async c => {
      const result = await c.raw(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE starts_with(datname, ?) AND pid <> pg_backend_pid()`,
        [prefix],
      );
      return result.rowCount ?? 0;
    });
  }

  return {
    prefix,
    databaseName,
    backendDatabaseConfig(options) {
      return {
        client: 'pg',
        connection: {
          ...server,
          // Bounded: a connection attempt that hangs becomes an error.
          connectionTimeoutMillis: 5000,
          ...(options?.connection ?? {}),
        },
        prefix,
        ...(options?.knexConfig ? { knexConfig: options.knexConfig } : {}),
        ...(options?.pluginKnexConfig
          ? {
              plugin: Object.fromEntries(
                Object.entries(options.pluginKnexConfig).map(([id, knex]) => [
                  id,
                  { knexConfig: knex },
                ]),
              ),
            }
          : {}),
      };
    },
    knex(pluginId) {
      let client = clients.get(pluginId);
      if (!client) {
        client = knexFactory({
          client: 'pg',
          connection: { ...server, database: databaseName(pluginId) },
          pool: { min: 0, max: 2 },
          acquireConnectionTimeout: 10_000,
          log: QUIET,
        });
        clients.set(pluginId, client);
      }
      return client;
    },
    terminateConnections,
    async drop() {
      await Promise.all([...clients.values()].map(c => c.destroy()));
      clients.clear();
      await withAdminClient(async c => {
        const { rows } = await c.raw<{ rows: { datname: string }[] }>(
          'SELECT datname FROM pg_database WHERE starts_with(datname, ?)',
          [prefix],
        );
        for (const { datname } of rows) {
          // FORCE ends connections a killed backend may have left behind.
          await c.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [datname]);
        }
      });
    },
  };
}

/**
 * Drops databases of earlier runs (`rrtest_<label>_…`) that a crash left
 * behind. Only call this for labels no other run uses at the same time.
 */
export async function dropLeftoverDatabases(label: string): Promise<string[]> {
  const safe = label.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  return withAdminClient(async c => {
    const { rows } = await c.raw<{ rows: { datname: string }[] }>(
      'SELECT datname FROM pg_database WHERE starts_with(datname, ?)',
      [`rrtest_${safe}_`],
    );
    for (const { datname } of rows) {
      await c.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [datname]);
    }
    return rows.map(r => r.datname);
  });
}

/** The local cluster, as `pg_ctlcluster` knows it. */
export interface PostgresCluster {
  version: string;
  name: string;
}

export const DEFAULT_CLUSTER: PostgresCluster = {
  version: process.env.RELIABILITY_PG_VERSION ?? '15',
  name: process.env.RELIABILITY_PG_CLUSTER ?? 'main',
};

async function pgCtl(action: 'start' | 'stop', cluster: PostgresCluster) {
  await run(
    'pg_ctlcluster',
    ['--skip-systemctl-redirect', cluster.version, cluster.name, action],
    { timeout: 60_000 },
  );
}

/** Stops the server (fast mode: sessions are ended, nothing waits for them). */
export async function stopPostgresServer(
  cluster: PostgresCluster = DEFAULT_CLUSTER,
): Promise<void> {
  await pgCtl('stop', cluster);
}

/** Starts the server unless it is up, and waits until it answers queries. */
export async function startPostgresServer(
  cluster: PostgresCluster = DEFAULT_CLUSTER,
): Promise<void> {
  if (!(await isPostgresUp())) {
    try {
      await pgCtl('start', cluster);
    } catch (error) {
      // "already running" is fine; anything else shows in waitForPostgres.
      if (!String((error as Error).message).includes('already running')) {
        await waitForPostgres(5000).catch(() => {
          throw error;
        });
      }
    }
  }
  await waitForPostgres(60_000);
}
