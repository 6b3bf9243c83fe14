import {
  ChecklistItemDefinition,
  EntityReadiness,
  EntityRollup,
  gateCreatePermission,
  gateOwnersUpdatePermission,
  gateReadPermission,
  gateUpdatePermission,
  selectTemplate,
} from '@release-readiness/plugin-common';
import { InputError } from '@backstage/errors';
import { entityRollup } from '../gates';
import { assignmentsReadWith } from '../database';
import { anchorChainHead } from './auditTrail';
import { audited } from './auditor';
import type { ReadinessRouter, RouterOptions } from './types';

type EntityParams = { kind: string; namespace: string; name: string };

/** Routes under `/entities/:kind/:namespace/:name`. */
export function registerEntityRoutes(
  router: ReadinessRouter,
  options: RouterOptions,
) {
  const { httpAuth, domain, entities, gates, auditor } = options;
  const { access, changes, commands } = domain;

  /** The entity as the caller sees it, with its row kept current. */
  async function resolve(params: EntityParams, credentials: any) {
    const entity = await access.loadEntity(params, credentials);
    const info = await access.syncEntity(entity);
    return { entity, info, entityRef: info.entityRef };
  }

  router.get('/entities/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    // Asked before the catalog and the index are read, answered beside them.
    const decision = access.decide(credentials, gateReadPermission);
    const { entity, entityRef, info } = await resolve(req.params, credentials);
    await access.authorize(
      credentials,
      gateReadPermission,
      entityRef,
      undefined,
      { entity: info },
      decision,
    );

    const { template } = selectTemplate(entity, access.templates);
    const [assignments, serviceItems, entityGates] = await Promise.all([
      // As read with the entity's row when the request read it.
      assignmentsReadWith(info) ?? entities.listAssignments({ entityRef }),
      entities.listServiceItems({ entityRef }),
      gates.listGates({ entityRef }),
    ]);
    // What the index now holds of the entity, read once for the whole request.
    const known = { entity: info, assignments };
    const resource = await access.gateResource(entityRef, known);
    const assigned = new Set(assignments.map(a => a.ownerRef));
    const current = entityGates.find(g => g.state !== 'cancelled');

    const body: EntityReadiness = {
      entityRef,
      title: entity.metadata.title ?? entity.metadata.name,
      ...(template
        ? {
            template: {
              name: template.name,
              title: template.title,
              tier: template.tier,
              version: template.version,
            },
          }
        : {}),
      gateOwners: resource.ownerRefs.map(ref => ({
        ref,
        source: assigned.has(ref) ? 'assigned' : 'catalog-owner',
      })),
      checklist: [
        ...(template?.checklist ?? []).map(item => ({
          ...item,
          source: 'template' as const,
        })),
        ...serviceItems.map(({ createdAt: _a, createdBy: _b, ...item }) => ({
          ...item,
          source: 'service' as const,
        })),
      ],
      currentGate: current
        ? await changes.withEvaluation(current, { entity: known })
        : null,
      earlierGates: entityGates.filter(g => g !== current),
    };
    res.json(body);
  });

  router.get('/entities/:kind/:namespace/:name/rollup', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const kind = req.params.kind.toLocaleLowerCase('en-US');
    if (kind !== 'system' && kind !== 'domain') {
      throw new InputError(
        `kind: only systems and domains have a roll-up, not ${req.params.kind}`,
      );
    }
    const { entity, entityRef } = await resolve(req.params, credentials);
    await access.authorize(credentials, gateReadPermission, entityRef);
    // One computation with the tier view (gates/rollup.ts).
    const body: EntityRollup = await entityRollup({
      entityRef,
      entity,
      ...(req.query.release ? { release: req.query.release } : {}),
      access: await access.readAccess(credentials, gateReadPermission),
      portfolio: options.portfolio,
      gates,
      evaluator: domain.evaluator,
      templates: access.templates,
      loadEntity: async () => entity,
    });
    res.json(body);
  });

  router.put('/entities/:kind/:namespace/:name/owners', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const { entityRef } = await resolve(req.params, credentials);
    await access.authorize(
      credentials,
      gateOwnersUpdatePermission,
      entityRef,
      `Only the gate owners of ${entityRef} or an admin may change its gate owners`,
    );
    const result = await audited(
      auditor,
      {
        eventId: 'gate-owners-update',
        request: req,
        meta: { entityRef, owners: req.body.owners },
      },
      () =>
        commands.setOwners(
          entityRef,
          req.body.owners,
          credentials.principal.userEntityRef,
        ),
    );
    await anchorChainHead(options, req, { entityRef });
    res.json({ entityRef, ...result });
  });

  router.post('/entities/:kind/:namespace/:name/items', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const { entity, entityRef } = await resolve(req.params, credentials);
    await access.authorize(
      credentials,
      gateUpdatePermission,
      entityRef,
      `Only the gate owners of ${entityRef} may add checklist items`,
    );
    const item = req.body as ChecklistItemDefinition;
    const created = await audited(
      auditor,
      {
        eventId: 'service-item-add',
        request: req,
        meta: { entityRef, itemId: item.id },
      },
      () =>
        commands.addServiceItem(
          entity,
          entityRef,
          item,
          credentials.principal.userEntityRef,
        ),
    );
    res.status(201).json(created);
  });

  router.post('/entities/:kind/:namespace/:name/gates', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const { entity, entityRef } = await resolve(req.params, credentials);
    await access.authorize(
      credentials,
      gateCreatePermission,
      entityRef,
      `Only the gate owners of ${entityRef} may open a gate`,
    );
    const { gate } = await audited(
      auditor,
      {
        eventId: 'gate-open',
        request: req,
        meta: {
          entityRef,
          release: req.body.release,
          template: req.body.template ?? null,
        },
      },
      () =>
        commands.openGate(
          entity,
          entityRef,
          req.body,
          credentials.principal.userEntityRef,
        ),
      opened => ({ gateId: opened.gate.id, template: opened.template.name }),
    );
    await anchorChainHead(options, req, { gateId: gate.id });
    res.status(201).json(gate);
    // The providers are asked for the new gate's facts after the answer; a
    // failure is recorded on the gate's sources, never on the opening.
    options.evidenceCollector
      ?.collect(gate, 'gate-opened')
      .catch(error =>
        options.logger.warn(
          `Evidence collection for the new gate ${gate.id} failed: ${error}`,
        ),
      );
  });
}
