export { VerdictLabel } from './VerdictLabel';
export { OutcomeCell, OutcomeLabel, outcomeColour } from './OutcomeLabel';
