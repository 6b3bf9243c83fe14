import { gateReadPermission } from '@release-readiness/plugin-common';
import { verifyEntityTrail, verifyGateTrail } from '../audit/AuditTrail';
import { buildDossier } from '../audit/dossier';
import {
  dossierFileName,
  renderDossierMarkdown,
} from '../audit/dossierMarkdown';
import type { EvidencePosition } from '../database/EvidenceStore';
import { sendStreamedJson } from './streamJson';
import type { ReadinessRouter, RouterOptions } from './types';

/** Facts read from the database at a time while a dossier streams. */
const EVIDENCE_PAGE = 500;

/**
 * `GET /gates/:gateId/dossier`: the gate's dossier, as JSON or Markdown.
 * The JSON is streamed: everything but the release's facts is read first,
 * the facts are then written a page at a time as they are read (issue 20),
 * so a release with thousands of facts is never held whole.
 */
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
      // What the dossier's checklist and rollback use: the newest facts.
      // The whole list is streamed below (JSON) or read at the end (md).
      evidence.listNewestEvidence({
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

    const { entityRef, release } = gate;
    async function* everyFact() {
      let after: EvidencePosition | undefined;
      for (;;) {
        const page = await evidence.pageEvidence({
          entityRef,
          release,
          limit: EVIDENCE_PAGE,
          ...(after ? { after } : {}),
        });
        yield* page;
        if (page.length < EVIDENCE_PAGE) return;
        after = page[page.length - 1];
      }
    }

    if (req.query.format === 'md') {
      const facts = [];
      for await (const fact of everyFact()) facts.push(fact);
      dossier.evidence = facts;
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
    await sendStreamedJson(res, { ...dossier }, { evidence: everyFact() });
  });
}
