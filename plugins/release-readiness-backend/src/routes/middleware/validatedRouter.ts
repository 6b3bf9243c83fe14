import type { ApiRouter } from '@backstage/backend-openapi-utils';
import { InputError } from '@backstage/errors';
import { ErrorRequestHandler } from 'express';
import Router from 'express-promise-router';
import { middleware as openApiValidator } from 'express-openapi-validator';
import { spec } from '../../schema/openapi.generated';

interface ValidationIssue {
  path?: string;
  message?: string;
}

/**
 * `/body/impactMatrix/0/impact` → `impactMatrix[0].impact`, so that a 400 says
 * which field of the request is wrong.
 */
export function fieldName(path: string | undefined): string {
  const parts = (path ?? '').split('/').filter(Boolean);
  const [where, ...rest] = parts;
  if (!rest.length) return where === 'body' || !where ? 'body' : where;
  return rest
    .map(part => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('')
    .replace(/^\./, '');
}

/** Turns a validator error into an InputError naming every bad field. */
const toInputError: ErrorRequestHandler = (error, _req, _res, next) => {
  const issues: ValidationIssue[] = Array.isArray(error?.errors)
    ? error.errors
    : [];
  const message = issues.length
    ? issues.map(i => `${fieldName(i.path)}: ${i.message}`).join('; ')
    : String(error?.message ?? error);
  next(new InputError(message));
};

/**
 * A router whose requests are validated against `openapi.yaml` before any
 * handler runs, typed from the same spec (`@backstage/backend-openapi-utils`
 * derives the types of params, queries and bodies). Like that package's own
 * router, but its 400s name the fields that are wrong.
 */
export function createValidatedRouter(): ApiRouter<typeof spec> {
  const router = Router();
  router.use(
    openApiValidator({
      apiSpec: spec as any,
      validateRequests: {
        coerceTypes: false,
        allowUnknownQueryParameters: false,
        allErrors: false,
      },
      validateResponses: false,
      ignoreUndocumented: true,
      useRequestUrl: true,
    }),
  );
  router.use(toInputError);
  return router as unknown as ApiRouter<typeof spec>;
}
