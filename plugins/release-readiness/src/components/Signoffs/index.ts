export { Signoffs, type SignoffsProps } from './Signoffs';
