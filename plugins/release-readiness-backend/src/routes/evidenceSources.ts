import {
  EvidenceSourcesResponse,
  gateReadPermission,
  gateUpdatePermission,
  isFinalGateState,
} from '@release-readiness/plugin-common';
import { ConflictError } from '@backstage/errors';
import { audited } from './auditor';
import type { ReadinessRouter, RouterOptions } from './types';

/**
 * `GET /gates/:gateId/evidence/sources`: the evidence providers installed in
 * the backend whose types the gate's items read, with each one's last
 * attempt for the release. `POST /gates/:gateId/evidence/refresh`: asks them
 * again now (the tab's "Refresh evidence"), for the people who may change the
 * gate, while it is open (issue 19, providers/EvidenceCollector.ts).
 */
export function registerEvidenceSourceRoutes(
  router: ReadinessRouter,
  options: RouterOptions,
) {
  const { httpAuth, domain, auditor, evidenceCollector } = options;

  router.get('/gates/:gateId/evidence/sources', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const gate = await domain.access.requireGate(
      req.params.gateId,
      credentials,
      gateReadPermission,
    );
    const body: EvidenceSourcesResponse = {
      gateId: gate.id,
      sources: evidenceCollector ? await evidenceCollector.sources(gate) : [],
    };
    res.json(body);
  });

  router.post('/gates/:gateId/evidence/refresh', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const gate = await domain.access.requireGate(
      req.params.gateId,
      credentials,
      gateUpdatePermission,
      ref => `Only the gate owners of ${ref} may refresh its evidence`,
    );
    if (isFinalGateState(gate.state)) {
      throw new ConflictError(
        `The gate is ${gate.state}: its evidence is kept as it was and no longer collected`,
      );
    }
    const sources = await audited(
      auditor,
      {
        eventId: 'evidence-refresh',
        request: req,
        meta: { gateId: gate.id },
      },
      async () =>
        evidenceCollector ? evidenceCollector.collect(gate, 'refresh') : [],
    );
    const body: EvidenceSourcesResponse = { gateId: gate.id, sources };
    res.json(body);
  });
}
