export { RiskForm, type RiskFormProps } from './RiskForm';
