/*
 * Incidents reported after a release.
 */

/**
 * A post-release incident.
 *
 * @public
 */
export interface Incident {
  id: string;
  entityRef: string;
  release: string;
  severity: 'sev1' | 'sev2' | 'sev3' | 'sev4';
  title: string;
  link?: string;
  occurredAt: string;
  reportedBy: string;
  /**
   * Present (true) when the release had no gate when the incident was
   * reported: it went to production without one. Such an incident is never
   * counted against a gate (as a defect that escaped it).
   */
  ungated?: true;
  /**
   * Present when an incident tool reported it (a webhook from PagerDuty or
   * Opsgenie, through an incident source of the backend): the tool and its
   * own id of the incident.
   */
  source?: {
    /** e.g. `pagerduty` */
    id: string;
    /** e.g. `PagerDuty` */
    title: string;
    /** The incident's id in the tool. */
    externalId: string;
  };
}
