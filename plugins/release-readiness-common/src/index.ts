/**
 * Types, permissions and the gate evaluation shared by the Release Readiness
 * frontend and backend plugins.
 *
 * @packageDocumentation
 */

export * from './types';
export * from './api';
export * from './permissions';
export * from './entityRefs';
export * from './rules';
export * from './templates';
export * from './evaluation';
export * from './windows';
export * from './lifecycle';
export * from './governance';
export * from './signals';
