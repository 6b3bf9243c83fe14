import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { techInsightsServiceRef } from '@backstage-community/plugin-tech-insights-node';
import { releaseReadinessEvidenceProvidersExtensionPoint } from '@release-readiness/plugin-node';
import {
  readTechInsightsCheckMappings,
  TechInsightsEvidenceProvider,
} from './TechInsightsEvidenceProvider';

/**
 * Adds the Tech Insights evidence provider to the Release Readiness backend,
 * configured by `releaseReadiness.techInsights.checks`; without that key it
 * adds nothing and says so in the log.
 *
 * It reaches the Tech Insights backend through `techInsightsServiceRef`, the
 * service `@backstage-community/plugin-tech-insights-node` offers other
 * backend plugins: the Tech Insights HTTP API (`/checks`,
 * `/checks/run/:namespace/:kind/:name`, `/facts/latest`) found through the
 * discovery service and called with this plugin's own service token. Tech
 * Insights exposes no in-process check runner to other plugins (its fact
 * checker lives inside its own plugin), so the API is the supported way in,
 * and it keeps Tech Insights' permissions in force
 * (`tech-insights.check.read` and `tech-insights.check.run` for the checks, `tech-insights.fact-retriever.read`
 * to read facts).
 *
 * @public
 */
export const releaseReadinessModuleTechInsights = createBackendModule({
  pluginId: 'release-readiness',
  moduleId: 'tech-insights',
  register(env) {
    env.registerInit({
      deps: {
        providers: releaseReadinessEvidenceProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        techInsights: techInsightsServiceRef,
      },
      async init({ providers, config, logger, techInsights }) {
        const checks = readTechInsightsCheckMappings(config);
        if (!checks?.length) {
          logger.warn(
            'releaseReadiness.techInsights.checks is not configured: no evidence from Tech Insights',
          );
          return;
        }
        providers.addProvider(
          new TechInsightsEvidenceProvider({ techInsights, checks }),
        );
      },
    });
  },
});
