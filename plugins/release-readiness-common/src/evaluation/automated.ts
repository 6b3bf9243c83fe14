import {
  AutomatedCheck,
  AutomatedItemResult,
  Blocker,
  ConditionResult,
  Evidence,
  Gate,
  GateItem,
} from '../types';
import {
  ComparisonOutcome,
  ParsedRule,
  describeComparison,
  evaluateRule,
  parseRule,
} from '../rules';
import { conditionResult, fraction } from './conditions';
import { evidenceOfType } from './evidence';
import { evidenceStatusProblem } from './evidenceStatus';
import {
  describeAge,
  describeDuration,
  formatDay,
  instantBefore,
  parseDuration,
  parseInstant,
} from './time';
import { checkWaiver } from './waivers';

/**
 * A checklist item fed by evidence.
 *
 * @public
 */
export type AutomatedGateItem = GateItem & { automated: AutomatedCheck };

/**
 * Whether a gate item is automated (fed by evidence) rather than manual.
 *
 * @public
 */
export function isAutomatedItem(item: GateItem): item is AutomatedGateItem {
  return item.automated !== undefined;
}

/**
 * A result and, unless it satisfies the item, the blocker's words: what is
 * wrong and what to do about it.
 */
interface Assessment {
  result: AutomatedItemResult;
  problem?: { what: string; action: string };
}

function unsatisfied(
  result: AutomatedItemResult,
  action: string,
  what: string = result.detail,
): Assessment {
  return { result, problem: { what, action } };
}

const FIX_TEMPLATE = 'fix the gate template';

function describeActual(outcome: ComparisonOutcome): string {
  const { actual } = outcome;
  if (actual === undefined) {
    return 'not reported';
  }
  return typeof actual === 'string' ? `"${actual}"` : String(actual);
}

function readRule(check: AutomatedCheck): ParsedRule | string {
  try {
    return parseRule(check.rule);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `the template rule "${check.rule}" is invalid (${reason})`;
  }
}

/** Judges an automated item by its newest evidence, ignoring waivers. */
function judgeEvidence(
  item: AutomatedGateItem,
  gate: Pick<Gate, 'entityRef' | 'release'>,
  evidence: Evidence[],
  now: Date,
): Assessment {
  const check = item.automated;
  const itemId = item.id;
  const rule = readRule(check);
  if (typeof rule === 'string') {
    return unsatisfied(
      { itemId, outcome: 'failed', detail: rule },
      FIX_TEMPLATE,
    );
  }
  const maxAge = parseDuration(check.maxAge);
  if (!maxAge) {
    return unsatisfied(
      {
        itemId,
        outcome: 'failed',
        detail: `the template's maxAge "${check.maxAge}" is invalid (write an ISO 8601 duration such as P7D)`,
      },
      FIX_TEMPLATE,
    );
  }

  const newest = evidenceOfType(gate, evidence, check.evidenceType)[0];
  if (!newest) {
    return unsatisfied(
      {
        itemId,
        outcome: 'missing',
        detail: `no ${check.evidenceType} evidence for release ${gate.release} yet`,
      },
      'run the pipeline that posts it',
    );
  }
  const used = {
    itemId,
    evidenceId: newest.evidence.id,
    observedAt: newest.evidence.observedAt,
    ...(newest.evidence.receivedAt
      ? { receivedAt: newest.evidence.receivedAt }
      : {}),
  };

  if (newest.observedAt < instantBefore(now, maxAge)) {
    const age = describeAge(now.getTime() - newest.observedAt);
    return unsatisfied(
      {
        ...used,
        outcome: 'stale',
        detail: `the newest ${
          check.evidenceType
        } evidence is ${age} old (observed ${formatDay(
          newest.observedAt,
        )}), older than the ${describeDuration(check.maxAge)} allowed`,
      },
      're-run the pipeline to post fresh evidence',
    );
  }

  const statusProblem = evidenceStatusProblem(newest.evidence);
  if (statusProblem) {
    return unsatisfied(
      { ...used, outcome: 'failed', detail: statusProblem },
      'fix the cause and re-run the pipeline, or waive the item with a justification and an expiry',
      `the newest ${check.evidenceType} evidence: ${statusProblem}`,
    );
  }

  const { holds, outcomes } = evaluateRule(rule, {
    status: newest.evidence.status,
    metrics: newest.evidence.metrics ?? {},
  });
  if (holds) {
    const found = outcomes
      .map(o => `${o.comparison.field} ${describeActual(o)}`)
      .join(', ');
    return {
      result: {
        ...used,
        outcome: 'passed',
        detail: `${found}, meets ${rule.source.trim()}`,
      },
    };
  }
  const failing = outcomes
    .filter(o => !o.holds)
    .map(
      o =>
        `${o.comparison.field} ${describeActual(o)}, needs ${describeComparison(
          o.comparison,
        )}`,
    )
    .join('; ');
  return unsatisfied(
    { ...used, outcome: 'failed', detail: failing },
    'fix the cause and re-run the pipeline, or waive the item with a justification and an expiry',
    `${check.evidenceType} evidence shows ${failing}`,
  );
}

