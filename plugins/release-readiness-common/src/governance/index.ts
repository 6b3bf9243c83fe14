export * from './governance';
