/**
 * Release Readiness incidents from incident tools: PagerDuty and Opsgenie
 * webhooks, received through the events backend's HTTP ingress, linked to
 * the release they followed.
 *
 * @packageDocumentation
 */

export { releaseReadinessIncidentWebhooks as default } from './module';
export {
  eventsModuleIncidentWebhooks,
  releaseReadinessModuleIncidents,
} from './module';
export { readIncidentWebhookSettings } from './config';
export type { IncidentWebhookSettings } from './config';
export { PAGERDUTY_SERVICE_ID_ANNOTATION } from './pagerduty';
export { OPSGENIE_COMPONENT_SELECTOR_ANNOTATION } from './opsgenie';
