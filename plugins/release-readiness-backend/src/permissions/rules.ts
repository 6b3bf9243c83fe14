import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  GateResource,
  RELEASE_READINESS_GATE_RESOURCE_TYPE,
} from '@release-readiness/plugin-common';
import { z } from 'zod';

/**
 * How gate permission conditions are pushed into database queries: the gates
 * of entities whose gate owners include one of `ownerRefs`.
 *
 * @public
 */
export type GateQuery = { ownerRefsAnyOf: string[] };

/**
 * The gate resource of the permission framework.
 *
 * @public
 */
export const gatePermissionResourceRef = createPermissionResourceRef<
  GateResource,
  GateQuery
>().with({
  pluginId: 'release-readiness',
  resourceType: RELEASE_READINESS_GATE_RESOURCE_TYPE,
});

/**
 * `IS_GATE_OWNER`: the caller is one of the entity's gate owners, directly or
 * through a group. `claims` are the caller's ownership refs (the user and the
 * groups it is a member of).
 *
 * @public
 */
export const isGateOwner = createPermissionRule({
  name: 'IS_GATE_OWNER',
  description:
    "Allow when the caller is one of the entity's gate owners: its catalog owner, that group's members, or an explicit assignment",
  resourceRef: gatePermissionResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Ownership refs of the caller: the user and its groups'),
  }),
  apply: (resource: GateResource, { claims }) => {
    const wanted = new Set(claims.map(c => c.toLocaleLowerCase('en-US')));
    return resource.ownerRefs.some(ref => wanted.has(ref));
  },
  toQuery: ({ claims }) => ({
    ownerRefsAnyOf: claims.map(c => c.toLocaleLowerCase('en-US')),
  }),
});

/**
 * The permission rules of gates, as registered with the permissions registry.
 *
 * @public
 */
export const gatePermissionRules = { isGateOwner };

const gateConditionExports = createConditionExports({
  resourceRef: gatePermissionResourceRef,
  rules: gatePermissionRules,
});

/**
 * Conditions on gates for permission policies, e.g.
 * `gateConditions.isGateOwner({ claims: user.info.ownershipEntityRefs })`.
 *
 * @public
 */
export const gateConditions = gateConditionExports.conditions;

/**
 * Makes a conditional decision on a gate permission from `gateConditions`,
 * e.g. `createGateConditionalDecision(permission, gateConditions.isGateOwner({ claims }))`.
 *
 * @public
 */
export const createGateConditionalDecision =
  gateConditionExports.createConditionalDecision;
