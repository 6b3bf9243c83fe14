/*
 * Tech Insights check results as Release Readiness evidence.
 *
 * The provider asks the Tech Insights backend, through the
 * `techInsightsServiceRef` service of `@backstage-community/plugin-tech-insights-node`
 * (the Tech Insights HTTP API, called with this plugin's own service
 * credentials), to run the configured checks for the entity, and reads the
 * timestamps of the facts the checks ran on. A check result becomes one fact
 * whose run id is the check and the fact rows it ran on: the same facts are
 * stored once however often they are collected, and new facts (the fact
 * retriever ran again) are a new fact, judged by the item's maximum age from
 * the time Tech Insights retrieved them.
 */
import { createHash } from 'node:crypto';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import type { CheckResult } from '@backstage-community/plugin-tech-insights-common';
import type { TechInsightsService } from '@backstage-community/plugin-tech-insights-node';
import {
  CollectedEvidence,
  EvidenceCollectionRequest,
  EvidenceProvider,
} from '@release-readiness/plugin-node';

/**
 * A Tech Insights check whose result is recorded as evidence of a type.
 *
 * @public
 */
export interface TechInsightsCheckMapping {
  /** The check's id in Tech Insights, e.g. `groupOwnerCheck`. */
  checkId: string;
  /** The evidence type its result is recorded as, e.g. `ownership`. */
  evidenceType: string;
}

/**
 * What the provider uses of the Tech Insights service.
 *
 * @public
 */
export type TechInsightsChecks = Pick<
  TechInsightsService,
  'getAllChecks' | 'runChecks' | 'getFacts'
>;

const EVIDENCE_TYPE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const MAX_STRING_METRIC = 1000;
const MAX_RUN_ID = 255;

/**
 * Reads `releaseReadiness.techInsights.checks`; undefined when it is not
 * configured.
 *
 * @public
 */
