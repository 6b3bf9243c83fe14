export * from './gateLifecycle';
