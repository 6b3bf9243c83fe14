export * from './gateLifecycle';
export * from './gateOutcome';
