/*
 * Evidence cannot lie: what CI posts is checked before it is stored and
 * against what is stored. An observation from the future is refused (a
 * clock skew between CI and the backend is allowed for); a run already
 * recorded may be posted again only with the same content, so that a retry
 * is idempotent and a rewrite of history is a conflict. The comparison
 * happens inside the entity's transaction, on the row as it is stored.
 */
import { Config, readDurationFromConfig } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import { Evidence, Gate } from '@release-readiness/plugin-common';
import { ReadinessStores } from '../database';
import {
  staleVotesOnEvidence,
  staleVotesOnEvidenceOfRelease,
} from './governance';
import { requestTimestamp } from './timestamps';
import { z } from 'zod';

/**
 * The fields of one fact of evidence as its source gives them, checked as
 * the API's contract checks `POST /evidence`: shared by the batch route and
 * the evidence providers' collector.
 */
export const evidenceFactFields = {
  type: z
    .string()
    .max(63)
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case kebab-case'),
  status: z.enum(['passed', 'failed', 'error', 'unknown']),
  metrics: z
    .record(
      z.string(),
      z.union([z.number().finite(), z.boolean(), z.string().max(1000)]),
    )
    .refine(m => Object.keys(m).length <= 100, 'at most 100 metrics')
    .optional(),
  link: z.string().max(2000).optional(),
  commit: z.string().max(255).optional(),
  runId: z.string().min(1).max(255),
};

