/**
 * Release Readiness evidence from Backstage Tech Insights: the results of
 * configured Tech Insights checks become the evidence of gate items.
 *
 * @packageDocumentation
 */

export { releaseReadinessModuleTechInsights as default } from './module';
export {
  TechInsightsEvidenceProvider,
  readTechInsightsCheckMappings,
} from './TechInsightsEvidenceProvider';
export type {
  TechInsightsCheckMapping,
  TechInsightsChecks,
} from './TechInsightsEvidenceProvider';
