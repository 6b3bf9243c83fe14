import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { releaseReadinessEvidenceProvidersExtensionPoint } from '@release-readiness/plugin-node';
import {
  readSonarQubeSettings,
  SonarQubeEvidenceProvider,
} from './SonarQubeEvidenceProvider';

/**
 * Adds the SonarQube evidence provider to the Release Readiness backend,
 * configured by `releaseReadiness.sonarqube`; without that key it adds
 * nothing and says so in the log.
 *
 * @public
 */
export const releaseReadinessModuleSonarQube = createBackendModule({
  pluginId: 'release-readiness',
  moduleId: 'sonarqube',
  register(env) {
    env.registerInit({
      deps: {
        providers: releaseReadinessEvidenceProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ providers, config, logger }) {
        const settings = readSonarQubeSettings(config);
        if (!settings) {
          logger.warn(
            'releaseReadiness.sonarqube is not configured: no evidence from SonarQube',
          );
          return;
        }
        providers.addProvider(new SonarQubeEvidenceProvider(settings));
      },
    });
  },
});
