export interface Config {
  /** Settings of the Release Readiness backend plugin. */
  releaseReadiness?: {
    /**
     * Gate template files (YAML), relative to the backend's working
     * directory. A file that cannot be read or is not a valid template stops
     * the backend at start-up with the file, the path in it and what is wrong.
     */
    templates?: string[];
  };
}
