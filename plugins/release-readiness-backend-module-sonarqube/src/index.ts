/**
 * Release Readiness evidence from SonarQube: the quality gate and measures
 * of the analysed commit of an entity with the `sonarqube.org/project-key`
 * annotation.
 *
 * @packageDocumentation
 */

export { releaseReadinessModuleSonarQube as default } from './module';
export {
  SonarQubeEvidenceProvider,
  readSonarQubeSettings,
  SONARQUBE_PROJECT_KEY_ANNOTATION,
} from './SonarQubeEvidenceProvider';
export type { SonarQubeSettings } from './SonarQubeEvidenceProvider';
