import {
  AuditorService,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { ApiRouter } from '@backstage/backend-openapi-utils';
import express from 'express';
import Router from 'express-promise-router';
import {
  AuditLog,
  EntityIndexStore,
  EvidenceStore,
  GateStore,
  IncidentStore,
  PortfolioStore,
  WindowStore,
} from '../database';
import { ReadinessNotifier } from '../notifications/ReadinessNotifier';
import { spec } from '../schema/openapi.generated';
import { ReadinessService } from './ReadinessService';
import { registerEntityRoutes } from './entities';
import { registerGateRoutes } from './gates';
import { registerDossierRoutes } from './dossier';
import { registerEvidenceRoutes } from './evidence';
import { registerTemplateRoutes } from './templates';
import { registerWindowRoutes } from './windows';
import { registerIncidentRoutes } from './incidents';
import { registerPortfolioRoutes } from './portfolio';
import { createValidatedRouter } from './validatedRouter';
import { createUnavailableErrorHandler } from './unavailable';
import { rejectNulCharacters } from './nulCharacters';

/** Largest JSON body accepted; larger ones get a 413. */
export const MAX_BODY_SIZE = '256kb';

/** Everything the routes need; created once in plugin.ts. */
export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  service: ReadinessService;
  entities: EntityIndexStore;
  gates: GateStore;
  audit: AuditLog;
  evidence: EvidenceStore;
  windows: WindowStore;
  incidents: IncidentStore;
  portfolio: PortfolioStore;
  notifier: ReadinessNotifier;
  /**
   * Starts a background pass over every entity's current-gate summary, for
   * a change that can move many evaluations at once (a release window).
   */
  refreshSummariesNow: () => Promise<void>;
}

/** The typed router every route file registers on. */
export type ReadinessRouter = ApiRouter<typeof spec>;

/**
 * The plugin's HTTP API, mounted at `/api/release-readiness`. Requests are
 * validated against `src/schema/openapi.yaml` before any handler runs, so bad
 * input is a 400 naming the field; errors are thrown as `@backstage/errors`
 * and formatted by the framework.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const outer = Router();
  // Parsed here, outside the validator, so that an oversize body is a 413.
  outer.use(express.json({ limit: MAX_BODY_SIZE }));
  outer.use(rejectNulCharacters);

  const router = createValidatedRouter();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  outer.get('/openapi.json', (_req, res) => {
    res.json(spec);
  });
  registerTemplateRoutes(router, options);
  registerEntityRoutes(router, options);
  registerGateRoutes(router, options);
  registerDossierRoutes(router, options);
  registerEvidenceRoutes(router, options);
  registerWindowRoutes(router, options);
  registerIncidentRoutes(router, options);
  registerPortfolioRoutes(router, options);

  outer.use(router);
  // A lost database (or catalog) is a 503 that says "try again", not a 500.
  outer.use(createUnavailableErrorHandler({ logger: options.logger }));
  return outer;
}
