/*
 * The wire types of the Release Readiness API: request bodies, queries and
 * the answers built for one route, written once for the backend that serves
 * them and the frontend that calls them.
 */

export * from './entities';
export * from './gates';
export * from './metrics';
export * from './portfolio';
export * from './rollup';
export * from './windows';
export * from './calendar';
export * from './debriefs';
export * from './insights';
export * from './evidence';
