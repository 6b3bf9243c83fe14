import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import Router from 'express-promise-router';
import { GateOwnerStore } from '../database/GateOwnerStore';
import { createEntitiesRouter } from './entities';

/** Everything the routes need; created once in plugin.ts. */
export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  gateOwners: GateOwnerStore;
}

/**
 * The plugin's HTTP API, mounted at `/api/release-readiness`. Errors are thrown
 * as `@backstage/errors` and formatted by the framework.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.use(createEntitiesRouter(options));

  return router;
}
