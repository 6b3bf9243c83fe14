/**
 * Extension points of the Release Readiness backend.
 *
 * @packageDocumentation
 */

export * from './evidenceProviders';
export * from './incidentSources';
