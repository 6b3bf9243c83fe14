export { FacilitatorCard } from './FacilitatorCard';
