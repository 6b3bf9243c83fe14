import { gateUpdatePermission } from '@release-readiness/plugin-common';
import { setFacilitator, setPlannedTime, setReleaseManifest } from '../gates';
import { audited } from './auditor';
import type { ReadinessRouter, RouterOptions } from './types';

/**
 * `PATCH /gates/:gateId/planned`: the planned release time
 * (gates/plannedTime.ts); `PUT /gates/:gateId/manifest`: a system gate's
 * release manifest (gates/manifest.ts); `PUT /gates/:gateId/facilitator`:
 * who runs the gate meeting (gates/facilitator.ts). All for the gate owners.
 */
export function registerPlannedTimeRoutes(
  router: ReadinessRouter,
  options: RouterOptions,
) {
  const { httpAuth, domain, auditor } = options;

  router.patch('/gates/:gateId/planned', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const gate = await domain.access.requireGate(
      req.params.gateId,
      credentials,
      gateUpdatePermission,
      ref =>
        `Only the gate owners of ${ref} may change its planned release time`,
    );
    const updated = await audited(
      auditor,
      {
        eventId: 'gate-planned-update',
        request: req,
        meta: { gateId: gate.id, plannedAt: req.body.plannedAt },
      },
      () =>
        setPlannedTime(
          domain,
          gate,
          req.body,
          credentials.principal.userEntityRef,
        ),
    );
    res.json(updated);
  });

  router.put('/gates/:gateId/manifest', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const gate = await domain.access.requireGate(
      req.params.gateId,
      credentials,
      gateUpdatePermission,
      ref => `Only the gate owners of ${ref} may change its release manifest`,
    );
    const updated = await audited(
      auditor,
      {
        eventId: 'gate-manifest-update',
        request: req,
        meta: { gateId: gate.id, manifest: req.body.manifest },
      },
      () =>
        setReleaseManifest(
          { ...domain, gates: options.gates },
          gate,
          req.body,
          credentials.principal.userEntityRef,
        ),
    );
    res.json(updated);
  });

  router.put('/gates/:gateId/facilitator', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const gate = await domain.access.requireGate(
      req.params.gateId,
      credentials,
      gateUpdatePermission,
      ref => `Only the gate owners of ${ref} may change who facilitates it`,
    );
    const updated = await audited(
      auditor,
      {
        eventId: 'gate-facilitator-update',
        request: req,
        meta: {
          gateId: gate.id,
          facilitator: req.body.facilitator,
          skip: req.body.skip,
        },
      },
      () =>
        setFacilitator(
          {
            access: domain.access,
            people: domain.people,
            gates: options.gates,
            changes: domain.changes,
          },
          gate,
          req.body,
          credentials.principal.userEntityRef,
        ),
    );
    res.json(updated);
  });
}
