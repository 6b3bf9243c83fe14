import {
  Blocker,
  ConditionResult,
  Gate,
  GateTemplateSpec,
  RoleResult,
  SignoffRole,
  SignoffVote,
} from '../types';
import { conditionResult } from './conditions';
import { parseInstant } from './time';

type IsEligible = (voter: string, role: SignoffRole) => boolean;

/** Refs compare case-insensitively, as the catalog does. */
function refKey(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}

/** Distinct voters, in the order first seen, each with their latest vote. */
class Voters {
  private readonly byKey = new Map<string, SignoffVote>();

  add(vote: SignoffVote) {
    this.byKey.set(refKey(vote.voter), vote);
  }

  has(voter: string): boolean {
    return this.byKey.has(refKey(voter));
  }

  get size(): number {
    return this.byKey.size;
  }

  votes(): SignoffVote[] {
    return [...this.byKey.values()];
  }

  refs(): string[] {
    return this.votes().map(vote => vote.voter);
  }
}

function byTimeThenId(a: SignoffVote, b: SignoffVote): number {
  const difference = (parseInstant(a.at) ?? 0) - (parseInstant(b.at) ?? 0);
  if (difference !== 0) {
    return difference;
  }
  if (a.id === b.id) {
    return 0;
  }
  return a.id < b.id ? -1 : 1;
}

function quorumMessage(
  role: SignoffRole,
  min: number,
  ready: number,
  notes: string[],
): string {
  const missing = min - ready;
  let needs: string;
  if (missing === 1) {
    needs = `${
      ready === 0 ? 'a Ready vote' : 'one more Ready vote'
    } from an eligible member`;
  } else {
    needs = `${missing} more Ready votes from eligible members`;
  }
  const extra = notes.length ? `. ${notes.join('. ')}` : '';
  return `${role.title}: ${ready} of ${min} Ready votes; needs ${needs}${extra}`;
}

interface RoleOutcome {
  result: RoleResult;
  progress: number;
  blockers: Blocker[];
}

/**
 * With one role per person: the role each voter counts for, the first one
 * they voted in (by time) among their live votes. A vote written around the
 * API (by the database) in a second role then counts for nothing.
 */
function firstRoles(votes: SignoffVote[]): Map<string, string> {
  const first = new Map<string, string>();
  for (const vote of votes.filter(v => !v.supersededAt).sort(byTimeThenId)) {
    if (!first.has(refKey(vote.voter))) {
      first.set(refKey(vote.voter), vote.role);
    }
  }
  return first;
}

