export interface Config {
  releaseReadiness?: {
    /**
     * The SonarQube evidence provider
     * (`@release-readiness/plugin-backend-module-sonarqube`).
     */
    sonarqube?: {
      /** The SonarQube server, e.g. `https://sonarqube.example.com`. */
      baseUrl: string;
      /**
       * A SonarQube token with Browse permission on the projects, sent as a
       * bearer token.
       * @visibility secret
       */
      token?: string;
      /**
       * The evidence type the quality gate is recorded as; the items of
       * that type read it. Default `static-analysis`.
       */
      evidenceType?: string;
      /**
       * The measures recorded with it, as SonarQube metric keys. Default
       * `coverage`, `bugs`, `vulnerabilities`, `code_smells`,
       * `security_hotspots`, `duplicated_lines_density`.
       */
      metricKeys?: string[];
    };
  };
}
