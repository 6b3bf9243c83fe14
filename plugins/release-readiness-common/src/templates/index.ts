export {
  gateTemplateSchema,
  GATE_TEMPLATE_API_VERSION,
  GATE_TEMPLATE_KIND,
} from './schema';
export {
  checkTemplateSet,
  formatGateTemplateIssue,
  GateTemplateError,
  parseGateTemplate,
} from './parse';
export type { GateTemplateIssue } from './parse';
export {
  GATE_TEMPLATE_ANNOTATION,
  selectorMatches,
  selectTemplate,
} from './select';
export type { TemplateSelection } from './select';
export { explainTemplates, templateLabel } from './applicability';
export type { TemplateChoice, TemplateOption } from './applicability';
