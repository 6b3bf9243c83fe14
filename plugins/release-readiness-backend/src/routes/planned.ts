import { gateUpdatePermission } from '@release-readiness/plugin-common';
import { setPlannedTime } from '../gates';
import { audited } from './auditor';
import type { ReadinessRouter, RouterOptions } from './types';

/** `PATCH /gates/:gateId/planned`: the planned release time (gates/plannedTime.ts). */
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
}
