export { DecisionPanel, type DecisionPanelProps } from './DecisionPanel';
export { type DecisionTemplateOption } from '../OpenGateForm';
