export { GateHeader } from './GateHeader';
