/*
 * The backend the benchmark measures: the real Release Readiness plugin, the
 * real permission backend with the plugin's `ReleaseReadinessPolicy`, the
 * real auth backend, on the configured database. Two things are replaced,
 * because they are not what is being measured:
 *
 * - the catalog answers from the synthetic organisation of BENCH_SIZE
 *   components, computed on demand (`SyntheticCatalog`), instead of a catalog
 *   that would have to ingest 100,000 entities first;
 * - notifications are dropped instead of delivered.
 *
 * People sign in with the guest provider as the synthetic QA engineer
 * `user:default/qa-0`; pipelines use the static token of the config.
 */
import { createBackend } from '@backstage/backend-defaults';
import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import express from 'express';
import { NotImplementedError } from '@backstage/errors';
import {
  catalogServiceRef,
  CatalogService,
} from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { ReleaseReadinessPolicy } from '@release-readiness/plugin-backend';
import { SyntheticCatalog } from '../generate/syntheticCatalog';

/** A catalog that knows every entity of the synthetic organisation. */
export function syntheticCatalogService(
  catalog: SyntheticCatalog,
): CatalogService {
  const implemented: Partial<CatalogService> = {
    async getEntityByRef(ref) {
      const text =
        typeof ref === 'string'
          ? ref
          : `${ref.kind}:${ref.namespace}/${ref.name}`;
      return catalog.entity(text);
    },
    async getEntitiesByRefs(request) {
      return { items: request.entityRefs.map(ref => catalog.entity(ref)) };
    },
  };
  return new Proxy(implemented as CatalogService, {
    get(target, property: string) {
      if (property in target) return (target as any)[property];
      if (property === 'then') return undefined;
      return async () => {
        throw new NotImplementedError(
          `The benchmark's synthetic catalog does not implement ${property}`,
        );
      };
    },
  });
}

/**
 * Counts every database query the process makes, whichever plugin makes it:
 * every knex instance goes through `Client.prototype.query`.
 */
function countQueries(): {
  queries: number;
  statements: Record<string, number>;
  statementMs: Record<string, number>;
} {
  const stats = {
    queries: 0,
    statements: {} as Record<string, number>,
    statementMs: {} as Record<string, number>,
  };
  // eslint-disable-next-line @backstage/no-undeclared-imports
  const Client = require('knex/lib/client');
  const query = Client.prototype.query;
  Client.prototype.query = function counted(...args: unknown[]) {
    stats.queries += 1;
    // What the queries are, by their first words, to see where they go.
    const sql = (args[1] as { sql?: string } | undefined)?.sql ?? '';
    const key = sql.slice(0, 80);
    stats.statements[key] = (stats.statements[key] ?? 0) + 1;
    // And how long each took from the call to its answer (the wait for a
    // connection included), summed by the same words.
    const started = performance.now();
    const answered = () => {
      stats.statementMs[key] =
        (stats.statementMs[key] ?? 0) + performance.now() - started;
    };
    const result = query.apply(this, args);
    result.then(answered, answered);
    return result;
  };
  return stats;
}

const stats = countQueries();

/** `GET /api/bench/stats`: queries so far and memory, for the runner. */
const benchStatsPlugin = createBackendPlugin({
  pluginId: 'bench',
  register(reg) {
    reg.registerInit({
      deps: { httpRouter: coreServices.httpRouter },
      async init({ httpRouter }) {
        const router = express.Router();
        router.get('/stats', (_req, res) => {
          res.json({
            queries: stats.queries,
            statements: stats.statements,
            statementMs: stats.statementMs,
            memory: process.memoryUsage(),
          });
        });
        httpRouter.use(router);
        httpRouter.addAuthPolicy({ path: '/stats', allow: 'unauthenticated' });
      },
    });
  },
});

const size = Number(process.env.BENCH_SIZE ?? 1000);
const catalog = new SyntheticCatalog(size);

const backend = createBackend();
backend.add(
  createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () => syntheticCatalogService(catalog),
  }),
);
backend.add(
  createServiceFactory({
    service: notificationService,
    deps: {},
    factory: () => ({ send: async () => {} }),
  }),
);
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  createBackendModule({
    pluginId: 'permission',
    moduleId: 'bench-policy',
    register(reg) {
      reg.registerInit({
        deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
        async init({ policy, config }) {
          policy.setPolicy(ReleaseReadinessPolicy.fromConfig(config));
        },
      });
    },
  }),
);
backend.add(import('@release-readiness/plugin-backend'));
backend.add(benchStatsPlugin);
backend.start();
