/*
 * Whether a vote counts, in words: the tab says next to the vote buttons
 * when the signed-in person's vote could not count, and marks in the list
 * each vote that does not count, with the reason. The counting itself is
 * `evaluateSignoffs` (signoffs.ts); these read its result and the same
 * eligibility rule (eligibility.ts), so the screen and the evaluation agree.
 */
import { Gate, RoleResult, SignoffRole, SignoffVote } from '../types';
import {
  ineligibleVoterMessage,
  isEligibleVoter,
  VoterIdentity,
} from './eligibility';

const key = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * Why a vote by `voter` for `role` could not count, before they cast it;
 * undefined when it would count. Not eligible: who is. The requester, where
 * the template forbids self-approval: a Ready vote would not count (a Not
 * ready vote still blocks).
 *
 * @public
 */
export function voteWouldNotCount(
  role: SignoffRole,
  voter: VoterIdentity,
  gate: Pick<Gate, 'requestedBy'>,
  gateOwnerRefs: readonly string[],
  selfApproval: boolean,
): string | undefined {
  if (!isEligibleVoter(role, voter, gateOwnerRefs)) {
    return ineligibleVoterMessage(role, gateOwnerRefs);
  }
  if (!selfApproval && key(voter.userEntityRef) === key(gate.requestedBy)) {
    return `You requested this gate and its template does not allow self-approval: your Ready vote for ${role.title} would not count (a Not ready vote still blocks). Ask another eligible person.`;
  }
  return undefined;
}

/**
 * Why a live vote in the list does not count, from the evaluation's result
 * for its role; undefined when it counts.
 *
 * @public
 */
export function voteNotCountingReason(
  vote: SignoffVote,
  result: RoleResult | undefined,
  gate: Pick<Gate, 'requestedBy'>,
  selfApproval: boolean,
): string | undefined {
  if (vote.supersededAt || !result) return undefined;
  const voter = key(vote.voter);
  const has = (refs: string[]) => refs.some(r => key(r) === voter);
  if (has(result.readyVoters) || has(result.notReadyVoters)) return undefined;
  if (has(result.staleVoters)) {
    return 'does not count: a required checklist item changed after this vote; ask them to re-confirm';
  }
  if (
    !selfApproval &&
    vote.verdict === 'ready' &&
    voter === key(gate.requestedBy)
  ) {
    return 'does not count: they requested this gate and its template does not allow self-approval';
  }
  return `does not count: not eligible for ${result.title}`;
}
