import { Incident } from '@release-readiness/plugin-common';

/**
 * Post-release incidents. Recording one recounts, in the same transaction,
 * the incidents on the metrics row of its release's gate.
 */
export interface IncidentStore {
  /**
   * Records an incident, marked `ungated` when its release has no gate
   * (other than cancelled ones); an ungated incident never counts against a
   * gate.
   */
  addIncident(options: {
    incident: Omit<Incident, 'id' | 'ungated'>;
  }): Promise<Incident>;
  listIncidents(options: {
    entityRef: string;
    release?: string;
  }): Promise<Incident[]>;
}
