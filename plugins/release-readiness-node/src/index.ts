/**
 * Extension points of the Release Readiness backend.
 *
 * @packageDocumentation
 */

export * from './evidenceProviders';
