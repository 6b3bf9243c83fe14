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
}
