import { NotAllowedError, serializeError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  EvidenceBatchResponse,
  EvidenceBatchResult,
  evidenceCreatePermission,
} from '@release-readiness/plugin-common';
import { z } from 'zod';
import { audited } from './auditor';
import {
  evidenceFactFields,
  evidenceObservedAt,
  PostedEvidence,
  recordEvidenceOfRelease,
} from '../gates';
import type { ReadinessRouter, RouterOptions } from './types';

/** The most facts one batch may carry. */
export const EVIDENCE_BATCH_LIMIT = 500;

/** One fact of a batch: what `POST /evidence` takes. */
const factSchema = z.strictObject({
  entityRef: z.string().min(1).max(255),
  release: z.string().min(1).max(255).regex(/\S/, 'must not be blank'),
  ...evidenceFactFields,
  observedAt: z.string().optional(),
});

type Fact = z.infer<typeof factSchema>;

/** A fact ready to store, with where its answer goes. */
interface Pending {
  index: number;
  posted: PostedEvidence;
  observedAtGiven: boolean;
}

function failure(index: number, error: unknown): EvidenceBatchResult {
  const { name, message } = serializeError(error as Error);
  const status =
    (
      {
        InputError: 400,
        NotAllowedError: 403,
        NotFoundError: 404,
        ConflictError: 409,
        ServiceUnavailableError: 503,
      } as Record<string, number>
    )[name] ?? 500;
  return { index, status, error: { name, message } };
}

/**
 * `POST /evidence/batch`: many facts in one request, for pipelines and
 * collectors that post thousands a minute. Each fact is judged as
 * `POST /evidence` judges it (idempotent per run, other content a 409,
 * nothing from the future) and answered on its own: one bad fact never
 * stops the others. The facts of one entity and release are stored in one
 * transaction with the portfolio's summary.
 */
export function registerEvidenceBatchRoute(
  router: ReadinessRouter,
  options: RouterOptions,
) {
  const { httpAuth, domain, auditor, maxClockSkewMs } = options;
  const { access, changes } = domain;

  router.post('/evidence/batch', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    if (!credentials.principal.accessRestrictions) {
      throw new NotAllowedError(
        'Evidence needs a service token with access restrictions (backend.auth.externalAccess … accessRestrictions)',
      );
    }
    await access.authorize(credentials, evidenceCreatePermission);
    const facts: unknown[] = req.body.evidence;
    const now = new Date();
    const results: EvidenceBatchResult[] = new Array(facts.length);

    // Each fact checked alone; the good ones grouped by entity and release.
    const byEntity = new Map<
      string,
      { ref: string; facts: Array<[number, Fact]> }
    >();
    facts.forEach((raw, index) => {
      const parsed = factSchema.safeParse(raw);
      if (!parsed.success) {
        results[index] = {
          index,
          status: 400,
          error: {
            name: 'InputError',
            message: parsed.error.issues
              .map(i => `${i.path.join('.') || 'fact'}: ${i.message}`)
              .join('; '),
          },
        };
        return;
      }
      let key: string;
      try {
        key = stringifyEntityRef(
          parseEntityRef(parsed.data.entityRef, { defaultKind: 'component' }),
        ).toLocaleLowerCase('en-US');
      } catch (error) {
        results[index] = {
          index,
          status: 400,
          error: {
            name: 'InputError',
            message: `entityRef: ${(error as Error).message}`,
          },
        };
        return;
      }
      const group = byEntity.get(key) ?? { ref: key, facts: [] };
      group.facts.push([index, parsed.data]);
      byEntity.set(key, group);
    });

    const stored = await audited(
      auditor,
      {
        eventId: 'evidence-batch',
        request: req,
        meta: { facts: facts.length, entities: byEntity.size },
      },
      async () => {
        for (const group of byEntity.values()) {
          let entityRef: string;
          try {
            const entity = await access.loadEntity(
              parseEntityRef(group.ref),
              credentials,
            );
            entityRef = access.entityInfo(entity).entityRef;
          } catch (error) {
            for (const [index] of group.facts) {
              results[index] = failure(index, error);
            }
            continue;
          }
          const byRelease = new Map<string, Pending[]>();
          for (const [index, fact] of group.facts) {
            try {
              const release = fact.release.trim();
              const posted: PostedEvidence = {
                entityRef,
                release,
                type: fact.type,
                status: fact.status,
                metrics: fact.metrics ?? {},
                ...(fact.link ? { link: fact.link } : {}),
                ...(fact.commit ? { commit: fact.commit } : {}),
                runId: fact.runId,
                observedAt: evidenceObservedAt(
                  fact.observedAt,
                  now,
                  maxClockSkewMs,
                ),
                postedBy: credentials.principal.subject,
              };
              const list = byRelease.get(release) ?? [];
              list.push({
                index,
                posted,
                observedAtGiven: fact.observedAt !== undefined,
              });
              byRelease.set(release, list);
            } catch (error) {
              results[index] = failure(index, error);
            }
          }
          for (const [release, pending] of byRelease) {
            await storeGroup(entityRef, release, pending, results);
          }
        }
        return summarize(results);
      },
      summary => ({ ...summary }),
    );

    async function storeGroup(
      entityRef: string,
      release: string,
      pending: Pending[],
      out: EvidenceBatchResult[],
    ) {
      const answers = new Map<number, EvidenceBatchResult>();
      try {
        // One transaction for the release's facts; a fact refused on its
        // content (409) is answered alone and the others go on, since the
        // comparison writes nothing.
        await changes.changeEntity(
          entityRef,
          async (stores, context) => {
            answers.clear();
            const outcomes = await recordEvidenceOfRelease(
              stores,
              pending,
              context,
            );
            outcomes.forEach((outcome, k) => {
              const { index } = pending[k];
              answers.set(
                index,
                outcome instanceof Error
                  ? failure(index, outcome)
                  : {
                      index,
                      status: outcome.created ? 201 : 200,
                      evidenceId: outcome.evidence.id,
                    },
              );
            });
          },
          { onlyForRelease: release },
        );
        for (const [index, answer] of answers) out[index] = answer;
      } catch (error) {
        // Nothing of this release's facts was written.
        for (const fact of pending)
          out[fact.index] = failure(fact.index, error);
      }
    }

    const body: EvidenceBatchResponse = { ...stored, results };
    res.status(200).json(body);
  });
}

function summarize(results: EvidenceBatchResult[]) {
  let created = 0;
  let unchanged = 0;
  let failed = 0;
  for (const r of results) {
    if (r.status === 201) created += 1;
    else if (r.status === 200) unchanged += 1;
    else failed += 1;
  }
  return { created, unchanged, failed };
}
