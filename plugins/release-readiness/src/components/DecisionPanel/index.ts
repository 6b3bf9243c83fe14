export {
  DecisionPanel,
  type DecisionPanelProps,
  type DecisionTemplateOption,
} from './DecisionPanel';
