import express from 'express';
import Router from 'express-promise-router';
import { spec } from '../schema/openapi.generated';
import { registerEntityRoutes } from './entities';
import { registerGateRoutes } from './gates';
import { registerPlannedTimeRoutes } from './planned';
import { registerDebriefRoutes } from './debriefs';
import { registerEvidenceSourceRoutes } from './evidenceSources';
import { registerGateEvidenceRoutes } from './gateEvidence';
import { registerDossierRoutes } from './dossier';
import { registerEvidenceRoutes } from './evidence';
import { registerEvidenceBatchRoute } from './evidenceBatch';
import { registerTemplateRoutes } from './templates';
import { registerWindowRoutes } from './windows';
import { registerApprovalRoutes } from './approvals';
import { registerIncidentRoutes } from './incidents';
import { registerPortfolioRoutes } from './portfolio';
import { registerAuditTrailRoutes } from './auditTrail';
import { createValidatedRouter } from './middleware/validatedRouter';
import { createUnavailableErrorHandler } from './middleware/unavailable';
import { rejectNulCharacters } from './middleware/nulCharacters';
import { rejectLoneSurrogates } from './middleware/loneSurrogates';
import { MAX_BATCH_BODY_SIZE, MAX_BODY_SIZE, RouterOptions } from './types';

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
  // A batch of evidence carries up to 500 facts: a larger limit there.
  outer.use('/evidence/batch', express.json({ limit: MAX_BATCH_BODY_SIZE }));
  outer.use(express.json({ limit: MAX_BODY_SIZE }));
  outer.use(rejectNulCharacters);
  outer.use(rejectLoneSurrogates);

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
  registerPlannedTimeRoutes(router, options);
  registerDebriefRoutes(router, options);
  registerDossierRoutes(router, options);
  registerAuditTrailRoutes(router, options);
  registerEvidenceRoutes(router, options);
  registerEvidenceBatchRoute(router, options);
  registerEvidenceSourceRoutes(router, options);
  registerGateEvidenceRoutes(router, options);
  registerWindowRoutes(router, options);
  registerApprovalRoutes(router, options);
  registerIncidentRoutes(router, options);
  registerPortfolioRoutes(router, options);

  outer.use(router);
  // A lost database (or catalog) is a 503 that says "try again", not a 500.
  outer.use(createUnavailableErrorHandler({ logger: options.logger }));
  return outer;
}
