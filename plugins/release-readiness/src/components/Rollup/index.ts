export { RollupCard } from './RollupCard';
export type { RollupCardProps } from './RollupCard';
