/*
 * Governance of weakening (issue 14): the rules that keep gate owners from
 * quietly weakening their own gate, and their wording. Pure: the backend
 * applies them inside the transaction that writes, the frontend uses them to
 * decide what to ask for and what to offer. Each rule is configured in the
 * template's `spec.governance`; `governanceOf` fills in the strict defaults.
 */
import { Duration } from 'luxon';
import {
  ChecklistCategory,
  Gate,
  GateItem,
  GateTemplateSpec,
  GovernanceSpec,
  MaterialRiskField,
  RiskAssessment,
  SignoffVote,
} from '../types';

/** @public */
export const DEFAULT_TEMPLATE_APPROVERS: readonly string[] = [
  'group:default/release-management',
];

/** @public */
export const DEFAULT_WAIVER_MAX_DURATION = 'P30D';

/** @public */
export const DEFAULT_MATERIAL_RISK_CHANGES: readonly MaterialRiskField[] = [
  'rollbackPlan',
  'impactMatrix',
];

/** @public */
export const MATERIAL_RISK_FIELDS: readonly MaterialRiskField[] = [
  'rollbackPlan',
  'impactMatrix',
  'residualRisk',
  'communication',
];

/** Item categories whose required items need a role's approval to be waived, by default. */
const GUARDED_CATEGORIES: readonly ChecklistCategory[] = [
  'security',
  'compliance',
];

const lower = (ref: string) => ref.trim().toLocaleLowerCase('en-US');

/** The groups of the template's role with this id, if it names any. */
function roleGroups(
  template: Pick<GateTemplateSpec, 'signoffs'>,
  roleId: string,
): string[] | undefined {
  const role = template.signoffs.roles.find(r => r.id === roleId);
  const groups = role?.eligible.groups ?? [];
  return groups.length ? groups.map(lower) : undefined;
}

/**
 * The template's governance with every key present: what it says, else the
 * strict default. `selfApproval` falls back to `signoffs.selfApproval`.
 *
 * @public
 */
export function governanceOf(
  template: Pick<GateTemplateSpec, 'governance' | 'signoffs'>,
): GovernanceSpec {
  const given = template.governance ?? {};
  const waiverApprovers: GovernanceSpec['waiverApprovers'] = {};
  for (const category of GUARDED_CATEGORIES) {
    waiverApprovers[category] = roleGroups(template, category) ?? [
      `group:default/${category}`,
    ];
  }
  return {
    templateApprovers: (
      given.templateApprovers ?? DEFAULT_TEMPLATE_APPROVERS
    ).map(lower),
    waiverMaxDuration: given.waiverMaxDuration ?? DEFAULT_WAIVER_MAX_DURATION,
    waiverApprovers: given.waiverApprovers
      ? Object.fromEntries(
          Object.entries(given.waiverApprovers).map(([category, refs]) => [
            category,
            (refs ?? []).map(lower),
          ]),
        )
      : waiverApprovers,
    oneRolePerPerson: given.oneRolePerPerson ?? true,
    selfApproval: given.selfApproval ?? template.signoffs.selfApproval ?? false,
    materialRiskChanges: [
      ...(given.materialRiskChanges ?? DEFAULT_MATERIAL_RISK_CHANGES),
    ],
  };
}

/**
 * Why opening a gate with `chosen` weakens it compared with the template
 * that applies to the entity (`applicable`, from `selectTemplate`), or
 * undefined when it does not: a rapid template, another template than the
 * applicable one (a different tier says so), or a template chosen for an
 * entity no template applies to.
 *
 * @public
 */
export function templateChoiceConcern(
  chosen: Pick<GateTemplateSpec, 'name' | 'tier' | 'rapid'>,
  applicable: Pick<GateTemplateSpec, 'name' | 'tier'> | undefined,
): string | undefined {
  if (chosen.rapid) {
    return `${chosen.name} is the expedited (rapid) template`;
  }
  if (!applicable) {
    return `no template applies to the entity by its annotation or appliesTo, and ${chosen.name} was chosen`;
  }
  if (applicable.name === chosen.name) {
    return undefined;
  }
  const tiers =
    applicable.tier === chosen.tier
      ? ''
      : ` (tier ${chosen.tier} instead of tier ${applicable.tier})`;
  return `${chosen.name}${tiers} is not the template that applies to the entity, ${applicable.name}`;
}