function assessAutomatedItem(
  item: AutomatedGateItem,
  gate: Pick<Gate, 'entityRef' | 'release'>,
  evidence: Evidence[],
  now: Date,
): Assessment {
  const waiver = checkWaiver(item, now);
  if (waiver.state === 'active') {
    const by = item.waiver?.by ? ` by ${item.waiver.by}` : '';
    const justification = item.waiver?.justification?.trim();
    return {
      result: {
        itemId: item.id,
        outcome: 'waived',
        detail: `waived${by} until ${formatDay(
          parseInstant(waiver.expiresAt)!,
        )}${justification ? `: '${justification}'` : ''}`,
      },
    };
  }
  const judged = judgeEvidence(item, gate, evidence, now);
  if (waiver.state === 'lapsed' && judged.problem) {
    return unsatisfied(
      { ...judged.result, detail: `${waiver.reason}; ${judged.result.detail}` },
      `${judged.problem.action}, or renew the waiver`,
      `${waiver.reason}; ${judged.problem.what}`,
    );
  }
  return judged;
}

/**
 * How one automated item stands: waived (unexpired waiver), or judged by the
 * newest evidence of its type for the gate's entity and release — missing,
 * stale (older than `maxAge`), passed or failed by its rule. An invalid rule
 * or `maxAge` in the template yields `failed` with a detail saying so.
 *
 * @public
 */
export function evaluateAutomatedItem(
  item: AutomatedGateItem,
  gate: Pick<Gate, 'entityRef' | 'release'>,
  evidence: Evidence[],
  now: Date,
): AutomatedItemResult {
  return assessAutomatedItem(item, gate, evidence, now).result;
}

/**
 * Condition 2: every required automated item is waived or has fresh evidence
 * meeting its rule. Optional items are reported but never block.
 */
export function evaluateAutomated(
  gate: Pick<Gate, 'entityRef' | 'release' | 'items'>,
  evidence: Evidence[],
  now: Date,
): { condition: ConditionResult; results: AutomatedItemResult[] } {
  const items = gate.items.filter(isAutomatedItem);
  const blockers: Blocker[] = [];
  const results: AutomatedItemResult[] = [];
  let required = 0;
  for (const item of items) {
    const { result, problem } = assessAutomatedItem(item, gate, evidence, now);
    results.push(result);
    if (!item.required) {
      continue;
    }
    required += 1;
    if (problem) {
      blockers.push({
        condition: 'automated',
        message: `${item.title}: ${problem.what}; ${problem.action}`,
        itemId: item.id,
      });
    }
  }
  return {
    condition: conditionResult(
      'automated',
      fraction(required - blockers.length, required),
      blockers,
    ),
    results,
  };
}
