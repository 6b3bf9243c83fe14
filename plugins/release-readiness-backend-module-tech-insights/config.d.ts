export interface Config {
  releaseReadiness?: {
    /**
     * The Tech Insights evidence provider
     * (`@release-readiness/plugin-backend-module-tech-insights`).
     */
    techInsights?: {
      /**
       * The Tech Insights checks whose results are recorded as evidence, and
       * the evidence type each is recorded as; the items of that type read
       * it.
       */
      checks: Array<{
        /** The check's id in Tech Insights, e.g. `groupOwnerCheck`. */
        checkId: string;
        /**
         * The evidence type, lower-case kebab-case, e.g. `ownership`.
         */
        evidenceType: string;
      }>;
    };
  };
}