export function readTechInsightsCheckMappings(
  config: Config,
): TechInsightsCheckMapping[] | undefined {
  const entries = config.getOptionalConfigArray(
    'releaseReadiness.techInsights.checks',
  );
  if (!entries) return undefined;
  const mappings = entries.map(entry => ({
    checkId: entry.getString('checkId'),
    evidenceType: entry.getString('evidenceType'),
  }));
  for (const { checkId, evidenceType } of mappings) {
    if (!EVIDENCE_TYPE.test(evidenceType)) {
      throw new Error(
        `releaseReadiness.techInsights.checks: the evidence type of check '${checkId}' must be lower-case kebab-case, got '${evidenceType}'`,
      );
    }
  }
  const seen = new Set<string>();
  return mappings.filter(m => {
    const key = `${m.checkId}\n${m.evidenceType}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The fact values a rule can read: numbers, booleans and short strings. */
function metricsOf(
  result: CheckResult,
): Record<string, number | boolean | string> {
  const metrics: Record<string, number | boolean | string> = {};
  for (const [name, fact] of Object.entries(result.facts ?? {})) {
    const value: unknown = fact?.value;
    if (
      (typeof value === 'number' && Number.isFinite(value)) ||
      typeof value === 'boolean' ||
      (typeof value === 'string' && value.length <= MAX_STRING_METRIC)
    ) {
      metrics[name] = value;
    }
  }
  // Last, so that a fact named `passed` cannot hide the check's result.
  metrics.passed = result.result === true;
  return metrics;
}

function statusOf(result: CheckResult): CollectedEvidence['status'] {
  if (result.result === true) return 'passed';
  if (result.result === false) return 'failed';
  return 'unknown';
}

/** ISO 8601 in UTC; the API writes Luxon's local offsets. */
function isoOf(timestamp: string, factId: string): string {
  const parsed = new Date(timestamp);
  if (Number.isNaN(parsed.getTime())) {
    throw new Error(
      `Tech Insights gave facts '${factId}' a timestamp that is no date: ${timestamp}`,
    );
  }
  return parsed.toISOString();
}

/**
 * Evidence from Tech Insights: the result of each configured check for the
 * entity, as one fact of the check's evidence type. `passed` when the check
 * passed, `failed` when it did not; its metrics are `passed` and the values
 * of the facts the check read. An entity without facts for a check (the
 * retriever did not cover it yet, or the check's filter excludes it) gets no
 * fact for that check; a configured check that Tech Insights does not know
 * is an error.
 *
 * @public
 */
export class TechInsightsEvidenceProvider implements EvidenceProvider {
  readonly id = 'tech-insights';
  readonly title = 'Tech Insights';
  readonly types: string[];

  constructor(
    private readonly options: {
      techInsights: TechInsightsChecks;
      checks: TechInsightsCheckMapping[];
    },
  ) {
    this.types = [...new Set(options.checks.map(c => c.evidenceType))];
  }

  /** "check groupOwnerCheck" (or "checks a, b" when several feed a type). */
  describe(type: string): string | undefined {
    const ids = this.options.checks
      .filter(c => c.evidenceType === type)
      .map(c => c.checkId);
    if (!ids.length) return undefined;
    return `${ids.length === 1 ? 'check' : 'checks'} ${ids.join(', ')}`;
  }

  async collect(
    request: EvidenceCollectionRequest,
  ): Promise<CollectedEvidence[]> {
    const { techInsights } = this.options;
    const wanted = this.options.checks.filter(c =>
      request.types.includes(c.evidenceType),
    );
    if (!wanted.length) return [];

    // The service takes no AbortSignal; the collector's timeout still
    // applies, it stops waiting for the answer.
    const known = new Map(
      (await techInsights.getAllChecks()).map(check => [check.id, check]),
    );
    const unknown = wanted.filter(c => !known.has(c.checkId));
    if (unknown.length) {
      throw new Error(
        `Tech Insights has no check ${unknown
          .map(c => `'${c.checkId}'`)
          .join(
            ', ',
          )} (named in releaseReadiness.techInsights.checks); its checks are ${
          [...known.keys()].map(id => `'${id}'`).join(', ') || 'none'
        }`,
      );
    }

    const { entity } = request;
    const ref: CompoundEntityRef = {
      kind: entity.kind,
      namespace: entity.metadata.namespace ?? 'default',
      name: entity.metadata.name,
    };
    const checkIds = [...new Set(wanted.map(c => c.checkId))];
    const results = await techInsights.runChecks(ref, checkIds);
    if (!results.length) return [];

    const factIds = [
      ...new Set(checkIds.flatMap(id => known.get(id)!.factIds)),
    ];
    const facts = await techInsights.getFacts(ref, factIds);

    return wanted.flatMap(({ checkId, evidenceType }) => {
      const result = results.find(r => r.check.id === checkId);
      if (!result) return [];
      const check = known.get(checkId)!;
      const timestamps = check.factIds.flatMap(factId =>
        facts[factId] ? [isoOf(facts[factId].timestamp, factId)] : [],
      );
      if (!timestamps.length) return [];
      const link = result.check.links?.[0]?.url ?? check.links?.[0]?.url;
      const fact: CollectedEvidence = {
        type: evidenceType,
        status: statusOf(result),
        metrics: metricsOf(result),
        ...(link ? { link } : {}),
        runId: runIdOf(checkId, timestamps),
        observedAt: timestamps.reduce((a, b) => (a > b ? a : b)),
      };
      return [fact];
    });
  }
}

/**
 * `tech-insights:<check id>:<retrieval time of each fact row it read>`:
 * stable while the facts are, new when a retriever ran again.
 */
function runIdOf(checkId: string, timestamps: string[]): string {
  const runId = `tech-insights:${checkId}:${timestamps.join(',')}`;
  if (runId.length <= MAX_RUN_ID) return runId;
  // Very long check ids or many fact rows: unique and within bounds.
  return `tech-insights:sha256:${createHash('sha256')
    .update(runId)
    .digest('hex')}`;
}
