import {
  ConditionId,
  Gate,
  GateEvaluation,
  GateTemplateSpec,
  governanceOf,
} from '@release-readiness/plugin-common';

/**
 * The conditions whose facts a voter judges: until every one of them is met
 * (items marked, evidence in, risk assessed), a sign-off cannot be given in
 * good faith, so nobody is asked for one yet. The release window, the
 * sign-offs themselves and the decision are not among them.
 */
export const SIGNOFF_PREREQUISITES: readonly ConditionId[] = [
  'artifacts',
  'automated',
  'risk',
  'rollback',
  'communication',
  'rollup',
];

/** One role whose sign-off is due on a gate, and who may give it. */
export interface SignoffRequest {
  role: string;
  title: string;
  /** The users and groups the template makes eligible for the role. */
  recipients: string[];
  /**
   * People not to tell: those whose Ready vote already counts, the
   * requester, and — where one person fills one role on a gate
   * (governance.oneRolePerPerson, the default) — those who voted in another
   * role of the gate, since they could not vote in this one.
   */
  exclude: string[];
}

/**
 * The sign-offs a gate needs now, and from whom: nothing while the gate is
 * not in progress or a prerequisite condition is unmet; then one request per
 * role that has not reached its quorum, addressed to the role's eligible users
 * and groups (the gate owners where the template names them), less those
 * who may not or need not vote in it (see {@link SignoffRequest.exclude}).
 */
export function signoffRequestsDue(
  gate: Gate,
  template: Pick<GateTemplateSpec, 'signoffs' | 'governance'>,
  evaluation: GateEvaluation,
  ownerRefs: readonly string[],
): SignoffRequest[] {
  if (gate.state !== 'in-progress') return [];
  const waiting = evaluation.conditions.some(
    condition => SIGNOFF_PREREQUISITES.includes(condition.id) && !condition.met,
  );
  if (waiting) return [];
  const oneRole = governanceOf(template).oneRolePerPerson;
  const activeVotes = (gate.votes ?? []).filter(v => !v.supersededAt);
  return evaluation.roles
    .filter(result => !result.met)
    .flatMap(result => {
      const role = template.signoffs.roles.find(r => r.id === result.role);
      if (!role) return [];
      const recipients = [
        ...new Set([
          ...(role.eligible.groups ?? []),
          ...(role.eligible.users ?? []),
          ...(role.eligible.gateOwners ? ownerRefs : []),
        ]),
      ];
      if (!recipients.length) return [];
      return [
        {
          role: role.id,
          title: role.title,
          recipients,
          exclude: [
            ...new Set([
              ...result.readyVoters,
              gate.requestedBy,
              ...(oneRole
                ? activeVotes.filter(v => v.role !== role.id).map(v => v.voter)
                : []),
            ]),
          ],
        },
      ];
    });
}
