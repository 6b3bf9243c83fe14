/**
 * Where a gate owner comes from.
 *
 * - `catalog-owner`: the entity's owner in the catalog (`spec.owner`), the default.
 * - `assigned`: an explicit assignment stored by the Release Readiness backend.
 *
 * @public
 */
export type GateOwnerSource = 'catalog-owner' | 'assigned';

/**
 * A user or group allowed to keep an entity's release gate.
 *
 * @public
 */
export interface GateOwner {
  /** Entity ref of the user or group, e.g. `group:default/payments`. */
  ref: string;
  source: GateOwnerSource;
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
  /** Who keeps this entity's gate: the catalog owner and explicit assignments. */
  gateOwners: GateOwner[];
  /** The service checklist (template items and service-specific items). */
  checklist: unknown[];
  /** The gate of the current release, or null when no gate was opened yet. */
  currentGate: unknown | null;
  /** Gates of earlier releases, newest first. */
  earlierGates: unknown[];
}