function evaluateRole(
  role: SignoffRole,
  gate: Pick<Gate, 'requestedBy' | 'checklistRevision' | 'votes'>,
  selfApproval: boolean,
  isEligible: IsEligible,
  countsFor?: Map<string, string>,
  titleOf: (roleId: string) => string = id => id,
): RoleOutcome {
  const ready = new Voters();
  const notReady = new Voters();
  const stale = new Voters();
  const ineligible = new Voters();
  const otherRole = new Voters();
  let selfVote: SignoffVote | undefined;

  const live = gate.votes
    .filter(vote => vote.role === role.id && !vote.supersededAt)
    .sort(byTimeThenId);
  for (const vote of live) {
    const counted = countsFor?.get(refKey(vote.voter));
    if (!isEligible(vote.voter, role)) {
      ineligible.add(vote);
    } else if (counted !== undefined && counted !== role.id) {
      otherRole.add(vote);
    } else if (
      !selfApproval &&
      vote.verdict === 'ready' &&
      refKey(vote.voter) === refKey(gate.requestedBy)
    ) {
      selfVote = vote;
    } else if (vote.checklistRevision < gate.checklistRevision) {
      stale.add(vote);
    } else if (vote.verdict === 'ready') {
      ready.add(vote);
    } else {
      notReady.add(vote);
    }
  }
  const staleOnly = stale
    .votes()
    .filter(vote => !ready.has(vote.voter) && !notReady.has(vote.voter));

  const min = Math.max(1, role.min);
  const met = ready.size >= min && notReady.size === 0;
  const messages: string[] = [];
  if (!met) {
    for (const vote of notReady.votes()) {
      const comment = vote.comment?.trim();
      messages.push(
        comment
          ? `${vote.voter} voted Not ready for ${role.title}: '${comment}'; resolve it and ask them to vote again`
          : `${vote.voter} voted Not ready for ${role.title} without a comment; ask them what blocks and resolve it`,
      );
    }
    if (ready.size < min) {
      const notes: string[] = [];
      if (selfVote) {
        notes.push(
          `The Ready vote of ${selfVote.voter} does not count: self-approval is not allowed, and they requested this gate`,
        );
      }
      for (const vote of otherRole.votes()) {
        notes.push(
          `The vote of ${vote.voter} does not count: they count for ${titleOf(
            countsFor!.get(refKey(vote.voter))!,
          )} already, and one person fills at most one role on a gate`,
        );
      }
      if (ineligible.size) {
        notes.push(
          `Votes of ${ineligible
            .refs()
            .join(', ')} do not count: not eligible for ${role.title}`,
        );
      }
      messages.push(quorumMessage(role, min, ready.size, notes));
    }
    for (const vote of staleOnly) {
      messages.push(
        `${role.title}: the vote of ${vote.voter} was cast on checklist revision ${vote.checklistRevision} and the checklist has changed since (now revision ${gate.checklistRevision}); ask them to re-confirm`,
      );
    }
  }

  return {
    result: {
      role: role.id,
      title: role.title,
      min: role.min,
      readyVoters: ready.refs(),
      notReadyVoters: notReady.refs(),
      staleVoters: staleOnly.map(vote => vote.voter),
      met,
    },
    progress: notReady.size ? 0 : Math.min(1, ready.size / min),
    blockers: messages.map(message => ({
      condition: 'signoffs',
      message,
      role: role.id,
    })),
  };
}

/**
 * Condition 6: every role of the template has at least `min` distinct eligible
 * people voting Ready on the current checklist revision, and no counted
 * Not-ready vote. Superseded votes, stale votes (cast on an older checklist
 * revision), votes of ineligible people and — where the template forbids
 * self-approval — the requester's Ready vote do not count.
 */
export function evaluateSignoffs(
  signoffs: GateTemplateSpec['signoffs'],
  gate: Pick<Gate, 'requestedBy' | 'checklistRevision' | 'votes'> &
    Partial<Pick<Gate, 'templateApproval' | 'templateName' | 'templateReason'>>,
  isEligible: IsEligible,
  governance?: { selfApproval?: boolean; oneRolePerPerson?: boolean },
): { condition: ConditionResult; roles: RoleResult[] } {
  const selfApproval = governance?.selfApproval ?? signoffs.selfApproval;
  const countsFor = governance?.oneRolePerPerson
    ? firstRoles(gate.votes)
    : undefined;
  const titleOf = (id: string) =>
    signoffs.roles.find(r => r.id === id)?.title ?? id;
  const outcomes = signoffs.roles.map(role =>
    evaluateRole(role, gate, selfApproval, isEligible, countsFor, titleOf),
  );
  // A template choice that awaits its approval blocks like a missing
  // sign-off: it is the consensus on how strict the gate is.
  const choice = gate.templateApproval;
  const choiceBlockers: Blocker[] =
    choice && !choice.approvedBy
      ? [
          {
            condition: 'signoffs',
            message: `The choice of template ${
              gate.templateName ?? ''
            } awaits approval by ${choice.approvers.join(' or ')}: ${
              choice.because
            }; GO is not possible until one of them approves it`,
          },
        ]
      : [];
  const progress = outcomes.length
    ? outcomes.reduce((sum, o) => sum + o.progress, 0) / outcomes.length
    : 1;
  return {
    condition: conditionResult('signoffs', progress, [
      ...choiceBlockers,
      ...outcomes.flatMap(o => o.blockers),
    ]),
    roles: outcomes.map(o => o.result),
  };
}
