import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { releaseReadinessEvidenceProvidersExtensionPoint } from '@release-readiness/plugin-node';
import { CiChecksEvidenceProvider } from './CiChecksEvidenceProvider';

/**
 * Adds the CI checks evidence provider to the Release Readiness backend,
 * configured by `releaseReadiness.ciChecks` and Backstage's `integrations`;
 * without the former it adds nothing and says so in the log.
 *
 * @public
 */
export const releaseReadinessModuleCiChecks = createBackendModule({
  pluginId: 'release-readiness',
  moduleId: 'ci-checks',
  register(env) {
    env.registerInit({
      deps: {
        providers: releaseReadinessEvidenceProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ providers, config, logger }) {
        const provider = CiChecksEvidenceProvider.fromConfig(config);
        if (!provider) {
          logger.warn(
            'releaseReadiness.ciChecks is not configured: no evidence from CI checks',
          );
          return;
        }
        providers.addProvider(provider);
      },
    });
  },
});
