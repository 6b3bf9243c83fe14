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
}
