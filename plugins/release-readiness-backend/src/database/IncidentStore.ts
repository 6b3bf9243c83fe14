import { Incident } from '@release-readiness/plugin-common';

/**
 * Post-release incidents. Recording one recounts, in the same transaction,
 * the incidents on the metrics row of its release's gate.
 */
export interface IncidentStore {
  addIncident(options: { incident: Omit<Incident, 'id'> }): Promise<Incident>;
  listIncidents(options: {
    entityRef: string;
    release?: string;
  }): Promise<Incident[]>;
}
