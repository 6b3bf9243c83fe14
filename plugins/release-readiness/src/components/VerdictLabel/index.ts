export { VerdictLabel } from './VerdictLabel';
