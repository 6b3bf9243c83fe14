import { mockServices } from '@backstage/backend-test-utils';
import { ResponseError } from '@backstage/errors';
import express, { ErrorRequestHandler } from 'express';
import request from 'supertest';
import {
  createUnavailableErrorHandler,
  isDatabaseUnavailable,
  isDependencyUnavailable,
} from './unavailable';

/** What pg, knex and Node throw when the database goes away. */
const outages: [string, unknown][] = [
  [
    'a refused connection',
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    }),
  ],
  [
    'a refused connection to every address (AggregateError)',
    new AggregateError([
      Object.assign(new Error('connect ECONNREFUSED ::1:5432'), {
        code: 'ECONNREFUSED',
      }),
    ]),
  ],
  [
    'a connection ended by the server (57P01)',
    Object.assign(
      new Error('terminating connection due to administrator command'),
      { code: '57P01' },
    ),
  ],
  [
    'a server starting up or shutting down (57P03)',
    Object.assign(new Error('the database system is starting up'), {
      code: '57P03',
    }),
  ],
  [
    'a lost connection, as knex reports it',
    new Error(
      'select * from "gates" where "id" = $1 limit $2 - Connection terminated unexpectedly',
    ),
  ],
  [
    'a pool that gives no connection in time',
    Object.assign(
      new Error(
        'Knex: Timeout acquiring a connection. The pool is probably full.',
      ),
      { name: 'KnexTimeoutError' },
    ),
  ],
  [
    'a connection exception (class 08)',
    Object.assign(new Error('connection failure'), { code: '08006' }),
  ],
  [
    'an outage wrapped as a cause',
    Object.assign(new Error('while loading the gate'), {
      cause: Object.assign(new Error('read ECONNRESET'), {
        code: 'ECONNRESET',
      }),
    }),
  ],
];

const notOutages: [string, unknown][] = [
  [
    'a bug',
    new TypeError("Cannot read properties of undefined (reading 'id')"),
  ],
  [
    'a unique violation',
    Object.assign(new Error('duplicate key value'), { code: '23505' }),
  ],
  [
    'a syntax error',
    Object.assign(new Error('syntax error at or near "FROM"'), {
      code: '42601',
    }),
  ],
  ['not an error', 'boom'],
];

describe('isDatabaseUnavailable', () => {
  it.each(outages)('is true for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });
  it.each(notOutages)('is false for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe('isDependencyUnavailable', () => {
  const responseError = (status: number) =>
    Object.assign(new Error(`Request failed with ${status}`), {
      name: 'ResponseError',
      statusCode: status,
    }) as unknown as ResponseError;

  it('is true when another plugin answered 500, 502, 503 or 504', () => {
    for (const status of [500, 502, 503, 504]) {
      expect(isDependencyUnavailable(responseError(status))).toBe(true);
    }
  });

  it('is false for its 4xx answers and for other errors', () => {
    expect(isDependencyUnavailable(responseError(404))).toBe(false);
    expect(isDependencyUnavailable(responseError(403))).toBe(false);
    expect(isDependencyUnavailable(new Error('Request failed'))).toBe(false);
  });
});

describe('createUnavailableErrorHandler', () => {
  /** Like Backstage's error handler: 503 for ServiceUnavailableError. */
  const finalHandler: ErrorRequestHandler = (error, _req, res, _next) => {
    const status = error.name === 'ServiceUnavailableError' ? 503 : 500;
    res
      .status(status)
      .json({ error: { name: error.name, message: error.message } });
  };

  function app(error: unknown) {
    const logger = mockServices.logger.mock();
    const a = express();
    a.get('/x', () => {
      throw error;
    });
    a.use(createUnavailableErrorHandler({ logger, logIntervalMs: 60_000 }));
    a.use(finalHandler);
    return { app: a, logger };
  }

  it('turns a lost database into a 503 without pg details, logged once in a while', async () => {
    const { app: a, logger } = app(outages[0][1]);
    const first = await request(a).get('/x');
    const second = await request(a).get('/x');
    expect(first.status).toBe(503);
    expect(second.status).toBe(503);
    expect(first.body.error.name).toBe('ServiceUnavailableError');
    expect(first.body.error.message).toMatch(/database is unavailable/);
    expect(first.body.error.message).not.toMatch(/5432/);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('passes every other error on unchanged', async () => {
    const { app: a } = app(notOutages[0][1]);
    const res = await request(a).get('/x');
    expect(res.status).toBe(500);
    expect(res.body.error.name).toBe('TypeError');
  });
});
