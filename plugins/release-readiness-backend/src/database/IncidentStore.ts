import { Incident } from '@release-readiness/plugin-common';
import {
  ExternalIncident,
  ExternalIncidentOutcome,
} from '@release-readiness/plugin-node';

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
  /**
   * Stores an incident reported by an incident source, or updates the one
   * with the same source, external id and entity: linked to the release
   * given, else to the entity's last release marked released at or before
   * it occurred within the link window; not stored ('unlinked') otherwise.
   */
  recordExternalIncident(options: {
    source: { id: string; title: string };
    incident: ExternalIncident;
  }): Promise<ExternalIncidentOutcome>;
  listIncidents(options: {
    entityRef: string;
    release?: string;
  }): Promise<Incident[]>;
}
