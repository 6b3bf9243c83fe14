import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { Entity, RELATION_OWNED_BY } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EntityReadiness,
  GateOwner,
  releaseReadinessEntityReadPermission,
  toReadinessEntityRef,
} from '@release-readiness/plugin-common';
import Router from 'express-promise-router';
import type { RouterOptions } from './router';

/** The catalog owner relations of an entity, as lower-case refs. */
function catalogOwnerRefs(entity: Entity): string[] {
  return (entity.relations ?? [])
    .filter(relation => relation.type === RELATION_OWNED_BY)
    .map(relation => relation.targetRef.toLocaleLowerCase('en-US'));
}

/** Routes under `/entities/:kind/:namespace/:name`. */
export function createEntitiesRouter(options: RouterOptions) {
  const { httpAuth, permissions, catalog, gateOwners } = options;
  const router = Router();

  router.get('/entities/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize(
      [{ permission: releaseReadinessEntityReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('You may not read release readiness');
    }

    const { kind, namespace, name } = req.params;
    const entityRef = toReadinessEntityRef({ kind, namespace, name });
    // The caller's own credentials: they see the entity only if the catalog
    // lets them.
    const entity = await catalog.getEntityByRef(
      { kind, namespace, name },
      { credentials },
    );
    if (!entity) {
      throw new NotFoundError(`No catalog entity named ${entityRef}`);
    }

    const assignments = await gateOwners.listAssignments({ entityRef });
    const owners: GateOwner[] = [
      ...catalogOwnerRefs(entity).map(ref => ({
        ref,
        source: 'catalog-owner' as const,
      })),
      ...assignments.map(a => ({
        ref: a.ownerRef,
        source: 'assigned' as const,
      })),
    ];

    res.json({
      entityRef,
      title: entity.metadata.title ?? entity.metadata.name,
      gateOwners: owners,
      checklist: [],
      currentGate: null,
      earlierGates: [],
    } satisfies EntityReadiness);
  });

  return router;
}
