/**
 * Who may vote for a sign-off role: the one rule, used by the backend when a
 * vote arrives, by the evaluation when it counts votes, and by the tab when it
 * decides whether to offer the vote buttons and what to say instead.
 *
 * A role names who is eligible in three ways, any of which is enough: the
 * gate owners of the entity, members of groups, or named users. Refs compare
 * case-insensitively, as the catalog compares them.
 */
import { SignoffRole } from '../types';

/**
 * A person as the eligibility rule sees them: their user ref and the refs
 * they claim ownership through (their groups), as Backstage's identity gives
 * them.
 *
 * @public
 */
export interface VoterIdentity {
  userEntityRef: string;
  ownershipEntityRefs: string[];
}

function refKey(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}

/**
 * Whether a person may vote for `role` on a gate whose entity is owned (for
 * gates) by `gateOwnerRefs`.
 *
 * @public
 */
export function isEligibleVoter(
  role: SignoffRole,
  voter: VoterIdentity,
  gateOwnerRefs: readonly string[],
): boolean {
  const mine = new Set(
    [voter.userEntityRef, ...voter.ownershipEntityRefs].map(refKey),
  );
  const { eligible } = role;
  if (eligible.gateOwners && gateOwnerRefs.some(ref => mine.has(refKey(ref)))) {
    return true;
  }
  if (eligible.groups?.some(group => mine.has(refKey(group)))) {
    return true;
  }
  const user = refKey(voter.userEntityRef);
  return eligible.users?.some(ref => refKey(ref) === user) ?? false;
}

/**
 * Who may vote for `role`, in words: "the gate owners (group:default/x) or
 * members of group:default/qa". "nobody" when the role names no one.
 *
 * @public
 */
export function eligibleVotersInWords(
  role: SignoffRole,
  gateOwnerRefs: readonly string[],
): string {
  const parts: string[] = [];
  if (role.eligible.gateOwners) {
    parts.push(
      gateOwnerRefs.length
        ? `the gate owners (${gateOwnerRefs.join(', ')})`
        : 'the gate owners',
    );
  }
  if (role.eligible.groups?.length) {
    parts.push(`members of ${role.eligible.groups.join(' or ')}`);
  }
  if (role.eligible.users?.length) {
    parts.push(role.eligible.users.join(', '));
  }
  return parts.length ? parts.join(' or ') : 'nobody';
}

/**
 * The sentence that tells a person why they may not vote for `role`.
 *
 * @public
 */
export function ineligibleVoterMessage(
  role: SignoffRole,
  gateOwnerRefs: readonly string[],
): string {
  return `Only ${eligibleVotersInWords(role, gateOwnerRefs)} can sign off as ${
    role.title
  }.`;
}

/**
 * The groups and users eligible to vote for `role`, the gate owners
 * included when the role names them: what the tab looks up in the catalog
 * to name the people. A ref without a kind is taken as a group.
 *
 * @public
 */
export function eligibleRefs(
  role: SignoffRole,
  gateOwnerRefs: readonly string[],
): { groups: string[]; users: string[] } {
  const refs = [
    ...(role.eligible.gateOwners ? gateOwnerRefs : []),
    ...(role.eligible.groups ?? []),
    ...(role.eligible.users ?? []),
  ];
  const isUser = (ref: string) => refKey(ref).startsWith('user:');
  return {
    groups: [...new Set(refs.filter(r => !isUser(r)))],
    users: [...new Set(refs.filter(isUser))],
  };
}
