/*
 * What `GET /entities/:kind/:namespace/:name` and the gate routes answer.
 */

import {
  ChecklistItemDefinition,
  Gate,
  GateEvaluation,
  GateOwner,
  Incident,
  SignoffRole,
} from '../types';

/**
 * A gate with its evaluation, as the API returns it.
 *
 * @public
 */
export interface GateWithEvaluation extends Gate {
  /** Post-release incidents reported for this entity and release. */
  incidents: Incident[];
  /** The sign-off roles of the template the gate opened with. */
  signoffRoles: SignoffRole[];
  /**
   * Whether the requester's own Ready vote counts (the template's
   * `signoffs.selfApproval`); absent from older answers.
   */
  signoffSelfApproval?: boolean;
  evaluation: GateEvaluation;
}

/**
 * The release readiness of one catalog entity, as returned by
 * `GET /api/release-readiness/entities/:kind/:namespace/:name`.
 *
 * @public
 */
export interface EntityReadiness {
  /** Full entity ref, e.g. `component:default/payment-gateway`. */
  entityRef: string;
  /** The entity's title, or its name when it has none. */
  title: string;
  /** The template the entity's next gate opens with, if one applies. */
  template?: { name: string; title: string; tier: 1 | 2 | 3; version: string };
  /** Who keeps this entity's gate: the catalog owner and explicit assignments. */
  gateOwners: GateOwner[];
  /** The service checklist: template items and service-specific items. */
  checklist: (ChecklistItemDefinition & { source: 'template' | 'service' })[];
  /** The gate of the current release, or null when no gate was opened yet. */
  currentGate: GateWithEvaluation | null;
  /** Gates of earlier releases, newest first. */
  earlierGates: Gate[];
}
