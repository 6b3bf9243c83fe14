import { governanceOf } from '../governance/governance';
import { EvaluationInput, GateEvaluation } from '../types';
import { evaluateArtifacts } from './artifacts';
import { evaluateAutomated } from './automated';
import { evaluateCommunication } from './communication';
import { evaluateRisk } from './risk';
import { evaluateRollback } from './rollback';
import { evaluateRollup } from './rollup';
import { healthScore, verdictForState } from './score';
import { evaluateSignoffs } from './signoffs';
import { evaluateWindow, evaluateWindowNow } from './window';

/**
 * Evaluates a gate: a pure function of the template, the gate (items, risk
 * assessment, votes), the evidence, eligibility, the release windows that
 * apply with their exceptions, the states of a system's component gates and
 * `now`. It never reads the clock and never throws for a bad template rule,
 * duration or window (those are reported as blockers).
 *
 * `ready` means every condition is met — artifacts, automated quality gates,
 * risk, rollback, communication, sign-offs, release window and (for a system
 * gate) its components; whether a Go decision may be recorded also depends on
 * the gate's state, which the caller checks.
 *
 * @public
 */
export function evaluateGate(input: EvaluationInput): GateEvaluation {
  const { template, gate, evidence, isEligible, now } = input;
  const automated = evaluateAutomated(gate, evidence, now);
  const governance = governanceOf(template);
  const signoffs = evaluateSignoffs(
    template.signoffs,
    gate,
    isEligible,
    governance,
  );
  const conditions = [
    evaluateArtifacts(gate.items, now),
    automated.condition,
    evaluateRisk(template.risk, gate.risk),
    evaluateRollback(template.risk, gate, evidence, now),
    evaluateCommunication(template.risk, gate),
    signoffs.condition,
    evaluateWindow(gate, input.windows),
    evaluateRollup(gate, input.rollup),
  ];
  return {
    ready: conditions.every(condition => condition.met),
    verdict: verdictForState(gate.state),
    score: healthScore(conditions),
    conditions,
    blockers: conditions.flatMap(condition => condition.blockers),
    automated: automated.results,
    roles: signoffs.roles,
    releaseNow: evaluateWindowNow(gate, input.windows, now),
    evaluatedAt: now.toISOString(),
  };
}
