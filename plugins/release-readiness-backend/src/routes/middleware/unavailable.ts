/*
 * A lost database is a 503, not a 500.
 *
 * When PostgreSQL restarts, fails over, or ends the plugin's connections, the
 * requests in flight and those that arrive before it is back fail inside knex
 * or pg. Left alone they become 500s, and Backstage's error handler even
 * hides pg's errors behind "An internal error occurred". They are not bugs:
 * nothing was written (every write is one transaction) and the same request
 * succeeds once the database is back, which is what 503 Service Unavailable
 * tells a client or a pipeline. The pool creates fresh connections by itself,
 * so the backend recovers without a restart.
 *
 * How long a request may wait for a connection is the pool's
 * `acquireConnectionTimeout` (knex's default is 60 s): set it in
 * `backend.database.knexConfig` (see app-config.production.yaml).
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { ErrorRequestHandler } from 'express';

/** Socket-level failures: the server is gone, refused or unreachable. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server that is going away, not yet ready or full:
 * connection exceptions (class 08), admin/crash shutdown and "cannot connect
 * now" (57P01–57P03), too many connections (53300). SQLite's "database is
 * locked" is transient too.
 */
const DATABASE_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  'SQLITE_BUSY',
]);

/**
 * What pg and knex say, without a code, when a connection is lost or never
 * came. Not anchored: knex puts the failed SQL in front of pg's message.
 */
const MESSAGES = [
  /Connection terminated( unexpectedly|$| due to connection timeout)/,
  /Client was closed and is not queryable/,
  /Client has encountered a connection error and is not queryable/,
  /timeout exceeded when trying to connect/i,
  /Knex: Timeout acquiring a connection/,
  /Connection ended unexpectedly/,
];

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
  statusCode?: unknown;
}

/**
 * Whether an error means the database (or the connection to it) is
 * unavailable, as opposed to a bug or bad input. Looks through `cause` and
 * the members of an AggregateError (Node reports a refused connection to
 * every address of a host that way).
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const e = error as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : '';
  if (NETWORK_CODES.has(code) || DATABASE_CODES.has(code)) return true;
  if (code.startsWith('08') && code.length === 5) return true;
  if (e.name === 'KnexTimeoutError') return true;
  const message = typeof e.message === 'string' ? e.message : '';
  if (MESSAGES.some(pattern => pattern.test(message))) return true;
  if (
    Array.isArray(e.errors) &&
    e.errors.some(inner => isDatabaseUnavailable(inner, depth + 1))
  ) {
    return true;
  }
  return isDatabaseUnavailable(e.cause, depth + 1);
}

/**
 * Whether a call to another Backstage plugin (the catalog, the permission
 * backend) failed on the other side: their own lost database shows here as
 * a 500 or 503 from them.
 */
export function isDependencyUnavailable(error: unknown): boolean {
  const e = error as ErrorLike;
  return (
    e?.name === 'ResponseError' &&
    typeof e.statusCode === 'number' &&
    [500, 502, 503, 504].includes(e.statusCode)
  );
}

/**
 * Express error handler: turns database and dependency outages into a
 * `ServiceUnavailableError` (503 in Backstage's error shape) and passes every
 * other error on unchanged. Outages are logged at most every few seconds, so
 * that an outage under load does not flood the log.
 */
export function createUnavailableErrorHandler(options: {
  logger: LoggerService;
  logIntervalMs?: number;
}): ErrorRequestHandler {
  const interval = options.logIntervalMs ?? 5000;
  let lastLogged = 0;
  let suppressed = 0;
  return (error, req, _res, next) => {
    const database = isDatabaseUnavailable(error);
    if (!database && !isDependencyUnavailable(error)) {
      next(error);
      return;
    }
    const now = Date.now();
    if (now - lastLogged >= interval) {
      options.logger.warn(
        `${req.method} ${req.originalUrl} answered 503: ${
          database ? 'the database is unavailable' : 'a dependency failed'
        } (${String((error as Error)?.message ?? error)})${
          suppressed ? `; ${suppressed} more since the last report` : ''
        }`,
      );
      lastLogged = now;
      suppressed = 0;
    } else {
      suppressed += 1;
    }
    // The cause stays in the log: pg's errors are not for clients.
    next(
      new ServiceUnavailableError(
        database
          ? 'The release readiness database is unavailable at the moment; nothing was changed by this request unless it said so before. Try again shortly'
          : 'A service this request depends on (the catalog, permissions or auth) is unavailable at the moment. Try again shortly',
      ),
    );
  };
}