/** The clock skew allowed by default: five minutes. */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * `releaseReadiness.evidence.maxClockSkew` in milliseconds: how far in the
 * future an observed time may lie (CI runners' clocks drift). A duration
 * object (`{ minutes: 5 }`) or an ISO 8601 duration (`PT5M`).
 */
export function readMaxClockSkew(config: Config): number {
  const key = 'releaseReadiness.evidence.maxClockSkew';
  if (!config.has(key)) return DEFAULT_MAX_CLOCK_SKEW_MS;
  const ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  if (!Number.isFinite(ms) || ms < 0) {
    throw new Error(`${key} must be a duration of zero or more`);
  }
  return ms;
}

/**
 * The observed time of posted evidence, as stored: the body's `observedAt`
 * when given (a 400 naming the field when it is no real date, or later than
 * `now` by more than `maxClockSkewMs`), else `now`.
 */
export function evidenceObservedAt(
  value: string | undefined,
  now: Date,
  maxClockSkewMs: number,
): string {
  if (value === undefined) return now.toISOString();
  const observedAt = requestTimestamp(value, 'observedAt');
  const ahead = Date.parse(observedAt) - now.getTime();
  if (ahead > maxClockSkewMs) {
    throw new InputError(
      `observedAt: ${observedAt} is in the future (the backend's clock says ${now.toISOString()}, ${Math.round(
        maxClockSkewMs / 1000,
      )} s of clock skew are allowed); post the time the run observed its result`,
    );
  }
  return observedAt;
}

/**
 * Throws a 409 when a run already stored is posted again with other
 * content: evidence is never rewritten.
 */
function refuseRewrite(
  stored: Evidence,
  posted: PostedEvidence,
  observedAtGiven: boolean,
): void {
  const differences = evidenceDifferences(stored, posted, observedAtGiven);
  if (differences.length) {
    throw new ConflictError(
      `runId: run ${posted.runId} already posted ${
        posted.type
      } evidence for release ${posted.release} of ${
        posted.entityRef
      } (received ${stored.receivedAt}) with other content: ${differences.join(
        '; ',
      )}. Evidence is never rewritten; post a new run with its own runId`,
    );
  }
}

/** What a pipeline posts: evidence without what the plugin adds. */
export type PostedEvidence = Omit<Evidence, 'id' | 'receivedAt'>;

function metricsKey(metrics: Evidence['metrics']): string {
  const sorted = Object.keys(metrics)
    .sort()
    .map(key => [key, metrics[key]]);
  return JSON.stringify(sorted);
}

/**
 * The fields in which a repeat of a run differs from the run as stored.
 * `observedAt` counts only when the repeat names one (without it, it is the
 * time of posting, which a retry cannot repeat); who posted does not count.
 */
export function evidenceDifferences(
  stored: Evidence,
  posted: PostedEvidence,
  observedAtGiven: boolean,
): string[] {
  const differences: string[] = [];
  const compare = (field: string, was: unknown, now: unknown) => {
    if (was !== now) {
      differences.push(
        `${field} (stored ${JSON.stringify(was) ?? 'none'}, posted ${
          JSON.stringify(now) ?? 'none'
        })`,
      );
    }
  };
  compare('status', stored.status, posted.status);
  if (metricsKey(stored.metrics) !== metricsKey(posted.metrics)) {
    differences.push('metrics');
  }
  compare('link', stored.link, posted.link);
  compare('commit', stored.commit, posted.commit);
  if (
    observedAtGiven &&
    Date.parse(stored.observedAt) !== Date.parse(posted.observedAt)
  ) {
    compare('observedAt', stored.observedAt, posted.observedAt);
  }
  return differences;
}

/**
 * Stores posted evidence, in the entity's transaction (`stores` are its
 * stores). A repeat of a run with the same content answers the stored
 * evidence (`created: false`); with other content, a 409 naming the run and
 * what differs, and nothing is written.
 */
export async function recordEvidence(
  stores: Pick<ReadinessStores, 'evidence'> &
    Partial<Pick<ReadinessStores, 'gates' | 'approvals'>>,
  posted: PostedEvidence,
  observedAtGiven: boolean,
  context?: { gateAsRead?: Gate },
): Promise<{ evidence: Evidence; created: boolean }> {
  const add = () => stores.evidence.addEvidence({ evidence: posted });
  // Governance: evidence that changes an automated item's outcome makes
  // the gate's votes stale (gates/governance.ts).
  const { gates, approvals } = stores;
  const result =
    gates && approvals
      ? await staleVotesOnEvidence(
          { gates, approvals, evidence: stores.evidence },
          posted,
          add,
          gate => {
            // The release's gate as this transaction read it, unwritten.
            if (context) context.gateAsRead = gate;
          },
        )
      : await add();
  if (!result.created) {
    refuseRewrite(result.evidence, posted, observedAtGiven);
  }
  return result;
}

/**
 * Records the facts of one release of one entity, inside its transaction,
 * each as {@link recordEvidence} would, and answers each on its own: a fact
 * refused on its content (a 409, a 400) leaves the others. The release's
 * gate is read once, and its votes made stale once if the group as a whole
 * changed a required automated item's outcome materially (judged before
 * and after the group, which is atomic).
 */
export async function recordEvidenceOfRelease(
  stores: ReadinessStores,
  facts: Array<{ posted: PostedEvidence; observedAtGiven: boolean }>,
  context?: { gateAsRead?: Gate },
): Promise<Array<{ evidence: Evidence; created: boolean } | Error>> {
  if (!facts.length) return [];
  const { entityRef, release } = facts[0].posted;
  if (
    facts.some(
      f => f.posted.entityRef !== entityRef || f.posted.release !== release,
    )
  ) {
    throw new Error('recordEvidenceOfRelease takes one release of one entity');
  }
  const gate = await stores.gates.getReleaseGate({ entityRef, release });
  return staleVotesOnEvidenceOfRelease(
    stores,
    gate,
    facts.map(f => f.posted),
    async () => {
      // One statement for the group; each repeat compared with its row.
      const stored = await stores.evidence.addEvidenceMany({
        evidence: facts.map(f => f.posted),
      });
      return stored.map((result, k) => {
        if (result.created) return result;
        const { posted, observedAtGiven } = facts[k];
        try {
          refuseRewrite(result.evidence, posted, observedAtGiven);
          return result;
        } catch (error) {
          return error as Error;
        }
      });
    },
    read => {
      if (context) context.gateAsRead = read;
    },
  );
}
