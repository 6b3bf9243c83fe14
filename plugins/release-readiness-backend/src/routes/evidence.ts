import { InputError, NotAllowedError } from '@backstage/errors';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  DecisionAnswer,
  evidenceCreatePermission,
  gateReadPermission,
  goHold,
  toReadinessEntityRef,
} from '@release-readiness/plugin-common';
import { audited } from './auditor';
import { evidenceObservedAt, recordEvidence } from '../gates';
import type { ReadinessRouter, RouterOptions } from './types';

function readEntityRef(value: string, field: string) {
  try {
    return parseEntityRef(value, { defaultKind: 'component' });
  } catch (error) {
    throw new InputError(`${field}: ${(error as Error).message}`);
  }
}

/** `POST /evidence` for CI, and `GET /decision` for pipelines. */
export function registerEvidenceRoutes(
  router: ReadinessRouter,
  options: RouterOptions,
) {
  const { httpAuth, domain, gates, auditor, maxClockSkewMs } = options;
  const { access, changes } = domain;

  router.post('/evidence', async (req, res) => {
    // People never post evidence: it changes only through the pipelines that
    // produced it. A service token must be restricted to what it may do.
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    if (!credentials.principal.accessRestrictions) {
      throw new NotAllowedError(
        'Evidence needs a service token with access restrictions (backend.auth.externalAccess … accessRestrictions)',
      );
    }
    await access.authorize(credentials, evidenceCreatePermission);
    const body = req.body;
    const ref = readEntityRef(body.entityRef, 'entityRef');
    const entity = await access.loadEntity(ref, credentials);
    // Evidence does not touch the entity's index row: an entity with a gate
    // has one (opening it wrote it), and the index sync keeps it current.
    const info = access.entityInfo(entity);
    const observedAt = evidenceObservedAt(
      body.observedAt,
      new Date(),
      maxClockSkewMs,
    );
    const result = await audited(
      auditor,
      {
        eventId: 'evidence-post',
        request: req,
        meta: {
          entityRef: info.entityRef,
          release: body.release,
          type: body.type,
          runId: body.runId,
        },
      },
      // Evidence for the current gate's release moves its evaluation: the
      // portfolio's summary is stored with the evidence, in one transaction.
      async () => {
        const release = body.release.trim();
        const { result: stored } = await changes.changeEntity(
          info.entityRef,
          // A repeat of the run is compared with the stored row here,
          // under the entity's lock: other content is a 409.
          (stores, context) =>
            recordEvidence(
              stores,
              {
                entityRef: info.entityRef,
                release,
                type: body.type,
                status: body.status,
                metrics: (body.metrics ?? {}) as Record<
                  string,
                  number | boolean | string
                >,
                ...(body.link ? { link: body.link } : {}),
                ...(body.commit ? { commit: body.commit } : {}),
                runId: body.runId,
                observedAt,
                postedBy: credentials.principal.subject,
              },
              body.observedAt !== undefined,
              context,
            ),
          { onlyForRelease: release },
        );
        return stored;
      },
      r => ({ evidenceId: r.evidence.id, created: r.created }),
    );
    res.status(result.created ? 201 : 200).json(result.evidence);
  });

  router.get('/decision', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const ref = readEntityRef(String(req.query.entityRef), 'entityRef');
    // Asked before the catalog and the index are read, answered beside them.
    const decision = access.decide(credentials, gateReadPermission);
    const entity = await access.loadEntity(ref, credentials);
    const info = await access.syncEntity(entity);
    await access.authorize(
      credentials,
      gateReadPermission,
      info.entityRef,
      undefined,
      { entity: info },
      decision,
    );
    const release = String(req.query.release).trim();
    const gate = await gates.getReleaseGate({
      entityRef: info.entityRef,
      release,
    });
    if (!gate) {
      res.json({
        entityRef: toReadinessEntityRef(ref),
        release,
        verdict: 'NO-GO',
        ready: false,
        score: 0,
        blockers: [
          `No gate is open for release ${release} of ${info.entityRef}; its gate owners open one on the Readiness tab`,
        ],
      });
      return;
    }
    // Evaluated now: a recorded GO answers GO only while it still holds.
    const evaluated = await changes.withEvaluation(gate, {
      entity: { entity: info },
    });
    const { evaluation, state, id } = evaluated;
    const hold = goHold(evaluated, evaluation);
    let blockers: string[];
    if (hold) {
      blockers = hold.blockers.map(b => b.message);
    } else if (state === 'released') {
      blockers = [];
    } else {
      blockers = evaluation.blockers.map(b => b.message);
    }
    res.json({
      entityRef: info.entityRef,
      release,
      gateId: id,
      state,
      verdict: hold && !hold.holds ? 'NO-GO' : evaluation.verdict,
      ready: evaluation.ready,
      score: evaluation.score,
      blockers,
      ...(hold ? { goHold: hold } : {}),
    } satisfies DecisionAnswer);
  });
}
