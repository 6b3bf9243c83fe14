export interface Config {
  releaseReadiness?: {
    /** Groups of the demo app's permission policy. */
    policy?: {
      /** Members may do everything. Default: group:default/platform-admins. */
      adminGroups?: string[];
      /** Members may decide on any gate. Default: group:default/release-management. */
      releaseManagerGroups?: string[];
    };
  };
}
