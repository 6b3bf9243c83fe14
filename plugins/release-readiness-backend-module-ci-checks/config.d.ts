export interface Config {
  releaseReadiness?: {
    /**
     * The CI checks evidence provider
     * (`@release-readiness/plugin-backend-module-ci-checks`): the checks on
     * a release's commit, from GitHub (check runs and commit statuses, for
     * entities with `github.com/project-slug`) and GitLab (the jobs of the
     * commit's newest pipeline, for entities with `gitlab.com/project-slug`),
     * with the credentials of Backstage's `integrations` config.
     */
    ciChecks?: {
      /**
       * Which checks make which evidence: each rule gathers the checks whose
       * names match any of its glob patterns into one fact of its type.
       */
      rules: Array<{
        /** Glob patterns of check run, status context or job names. */
        checks: string[];
        /** The evidence type, e.g. `test-report`. */
        evidenceType: string;
      }>;
      /** The GitHub host of the slugs. Default `github.com`. */
      githubHost?: string;
      /** The GitLab host of the slugs. Default `gitlab.com`. */
      gitlabHost?: string;
    };
  };
}