/**
 * The maximum expiry of a waiver given now, or a problem with the
 * template's duration.
 *
 * @public
 */
export function waiverExpiryProblem(
  expiresAt: string,
  now: Date,
  governance: Pick<GovernanceSpec, 'waiverMaxDuration'>,
): string | undefined {
  const max = Duration.fromISO(governance.waiverMaxDuration);
  const expiry = Date.parse(expiresAt);
  if (!max.isValid || Number.isNaN(expiry)) {
    return `waiver.expiresAt: cannot be checked against the template's waiverMaxDuration "${governance.waiverMaxDuration}"`;
  }
  const latest = now.getTime() + max.toMillis();
  if (expiry > latest) {
    return `waiver.expiresAt: a waiver may run at most ${
      governance.waiverMaxDuration
    } (the template's governance.waiverMaxDuration), so until ${new Date(
      latest,
    ).toISOString()} at the latest`;
  }
  return undefined;
}

/**
 * Who must approve a waiver of the item before it counts, or undefined when
 * nobody needs to: only required items of a category the template guards.
 *
 * @public
 */
export function waiverApproversFor(
  item: Pick<GateItem, 'required' | 'category'>,
  governance: Pick<GovernanceSpec, 'waiverApprovers'>,
): string[] | undefined {
  if (!item.required) return undefined;
  const approvers = governance.waiverApprovers[item.category];
  return approvers?.length ? approvers : undefined;
}

/**
 * Why marking the item not applicable is refused: a required item needs a
 * justification, given as the note.
 *
 * @public
 */
export function notApplicableProblem(
  item: Pick<GateItem, 'required' | 'title'>,
  note: string | undefined,
): string | undefined {
  if (!item.required || note?.trim()) return undefined;
  return `note: ${item.title} is required; marking it not applicable needs a justification in note, which is kept in the audit trail`;
}

/**
 * Why a vote for `role` by `voter` is refused because they already count
 * for another role on the gate, or undefined.
 *
 * @public
 */
export function secondRoleProblem(
  votes: readonly SignoffVote[],
  voter: string,
  role: { id: string; title: string },
  governance: Pick<GovernanceSpec, 'oneRolePerPerson'>,
  titleOf: (roleId: string) => string = id => id,
): string | undefined {
  if (!governance.oneRolePerPerson) return undefined;
  const other = votes.find(
    v =>
      !v.supersededAt && lower(v.voter) === lower(voter) && v.role !== role.id,
  );
  if (!other) return undefined;
  return `${voter} already signed off for ${titleOf(
    other.role,
  )} on this gate; one person fills at most one role on a gate (governance.oneRolePerPerson), so ${
    role.title
  } needs someone else`;
}

/**
 * Why `actor` may not do `what` on the gate because they requested it and
 * the template forbids self-approval, or undefined.
 *
 * @public
 */
export function selfApprovalProblem(
  gate: Pick<Gate, 'requestedBy'>,
  actor: string,
  governance: Pick<GovernanceSpec, 'selfApproval'>,
  what: string,
): string | undefined {
  if (governance.selfApproval) return undefined;
  if (lower(actor) !== lower(gate.requestedBy)) return undefined;
  return `${actor} requested this gate and its template forbids self-approval (governance.selfApproval): ${what} must be done by another gate owner or a release manager`;
}

/**
 * Why `actor` may not give this approval, or undefined when they may: they
 * must hold one of the approvers' refs (their user ref or a group), and
 * must not be the person the approval guards against (`notBy`).
 *
 * @public
 */
