import {
  coreServices,
  createBackendFeatureLoader,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { eventsExtensionPoint } from '@backstage/plugin-events-node/alpha';
import { releaseReadinessIncidentSourcesExtensionPoint } from '@release-readiness/plugin-node';
import { readIncidentWebhookSettings } from './config';
import {
  IncidentTool,
  IncidentWebhookReceiver,
} from './IncidentWebhookReceiver';
import { OPSGENIE_TOKEN_HEADER, verifyOpsgenieToken } from './opsgenie';
import { verifyPagerDutySignature } from './pagerduty';

const TITLES: Record<IncidentTool, string> = {
  pagerduty: 'PagerDuty',
  opsgenie: 'Opsgenie',
};

/**
 * The events backend's side: `POST /api/events/http/<topic>` for each
 * configured tool, accepting only requests signed with the PagerDuty
 * webhook secret or carrying the Opsgenie token.
 *
 * @public
 */
export const eventsModuleIncidentWebhooks = createBackendModule({
  pluginId: 'events',
  moduleId: 'release-readiness-incident-webhooks',
  register(env) {
    env.registerInit({
      deps: {
        events: eventsExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ events, config }) {
        const settings = readIncidentWebhookSettings(config);
        if (settings?.pagerduty) {
          const { webhookSecrets, topic } = settings.pagerduty;
          events.addHttpPostIngress({
            topic,
            async validator(request, context) {
              if (
                !verifyPagerDutySignature(
                  request.raw.body,
                  request.headers['x-pagerduty-signature'],
                  webhookSecrets,
                )
              ) {
                context.reject({
                  status: 401,
                  payload: {
                    message: 'invalid or missing X-PagerDuty-Signature',
                  },
                });
              }
            },
          });
        }
        if (settings?.opsgenie) {
          const { webhookToken, topic } = settings.opsgenie;
          events.addHttpPostIngress({
            topic,
            async validator(request, context) {
              if (
                !verifyOpsgenieToken(
                  request.headers[OPSGENIE_TOKEN_HEADER],
                  webhookToken,
                )
              ) {
                context.reject({
                  status: 401,
                  payload: {
                    message: `invalid or missing ${OPSGENIE_TOKEN_HEADER}`,
                  },
                });
              }
            },
          });
        }
      },
    });
  },
});

/**
 * The Release Readiness side: subscribes to the tools' topics and records
 * each incident, through the incident sources extension point, on the
 * entities whose annotations match.
 *
 * @public
 */
export const releaseReadinessModuleIncidents = createBackendModule({
  pluginId: 'release-readiness',
  moduleId: 'incidents',
  register(env) {
    env.registerInit({
      deps: {
        sources: releaseReadinessIncidentSourcesExtensionPoint,
        events: eventsServiceRef,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ sources, events, catalog, auth, config, logger }) {
        const settings = readIncidentWebhookSettings(config);
        if (!settings) {
          logger.warn(
            'releaseReadiness.incidents has neither pagerduty nor opsgenie: no incidents from webhooks',
          );
          return;
        }
        const receiver = new IncidentWebhookReceiver({
          logger,
          linkWindowDays: settings.linkWindowDays,
          ...(settings.opsgenie?.domain
            ? { opsgenieDomain: settings.opsgenie.domain }
            : {}),
          entities: async (annotation, value) => {
            const { items } = await catalog.getEntities(
              {
                filter: {
                  [`metadata.annotations.${annotation}`]:
                    value ?? CATALOG_FILTER_EXISTS,
                },
                fields: [
                  'kind',
                  'metadata.namespace',
                  'metadata.name',
                  'metadata.annotations',
                ],
              },
              { credentials: await auth.getOwnServiceCredentials() },
            );
            return items;
          },
        });
        const topics = new Map<string, IncidentTool>();
        if (settings.pagerduty)
          topics.set(settings.pagerduty.topic, 'pagerduty');
        if (settings.opsgenie) topics.set(settings.opsgenie.topic, 'opsgenie');
        for (const tool of topics.values()) {
          sources.addSource({
            id: tool,
            title: TITLES[tool],
            connect: recorder => receiver.connected(tool, recorder),
          });
        }
        await events.subscribe({
          id: 'release-readiness-incidents',
          topics: [...topics.keys()],
          onEvent: async ({ topic, eventPayload }) => {
            const tool = topics.get(topic);
            if (tool) await receiver.receive(tool, eventPayload);
          },
        });
      },
    });
  },
});

/**
 * Both modules: add this one feature to the backend, next to the events
 * backend (`@backstage/plugin-events-backend`) and the Release Readiness
 * backend.
 *
 * @public
 */
export const releaseReadinessIncidentWebhooks = createBackendFeatureLoader({
  loader() {
    return [eventsModuleIncidentWebhooks, releaseReadinessModuleIncidents];
  },
});
