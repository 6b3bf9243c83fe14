export * from './ReleaseReadinessApi';
export * from './ReleaseReadinessClient';