export function approvalProblem(
  approval: { approvers: readonly string[]; approvedBy?: string },
  actor: { userEntityRef: string; claims: readonly string[] },
  what: string,
  notBy?: { ref: string; why: string },
): { status: 403 | 409; message: string } | undefined {
  if (approval.approvedBy) {
    return {
      status: 409,
      message: `${what} was already approved by ${approval.approvedBy}`,
    };
  }
  const claims = new Set(actor.claims.map(lower));
  claims.add(lower(actor.userEntityRef));
  if (!approval.approvers.some(a => claims.has(lower(a)))) {
    return {
      status: 403,
      message: `Only ${approval.approvers.join(', ')} may approve ${what}`,
    };
  }
  if (notBy && lower(notBy.ref) === lower(actor.userEntityRef)) {
    return {
      status: 403,
      message: `${actor.userEntityRef} may not approve ${what}: ${notBy.why}`,
    };
  }
  return undefined;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function riskField(
  risk: Omit<RiskAssessment, 'version'> | undefined,
  field: MaterialRiskField,
): unknown {
  switch (field) {
    case 'rollbackPlan':
      return risk?.rollbackPlan?.trim() || undefined;
    case 'impactMatrix':
      return risk?.impactMatrix?.length ? risk.impactMatrix : undefined;
    case 'residualRisk':
      return risk?.residualRisk
        ? [risk.residualRisk.acceptedBy, risk.residualRisk.note ?? null]
        : undefined;
    case 'communication':
      return risk?.communication
        ? [risk.communication.audiences, risk.communication.scheduledAt ?? null]
        : undefined;
    default:
      return undefined;
  }
}

/**
 * The material fields (of the template's `materialRiskChanges`) that a risk
 * edit changes from what voters saw: a field that had a value and now has
 * another, or none. Filling a field for the first time is not a change of
 * what anyone voted on.
 *
 * @public
 */
export function materialRiskChanges(
  before: Omit<RiskAssessment, 'version'> | undefined,
  after: Omit<RiskAssessment, 'version'>,
  governance: Pick<GovernanceSpec, 'materialRiskChanges'>,
): MaterialRiskField[] {
  return governance.materialRiskChanges.filter(field => {
    const was = riskField(before, field);
    return was !== undefined && !same(was, riskField(after, field));
  });
}

/**
 * Whether new evidence changing an automated item's outcome from `before`
 * to `after` makes earlier votes stale: a change away from passed or into
 * failed. Evidence that turns a missing or failed item green does not, nor
 * does evidence that leaves the outcome as it was.
 *
 * @public
 */
export function evidenceChangeIsMaterial(
  before: string | undefined,
  after: string | undefined,
): boolean {
  if (before === after) return false;
  return before === 'passed' || after === 'failed';
}

/**
 * An approval the gate waits for, in words.
 *
 * @public
 */
export interface PendingApproval {
  kind: 'template' | 'waiver';
  /** For a waiver: the item. */
  itemId?: string;
  approvers: string[];
  /** What is to be approved, in words. */
  message: string;
}

/**
 * Every approval the gate still waits for: its template choice and the
 * waivers whose approval the template asks for.
 *
 * @public
 */
export function pendingApprovals(
  gate: Pick<
    Gate,
    'templateApproval' | 'templateName' | 'templateReason' | 'items'
  >,
): PendingApproval[] {
  const pending: PendingApproval[] = [];
  const choice = gate.templateApproval;
  if (choice && !choice.approvedBy) {
    pending.push({
      kind: 'template',
      approvers: choice.approvers,
      message: `The choice of template ${
        gate.templateName
      } awaits approval by ${choice.approvers.join(' or ')}: ${choice.because}${
        gate.templateReason ? ` (reason given: '${gate.templateReason}')` : ''
      }`,
    });
  }
  for (const item of gate.items) {
    const approval = item.waiver?.approval;
    if (item.status === 'waived' && approval && !approval.approvedBy) {
      pending.push({
        kind: 'waiver',
        itemId: item.id,
        approvers: approval.approvers,
        message: `The waiver of ${
          item.title
        } awaits approval by ${approval.approvers.join(' or ')}`,
      });
    }
  }
  return pending;
}

/**
 * Whether `claims` (a user's ref and groups) may give the approval.
 *
 * @public
 */
export function canApprove(
  approval: { approvers: readonly string[] },
  claims: readonly string[],
): boolean {
  const held = new Set(claims.map(lower));
  return approval.approvers.some(a => held.has(lower(a)));
}

/**
 * Whether opening a gate with `chosen` needs a `templateReason`, for a form
 * that knows the template's name and whether it is rapid, and the name of
 * the template that applies to the entity (undefined: none applies). The
 * same rule as `templateChoiceConcern`.
 *
 * @public
 */
export function templateReasonNeeded(
  chosen: { name: string; rapid: boolean } | undefined,
  applicable: string | undefined,
): boolean {
  if (!chosen) return false;
  return chosen.rapid || chosen.name !== applicable;
}
