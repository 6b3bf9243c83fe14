export interface Config {
  releaseReadiness?: {
    /**
     * Incidents from incident tools' webhooks
     * (`@release-readiness/plugin-backend-module-incidents`).
     */
    incidents?: {
      /**
       * How many days after a release an incident is linked to it: an
       * incident is linked to the entity's last release marked released at
       * or before the incident began, if within this many days. Default 14
       * (the window in which the metrics count a sev1/sev2 incident against
       * the release's gate).
       */
      linkWindowDays?: number;
      /** PagerDuty webhooks (V3), at `/api/events/http/<topic>`. */
      pagerduty?: {
        /**
         * The signing secret of the PagerDuty webhook subscription; every
         * request must carry a valid `X-PagerDuty-Signature`.
         * @visibility secret
         */
        webhookSecret: string;
        /**
         * Earlier secrets still accepted while the subscription's secret is
         * rotated.
         * @visibility secret
         */
        previousWebhookSecrets?: string[];
        /** The events topic and path segment. Default `pagerduty`. */
        topic?: string;
      };
      /** Opsgenie webhook integrations, at `/api/events/http/<topic>`. */
      opsgenie?: {
        /**
         * A shared token (at least 16 characters) the webhook integration
         * sends as the custom header `x-release-readiness-token`.
         * @visibility secret
         */
        webhookToken: string;
        /**
         * The Opsgenie site, e.g. `https://acme.app.opsgenie.com`: incidents
         * link to their alert there.
         */
        domain?: string;
        /** The events topic and path segment. Default `opsgenie`. */
        topic?: string;
      };
    };
  };
}
