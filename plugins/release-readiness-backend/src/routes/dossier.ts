import { gateReadPermission } from '@release-readiness/plugin-common';
import { verifyEntityTrail, verifyGateTrail } from '../audit/AuditTrail';
import { buildDossier } from '../audit/dossier';
import {
  dossierFileName,
  renderDossierMarkdown,
} from '../audit/dossierMarkdown';
import type { ReadinessRouter, RouterOptions } from './types';

/** `GET /gates/:gateId/dossier`: the gate's dossier, as JSON or Markdown. */
export function registerDossierRoutes(
  router: ReadinessRouter,
  options: RouterOptions,
) {
  const { httpAuth, domain, entities, gates, evidence } = options;
  const { access, evaluator } = domain;
  const auditLog = options.audit;

  router.get('/gates/:gateId/dossier', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    // Loads the gate, refreshes its entity from the catalog, checks the read
    // permission.
    const gate = await access.requireGate(
      req.params.gateId,
      credentials,
      gateReadPermission,
    );
    const [
      entity,
      template,
      evaluation,
      evidenceList,
      gateTrail,
      windows,
      incidents,
      entityTrail,
    ] = await Promise.all([
      entities.getEntity({ entityRef: gate.entityRef }),
      gates.getGateTemplate({ gateId: gate.id }),
      evaluator.evaluate(gate),
      evidence.listEvidence({
        entityRef: gate.entityRef,
        release: gate.release,
      }),
      verifyGateTrail(auditLog, gate.id),
      evaluator.windowsFor(gate),
      options.incidents.listIncidents({
        entityRef: gate.entityRef,
        release: gate.release,
      }),
      verifyEntityTrail(auditLog, gate.entityRef),
    ]);
    const dossier = buildDossier({
      gate,
      evaluation,
      ...(entity ? { entity } : {}),
      ...(template ? { template } : {}),
      evidence: evidenceList,
      // The events shown are the ones verified, read in one snapshot.
      audit: gateTrail.events,
      verification: gateTrail.verification,
      entityAudit: entityTrail.events,
      entityVerification: entityTrail.verification,
      windows,
      incidents,
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
