/*
 * The domain of Release Readiness, shared by the backend (which stores it) and
 * the frontend (which shows it), one file per topic. Timestamps are ISO 8601
 * strings in UTC; entity refs are full, lower-case refs such as
 * `component:default/payment-gateway`. What only travels over HTTP (request
 * bodies, queries and the answers built for one route) is in `../api`.
 */

export * from './templates';
export * from './gates';
export * from './evaluation';
export * from './windows';
export * from './incidents';
export * from './debriefs';
export * from './evidenceSources';
