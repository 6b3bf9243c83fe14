export interface Config {
  /** Settings of the Release Readiness plugins. */
  releaseReadiness?: {
    /**
     * Where the Readiness tab links for how pipelines post evidence: the
     * "CI pipelines" section of the README, wherever your copy of it is
     * published. Without it, the tab names the section in words.
     *
     * @visibility frontend
     */
    pipelineDocsUrl?: string;
  };
}
