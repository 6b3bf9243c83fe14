import { gateReadPermission } from '@release-readiness/plugin-common';
import {
  buildDossier,
  dossierFileName,
  renderDossierMarkdown,
} from '../audit/dossier';
import type { ReadinessRouter, RouterOptions } from './router';

/** `GET /gates/:gateId/dossier`: the gate's dossier, as JSON or Markdown. */
export function registerDossierRoutes(
  router: ReadinessRouter,
  options: RouterOptions,
) {
  const { httpAuth, service, gates, evidence } = options;

  router.get('/gates/:gateId/dossier', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    // Loads the gate, refreshes its entity from the catalog, checks the read
    // permission.
    const gate = await service.requireGate(
      req.params.gateId,
      credentials,
      gateReadPermission,
    );
    const [entity, template, evaluation, evidenceList, audit, windows] =
      await Promise.all([
        gates.getEntity({ entityRef: gate.entityRef }),
        gates.getGateTemplate({ gateId: gate.id }),
        service.evaluate(gate),
        evidence.listEvidence({
          entityRef: gate.entityRef,
          release: gate.release,
        }),
        gates.listAudit({ gateId: gate.id }),
        service.windowsFor(gate),
      ]);
    const dossier = buildDossier({
      gate,
      evaluation,
      ...(entity ? { entity } : {}),
      ...(template ? { template } : {}),
      evidence: evidenceList,
      audit,
      windows,
    });

    if (req.query.format === 'md') {
      res
        .status(200)
        .set({
          'Content-Type': 'text/markdown; charset=utf-8',
          'Content-Disposition': `attachment; filename="${dossierFileName(
            dossier,
          )}"`,
        })
        .send(renderDossierMarkdown(dossier));
      return;
    }
    res.json(dossier);
  });
}
