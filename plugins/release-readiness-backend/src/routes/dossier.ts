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
      debrief,
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
      options.debriefs.getDebrief({ gateId: gate.id }),
    ]);
    // Every approval and request, with windows that no longer apply (retired
    // ones are kept) resolved, so that each record names its window.
    const recorded = await domain.windowExceptions.listForGate(gate);
    const referencedIds = [
      ...new Set(
        [...recorded.approvals, ...recorded.requests].map(r => r.windowId),
      ),
    ].filter(id => !windows.windows.some(w => w.id === id));
    const referenced = (
      await Promise.all(
        referencedIds.map(
          async windowId =>
            evaluator.configWindows.find(w => w.id === windowId) ??
            (await options.windows.getWindow({ windowId })),
        ),
      )
    ).filter((w): w is NonNullable<typeof w> => Boolean(w));
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
      windows: {
        windows: windows.windows,
        exceptions: recorded.approvals,
        requests: recorded.requests,
        referenced,
      },
      incidents,
      ...(debrief ? { debrief } : {}),
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
