/**
 * Harness for tests and benchmarks that run real backend processes: start and
 * stop a backend, scratch PostgreSQL databases, control of the PostgreSQL
 * server, tokens and an HTTP client that never hangs.
 */
export * from './backendProcess';
export * from './postgres';
export * from './api';
export * from './appBackend';
