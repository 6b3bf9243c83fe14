export { EntityReadinessCard } from './EntityReadinessCard';
