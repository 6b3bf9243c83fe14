import {
  evaluateGate,
  GateTemplateSpec,
  isEligibleVoter,
} from '@release-readiness/plugin-common';
import {
  SummaryColumns,
  toEvidence,
  toGate,
  toSummaryColumns,
  toVoterClaims,
} from '../database/mappers';
import {
  DecisionRow,
  EvidenceRow,
  GateItemRow,
  GateRow,
  VoteRow,
} from '../database/tables';
import { gateSummaryOf } from './EntityChanges';

/**
 * A gate as its rows are stored, with what its evaluation reads besides.
 *
 * @public
 */
export interface StoredGate {
  gate: GateRow;
  items: GateItemRow[];
  votes: VoteRow[];
  decisions: DecisionRow[];
  /** The evidence of the gate's entity and release. */
  evidence: EvidenceRow[];
  /** The entity's gate owners: its catalog owner and assigned owners. */
  ownerRefs: string[];
}

/**
 * The summary an entity's index row keeps of its current gate, evaluated
 * from the gate's stored rows as the plugin evaluates it: for tools that
 * write the plugin's tables directly (the history generators of the demo and
 * the benchmark), so that what they store is what the API would have. It
 * knows no release windows and no system roll-up; the plugin's summary
 * refresh catches those up.
 *
 * @public
 */
export function storedGateSummary(
  stored: StoredGate,
  now: Date,
): SummaryColumns {
  const gate = toGate(
    stored.gate,
    stored.items,
    stored.votes,
    stored.decisions,
  );
  const template = JSON.parse(stored.gate.template) as GateTemplateSpec;
  const claims = toVoterClaims(stored.votes);
  const evaluation = evaluateGate({
    template,
    gate,
    evidence: stored.evidence.map(toEvidence),
    windows: { windows: [], exceptions: [] },
    isEligible: (voter, role) =>
      isEligibleVoter(
        role,
        { userEntityRef: voter, ownershipEntityRefs: claims.get(voter) ?? [] },
        stored.ownerRefs,
      ),
    now,
  });
  return toSummaryColumns(gateSummaryOf(gate, evaluation), gate.version);
}
