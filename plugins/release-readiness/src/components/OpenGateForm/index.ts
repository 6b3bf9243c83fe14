export {
  OpenGateForm,
  type DecisionTemplateOption,
  type OpenGateFormProps,
} from './OpenGateForm';
