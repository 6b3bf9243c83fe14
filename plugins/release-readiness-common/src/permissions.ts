import {
  createPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/**
 * The resource type of release gates. A gate's permissions follow its entity:
 * the resource ref of a gate permission is the gate's entity ref, so that
 * opening a gate, editing it and deciding on it are judged by the same rule
 * (`IS_GATE_OWNER`: the caller is one of the entity's gate owners).
 *
 * @public
 */
export const RELEASE_READINESS_GATE_RESOURCE_TYPE = 'release-readiness-gate';

/** @public */
export type GateResourcePermission = ResourcePermission<
  typeof RELEASE_READINESS_GATE_RESOURCE_TYPE
>;

/**
 * Read an entity's readiness, gates, audit trail and dossier.
 *
 * @public
 */
export const gateReadPermission = createPermission({
  name: 'release-readiness.gate.read',
  attributes: { action: 'read' },
  resourceType: RELEASE_READINESS_GATE_RESOURCE_TYPE,
});

/**
 * Open a gate for a release of an entity.
 *
 * @public
 */
export const gateCreatePermission = createPermission({
  name: 'release-readiness.gate.create',
  attributes: { action: 'create' },
  resourceType: RELEASE_READINESS_GATE_RESOURCE_TYPE,
});

/**
 * Keep a gate's checklist and risk assessment, and the entity's own checklist
 * items.
 *
 * @public
 */
export const gateUpdatePermission = createPermission({
  name: 'release-readiness.gate.update',
  attributes: { action: 'update' },
  resourceType: RELEASE_READINESS_GATE_RESOURCE_TYPE,
});

/**
 * Record a Go or No-Go decision, and release, roll back or cancel a gate.
 *
 * @public
 */
export const gateDecidePermission = createPermission({
  name: 'release-readiness.gate.decide',
  attributes: { action: 'update' },
  resourceType: RELEASE_READINESS_GATE_RESOURCE_TYPE,
});

/**
 * Release a gate whose recorded GO no longer holds (a condition lapsed since
 * the decision, or a release window is closed now), with a reason that is
 * audited. The default policy gives it to release managers (and admins).
 *
 * @public
 */
export const gateOverridePermission = createPermission({
  name: 'release-readiness.gate.override',
  attributes: { action: 'update' },
  resourceType: RELEASE_READINESS_GATE_RESOURCE_TYPE,
});

/**
 * Change who the gate owners of an entity are.
 *
 * @public
 */
export const gateOwnersUpdatePermission = createPermission({
  name: 'release-readiness.owners.update',
  attributes: { action: 'update' },
  resourceType: RELEASE_READINESS_GATE_RESOURCE_TYPE,
});

/**
 * Vote on a gate. Who may vote for which role is the template's rule; this
 * permission lets a policy take the right away altogether.
 *
 * @public
 */
export const signoffCreatePermission = createPermission({
  name: 'release-readiness.signoff.create',
  attributes: { action: 'create' },
});

/**
 * Post evidence from CI (service credentials only).
 *
 * @public
 */
export const evidenceCreatePermission = createPermission({
  name: 'release-readiness.evidence.create',
  attributes: { action: 'create' },
});

/**
 * Read the gate templates.
 *
 * @public
 */
export const templateReadPermission = createPermission({
  name: 'release-readiness.template.read',
  attributes: { action: 'read' },
});

/**
 * Create, edit and retire release windows (trains and freezes).
 *
 * @public
 */
export const windowManagePermission = createPermission({
  name: 'release-readiness.window.manage',
  attributes: { action: 'create' },
});

/**
 * Report a post-release incident of an entity. A resource permission: its
 * resource ref is the entity's ref, so that a policy can let the entity's
 * gate owners report (the default policy also lets an incident-management
 * group and the service tokens of incident tools report on any entity).
 *
 * @public
 */
export const incidentCreatePermission = createPermission({
  name: 'release-readiness.incident.create',
  attributes: { action: 'create' },
  resourceType: RELEASE_READINESS_GATE_RESOURCE_TYPE,
});

/**
 * Every permission of the Release Readiness plugin.
 *
 * @public
 */
export const releaseReadinessPermissions = [
  gateReadPermission,
  gateCreatePermission,
  gateUpdatePermission,
  gateDecidePermission,
  gateOverridePermission,
  gateOwnersUpdatePermission,
  signoffCreatePermission,
  evidenceCreatePermission,
  templateReadPermission,
  windowManagePermission,
  incidentCreatePermission,
];

/**
 * The resource a gate permission rule sees: the entity and its gate owners.
 *
 * @public
 */
export interface GateResource {
  entityRef: string;
  /** Catalog owner refs and explicitly assigned refs, lower-case. */
  ownerRefs: string[];
}
