export { evaluateGate } from './evaluateGate';
export {
  evaluateAutomatedItem,
  isAutomatedItem,
  type AutomatedGateItem,
} from './automated';
export { checkWaiver, type WaiverCheck } from './waivers';
export { healthScore, verdictForState } from './score';
export { CONDITION_TITLES } from './conditions';
export { ROLLBACK_VERIFICATION_EVIDENCE } from './evidence';
export {
  evidenceStatusProblem,
  NON_PASSING_EVIDENCE_STATUSES,
} from './evidenceStatus';
export { describeDuration } from './time';
export {
  eligibleRefs,
  eligibleVotersInWords,
  ineligibleVoterMessage,
  isEligibleVoter,
  type VoterIdentity,
} from './eligibility';
export { carryOverRisk, type RiskChange } from './riskCarryOver';
export { goHold } from './goHold';
export { evaluateWindow, evaluateWindowNow } from './window';
export { voteNotCountingReason, voteWouldNotCount } from './voteCounting';
export {
  DEFAULT_ROLLUP_EXCLUSION_RULES,
  ROLLUP_EXCLUDE_ANNOTATION,
  rollupExcludedRefs,
  rollupExclusion,
  rollupPartKinds,
  rollupRulesFor,
  type RollupExclusionRules,
} from './rollupExclusion';
