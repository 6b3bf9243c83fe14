/**
 * The rule language of automated checklist items: comparisons of an evidence
 * field with a literal, joined by `and`.
 *
 *   score >= 90
 *   passed == true
 *   status == "passed" and critical == 0
 *
 * Fields are `status` or keys of the evidence's `metrics`. Operators: `==`,
 * `!=`, `>=`, `<=`, `>`, `<`; ordering operators need numbers on both sides.
 * Literals: numbers, `true`, `false`, and double-quoted strings.
 */

/** @public */
export type RuleOperator = '==' | '!=' | '>=' | '<=' | '>' | '<';

/** @public */
export interface RuleComparison {
  field: string;
  operator: RuleOperator;
  value: number | boolean | string;
}

/** A parsed rule: every comparison must hold. @public */
export interface ParsedRule {
  source: string;
  comparisons: RuleComparison[];
}

const COMPARISON =
  /^\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*(==|!=|>=|<=|>|<)\s*(-?\d+(?:\.\d+)?|true|false|"[^"]*")\s*$/;

/**
 * Parses a rule, throwing an `Error` whose message says what is wrong.
 *
 * @public
 */
export function parseRule(source: string): ParsedRule {
  if (!source.trim()) {
    throw new Error('rule is empty');
  }
  const comparisons = source.split(/\s+and\s+/).map(part => {
    const match = COMPARISON.exec(part);
    if (!match) {
      throw new Error(
        `cannot read "${part.trim()}"; write a comparison such as "score >= 90" or "passed == true"`,
      );
    }
    const [, field, operator, literal] = match;
    let value: number | boolean | string;
    if (literal === 'true' || literal === 'false') {
      value = literal === 'true';
    } else if (literal.startsWith('"')) {
      value = literal.slice(1, -1);
    } else {
      value = Number(literal);
    }
    if (
      ['>=', '<=', '>', '<'].includes(operator) &&
      typeof value !== 'number'
    ) {
      throw new Error(
        `"${part.trim()}" compares with ${operator}, which needs a number`,
      );
    }
    return { field, operator: operator as RuleOperator, value };
  });
  return { source, comparisons };
}

/** The facts a rule reads: the evidence's status and metrics. @public */
export interface RuleFacts {
  status: string;
  metrics: Record<string, number | boolean | string>;
}

/**
 * One comparison's outcome, with the value found, for messages such as
 * "score 84, needs score \>= 90".
 *
 * @public
 */
export interface ComparisonOutcome {
  comparison: RuleComparison;
  actual: number | boolean | string | undefined;
  holds: boolean;
}

function compare(
  actual: number | boolean | string | undefined,
  operator: RuleOperator,
  expected: number | boolean | string,
): boolean {
  if (actual === undefined) return false;
  switch (operator) {
    case '==':
      return actual === expected;
    case '!=':
      return actual !== expected;
    default:
      if (typeof actual !== 'number' || typeof expected !== 'number') {
        return false;
      }
      if (operator === '>=') return actual >= expected;
      if (operator === '<=') return actual <= expected;
      if (operator === '>') return actual > expected;
      return actual < expected;
  }
}

/**
 * Evaluates a parsed rule against evidence facts.
 *
 * @public
 */
export function evaluateRule(
  rule: ParsedRule,
  facts: RuleFacts,
): { holds: boolean; outcomes: ComparisonOutcome[] } {
  const outcomes = rule.comparisons.map(comparison => {
    const actual =
      comparison.field === 'status'
        ? facts.status
        : facts.metrics[comparison.field];
    return {
      comparison,
      actual,
      holds: compare(actual, comparison.operator, comparison.value),
    };
  });
  return { holds: outcomes.every(o => o.holds), outcomes };
}

/**
 * A comparison in words: `score >= 90`.
 *
 * @public
 */
export function describeComparison(comparison: RuleComparison): string {
  const value =
    typeof comparison.value === 'string'
      ? `"${comparison.value}"`
      : String(comparison.value);
  return `${comparison.field} ${comparison.operator} ${value}`;
}
