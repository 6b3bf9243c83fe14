import { InputError, NotAllowedError } from '@backstage/errors';
import { parseEntityRef } from '@backstage/catalog-model';
import { incidentCreatePermission } from '@release-readiness/plugin-common';
import { audited } from './auditor';
import { requestTimestamp } from '../gates';
import type { ReadinessRouter, RouterOptions } from './types';

/** `POST /incidents`: a post-release incident, from a person or a tool. */
export function registerIncidentRoutes(
  router: ReadinessRouter,
  options: RouterOptions,
) {
  const { httpAuth, domain, incidents, auditor } = options;
  const { access } = domain;

  router.post('/incidents', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    // A tool's token must be restricted to what it may do, as for evidence:
    // an unrestricted service token is no incident tool.
    const service = credentials.principal as {
      type: string;
      accessRestrictions?: unknown;
    };
    if (service.type === 'service' && !service.accessRestrictions) {
      throw new NotAllowedError(
        'Incidents from a tool need a service token with access restrictions (backend.auth.externalAccess … accessRestrictions)',
      );
    }
    const body = req.body;
    let ref;
    try {
      ref = parseEntityRef(body.entityRef, { defaultKind: 'component' });
    } catch (error) {
      throw new InputError(`entityRef: ${(error as Error).message}`);
    }
    const entity = await access.loadEntity(ref, credentials);
    const info = await access.syncEntity(entity);
    await access.authorize(
      credentials,
      incidentCreatePermission,
      info.entityRef,
      `Only the gate owners of ${info.entityRef}, incident managers and incident tools may report its incidents (${incidentCreatePermission.name})`,
    );
    const principal = credentials.principal as {
      type: string;
      userEntityRef?: string;
      subject?: string;
    };
    const incident = await audited(
      auditor,
      {
        eventId: 'incident-report',
        request: req,
        meta: { entityRef: info.entityRef, release: body.release },
      },
      () =>
        incidents.addIncident({
          incident: {
            entityRef: info.entityRef,
            release: body.release.trim(),
            severity: body.severity,
            title: body.title.trim(),
            ...(body.link ? { link: body.link } : {}),
            occurredAt: body.occurredAt
              ? requestTimestamp(body.occurredAt, 'occurredAt')
              : new Date().toISOString(),
            reportedBy:
              principal.userEntityRef ?? principal.subject ?? 'unknown',
          },
        }),
    );
    res.status(201).json(incident);
  });
}
