import { ConflictError, InputError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ChecklistItemDefinition,
  EntityReadiness,
  gateCreatePermission,
  gateOwnersUpdatePermission,
  gateReadPermission,
  gateUpdatePermission,
  GateTemplate,
  parseRule,
  selectTemplate,
} from '@release-readiness/plugin-common';
import { Duration } from 'luxon';
import { audited } from './audit';
import { requestTimestamp } from './timestamps';
import type { ReadinessRouter, RouterOptions } from './router';

type EntityParams = { kind: string; namespace: string; name: string };

/** Checks what the OpenAPI schema cannot: the rule and the duration. */
export function validateItemDefinition(item: ChecklistItemDefinition) {
  if (item.automated) {
    try {
      parseRule(item.automated.rule);
    } catch (error) {
      throw new InputError(`automated.rule: ${(error as Error).message}`);
    }
    if (!Duration.fromISO(item.automated.maxAge).isValid) {
      throw new InputError(
        `automated.maxAge: "${item.automated.maxAge}" is not an ISO 8601 duration such as P7D or PT12H`,
      );
    }
  }
}

/** Routes under `/entities/:kind/:namespace/:name`. */
export function registerEntityRoutes(
  router: ReadinessRouter,
  options: RouterOptions,
) {
  const { httpAuth, service, entities, gates, auditor, notifier } = options;

  /** The entity as the caller sees it, with its row kept current. */
  async function resolve(params: EntityParams, credentials: any) {
    const entity = await service.loadEntity(params, credentials);
    const info = await service.syncEntity(entity);
    return { entity, info, entityRef: info.entityRef };
  }

  router.get('/entities/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { entity, entityRef, info } = await resolve(req.params, credentials);
    await service.authorize(credentials, gateReadPermission, entityRef);

    const { template } = selectTemplate(entity, service.templates);
    const [assignments, serviceItems, entityGates] = await Promise.all([
      entities.listAssignments({ entityRef }),
      entities.listServiceItems({ entityRef }),
      gates.listGates({ entityRef }),
    ]);
    // What the index now holds of the entity, read once for the whole request.
    const known = { entity: info, assignments };
    const resource = await service.gateResource(entityRef, known);
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
        ? await service.withEvaluation(current, { entity: known })
        : null,
      earlierGates: entityGates.filter(g => g !== current),
    };
    res.json(body);
  });

  router.put('/entities/:kind/:namespace/:name/owners', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const { entityRef } = await resolve(req.params, credentials);
    await service.authorize(
      credentials,
      gateOwnersUpdatePermission,
      entityRef,
      `Only the gate owners of ${entityRef} or an admin may change its gate owners`,
    );
    const owners = req.body.owners.map(ref =>
      stringifyEntityRef(parseEntityRef(ref)).toLocaleLowerCase('en-US'),
    );
    const { result: gateOwners } = await audited(
      auditor,
      {
        eventId: 'gate-owners-update',
        request: req,
        meta: { entityRef, owners },
      },
      // Who may vote as a gate owner changes with them, and so can the
      // current gate's evaluation: not while a GO waits for its release,
      // which was decided with the votes of the owners as they were.
      () =>
        service.changeEntity(entityRef, async stores => {
          const current = await stores.entities.getCurrentGateRef({
            entityRef,
          });
          const gate = current
            ? await stores.gates.getGate({ gateId: current.gateId })
            : undefined;
          if (gate?.state === 'go') {
            throw new ConflictError(
              `The gate for release ${gate.release} is GO; its gate owners cannot change until it is released or cancelled`,
            );
          }
          await stores.entities.setAssignments({
            entityRef,
            ownerRefs: owners,
            actor: credentials.principal.userEntityRef,
          });
          // Read in the transaction: once it commits, nothing is left to fail.
          return (await service.gateResource(entityRef, undefined, stores))
            .ownerRefs;
        }),
    );
    res.json({ entityRef, gateOwners, assigned: owners });
  });

  router.post('/entities/:kind/:namespace/:name/items', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const { entity, entityRef } = await resolve(req.params, credentials);
    await service.authorize(
      credentials,
      gateUpdatePermission,
      entityRef,
      `Only the gate owners of ${entityRef} may add checklist items`,
    );
    const item = req.body as ChecklistItemDefinition;
    validateItemDefinition(item);
    const { template } = selectTemplate(entity, service.templates);
    if (template?.checklist.some(t => t.id === item.id)) {
      throw new ConflictError(
        `id: the template ${template.name} already has a checklist item ${item.id}`,
      );
    }
    const created = await audited(
      auditor,
      {
        eventId: 'service-item-add',
        request: req,
        meta: { entityRef, itemId: item.id },
      },
      () =>
        entities.addServiceItem({
          entityRef,
          item,
          actor: credentials.principal.userEntityRef,
        }),
    );
    res.status(201).json(created);
  });

  router.post('/entities/:kind/:namespace/:name/gates', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const { entity, entityRef } = await resolve(req.params, credentials);
    await service.authorize(
      credentials,
      gateCreatePermission,
      entityRef,
      `Only the gate owners of ${entityRef} may open a gate`,
    );
    const { release, plannedAt, rapidReason } = req.body;
    let template: GateTemplate | undefined;
    if (req.body.template) {
      template = service.getTemplate(req.body.template);
      if (!template) {
        throw new InputError(
          `template: there is no gate template named ${req.body.template}`,
        );
      }
    } else {
      const selection = selectTemplate(entity, service.templates);
      if (!selection.template) {
        throw new InputError(
          `template: ${
            selection.problem ??
            `no gate template applies to ${entityRef}; name one`
          }`,
        );
      }
      template = selection.template;
    }
    if (template.rapid && !rapidReason?.trim()) {
      throw new InputError(
        `rapidReason: choosing the expedited template ${template.name} needs a reason, which is kept in the audit trail`,
      );
    }
    const serviceItems = await entities.listServiceItems({ entityRef });
    const gate = await audited(
      auditor,
      {
        eventId: 'gate-open',
        request: req,
        meta: { entityRef, release, template: template.name },
      },
      () =>
        service.changeGate(entityRef, stores =>
          stores.gates.openGate({
            entityRef,
            release: release.trim(),
            template: template!,
            items: [
              ...template!.checklist.map(item => ({
                ...item,
                source: 'template' as const,
              })),
              ...serviceItems.map(
                ({ createdAt: _a, createdBy: _b, ...item }) => ({
                  ...item,
                  source: 'service' as const,
                }),
              ),
            ],
            ...(plannedAt
              ? { plannedAt: requestTimestamp(plannedAt, 'plannedAt') }
              : {}),
            requestedBy: credentials.principal.userEntityRef,
            ...(template!.rapid ? { rapidReason: rapidReason!.trim() } : {}),
          }),
        ),
      created => ({ gateId: created.id }),
    );
    notifier.later(`the opening of gate ${gate.id}`, async () => {
      const owners = await service.gateResource(entityRef);
      await notifier.gateOpened(gate, template!, owners.ownerRefs);
    });
    res.status(201).json(gate);
  });
}
