/*
 * Governance of weakening (issue 14), as the commands apply it: the rules
 * and their wording are -common's (`governance/`); this module finds what
 * they need — the template that applies to the entity, the gate's template
 * as it was opened, the gate as the writing transaction read it — and
 * turns a refusal into the right error (400 for a missing reason, 403 for
 * who may not, 409 for what the gate's state refuses).
 */
import { Entity } from '@backstage/catalog-model';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  Approval,
  evaluateAutomatedItem,
  evidenceChangeIsMaterial,
  Gate,
  GateItem,
  GateTemplate,
  GateTemplateSpec,
  governanceOf,
  isAutomatedItem,
  ItemUpdate,
  materialRiskChanges,
  notApplicableProblem,
  OpenGateRequest,
  RiskAssessment,
  secondRoleProblem,
  selectTemplate,
  selfApprovalProblem,
  SignoffRole,
  TemplateApproval,
  templateChoiceConcern,
  waiverApproversFor,
  waiverExpiryProblem,
} from '@release-readiness/plugin-common';
import { ReadinessStores } from '../database';
import { GateAccess } from './GateAccess';

/** The template a gate opens with, and what governance asks of that choice. */
export interface TemplateChoice {
  template: GateTemplate;
  /** The reason given, when the choice needs one. */
  reason?: string;
  /** The approval the choice needs, when it weakens the gate. */
  approval?: TemplateApproval;
}

/**
 * The template of a new gate: the one named, else the one that applies.
 * Another template than the applicable one, or a rapid one, needs a
 * `templateReason` (400 naming the field without) and then an approval by
 * the approvers the *applicable* template names (its owners cannot pick a
 * template that names nobody), or the chosen one's when none applies.
 * `rapidReason`, the field of earlier versions, is taken as the reason.
 */
export function chooseTemplate(
  access: Pick<GateAccess, 'getTemplate' | 'templates'>,
  entity: Entity,
  entityRef: string,
  request: Pick<OpenGateRequest, 'template' | 'templateReason' | 'rapidReason'>,
): TemplateChoice {
  const selection = selectTemplate(entity, access.templates);
  let template: GateTemplate | undefined;
  if (request.template) {
    template = access.getTemplate(request.template);
    if (!template) {
      throw new InputError(
        `template: there is no gate template named ${request.template}`,
      );
    }
  } else {
    template = selection.template;
    if (!template) {
      throw new InputError(
        `template: ${
          selection.problem ??
          `no gate template applies to ${entityRef}; name one`
        }`,
      );
    }
  }
  const because = templateChoiceConcern(template, selection.template);
  if (!because) return { template };
  const approvers = governanceOf(
    selection.template ?? template,
  ).templateApprovers;
  const reason = (request.templateReason ?? request.rapidReason)?.trim();
  if (!reason) {
    throw new InputError(
      `templateReason: ${because}; opening a gate with it needs a reason (templateReason), which is audited, and then the approval of ${approvers.join(
        ' or ',
      )}`,
    );
  }
  return {
    template,
    reason,
    approval: {
      approvers,
      because,
      ...(selection.template
        ? { applicableTemplate: selection.template.name }
        : {}),
    },
  };
}

/** The template a gate was opened with (its governance with defaults). */
export async function gateGovernance(
  stores: Pick<ReadinessStores, 'gates'>,
  gateId: string,
) {
  const template = (await stores.gates.getGateTemplate({
    gateId,
  })) as GateTemplateSpec;
  return { template, governance: governanceOf(template) };
}

/**
 * The governance checks of an item edit that the request alone decides:
 * a required item marked not applicable needs a justification (the note);
 * a waiver may not run beyond the template's maximum; a waiver of a guarded
 * item (required security or compliance, by default) is stored awaiting
 * the approval returned here.
 */
export async function checkItemGovernance(
  stores: Pick<ReadinessStores, 'gates'>,
  gate: Gate,
  item: GateItem,
  update: Pick<ItemUpdate, 'status' | 'note'>,
  expiresAt: string | undefined,
  now: Date,
): Promise<Approval | undefined> {
  if (update.status === 'not-applicable') {
    const problem = notApplicableProblem(item, update.note);
    if (problem) throw new InputError(problem);
  }
  if (update.status !== 'waived' || !expiresAt) return undefined;
  const { governance } = await gateGovernance(stores, gate.id);
  const tooLong = waiverExpiryProblem(expiresAt, now, governance);
  if (tooLong) throw new InputError(tooLong);
  const approvers = waiverApproversFor(item, governance);
  return approvers ? { approvers } : undefined;
}

/**
 * Inside the vote's transaction, on the gate as it read it: with one role
 * per person, a vote in a second role is refused (409). Returns the gate as
 * read, locked for the vote (`getGate`'s `lock`).
 */
export async function requireOneRole(
  stores: Pick<ReadinessStores, 'gates'>,
  gateId: string,
  voter: string,
  role: SignoffRole,
): Promise<Gate | undefined> {
  const [gate, { template, governance }] = await Promise.all([
    stores.gates.getGate({ gateId, lock: true }),
    gateGovernance(stores, gateId),
  ]);
  const problem = secondRoleProblem(
    gate?.votes ?? [],
    voter,
    role,
    governance,
    id => template.signoffs.roles.find(r => r.id === id)?.title ?? id,
  );
  if (problem) throw new ConflictError(problem);
  return gate;
}

/**
 * Refuses (403) an act of approval by the gate's requester where the
 * template forbids self-approval.
 */
export async function requireNotSelfApproval(
  stores: Pick<ReadinessStores, 'gates'>,
  gate: Pick<Gate, 'id' | 'requestedBy'>,
  actor: string,
  what: string,
) {
  const { governance } = await gateGovernance(stores, gate.id);
  const problem = selfApprovalProblem(gate, actor, governance, what);
  if (problem) throw new NotAllowedError(problem);
}

/**
 * After a risk edit, inside its transaction: when it changed a field the
 * template calls material from what voters saw, their votes go stale (the
 * checklist revision moves on). Returns the gate as it is then.
 */
export async function staleVotesOnRiskChange(
  stores: Pick<ReadinessStores, 'gates' | 'approvals'>,
  before: RiskAssessment | undefined,
  updated: Gate,
  actor: string,
): Promise<Gate> {
  if (!updated.risk || !updated.votes.some(v => !v.supersededAt)) {
    return updated;
  }
  const { governance } = await gateGovernance(stores, updated.id);
  const changed = materialRiskChanges(before, updated.risk, governance);
  if (!changed.length) return updated;
  await stores.approvals.markVotesStale({
    gateId: updated.id,
    actor,
    because: `the risk assessment changed materially (${changed.join(', ')})`,
  });
  return (await stores.gates.getGate({ gateId: updated.id }))!;
}

/**
 * Records evidence (`record`) and, when the gate of its release is in
 * progress and has votes, makes them stale if the evidence changes a
 * required automated item's outcome materially (`evidenceChangeIsMaterial`:
 * away from passed, or into failed). Inside the evidence's transaction.
 */
export async function staleVotesOnEvidence<T>(
  stores: Pick<ReadinessStores, 'gates' | 'evidence' | 'approvals'>,
  posted: {
    entityRef: string;
    release: string;
    type: string;
    runId: string;
    postedBy: string;
  },
  record: () => Promise<T>,
  unchanged?: (gate: Gate) => void,
): Promise<T> {
  const gate = await stores.gates.getReleaseGate({
    entityRef: posted.entityRef,
    release: posted.release,
  });
  return staleVotesOnEvidenceOfRelease(
    stores,
    gate,
    [posted],
    record,
    unchanged,
  );
}

/**
 * {@link staleVotesOnEvidence} for several facts of one release recorded
 * together (`record`, one transaction), given the release's gate as read
 * before them: the required automated items of their types are judged
 * before and after the whole group, and the votes made stale once if an
 * outcome changed materially between the two. `unchanged` is given the gate
 * when no vote went stale: it is then the gate as stored.
 */
export async function staleVotesOnEvidenceOfRelease<T>(
  stores: Pick<ReadinessStores, 'evidence' | 'approvals'>,
  gate: Gate | undefined,
  facts: Array<{
    entityRef: string;
    release: string;
    type: string;
    runId: string;
    postedBy: string;
  }>,
  record: () => Promise<T>,
  unchanged?: (gate: Gate) => void,
): Promise<T> {
  const types = new Set(facts.map(f => f.type));
  const items =
    gate?.state === 'in-progress' && gate.votes.some(v => !v.supersededAt)
      ? gate.items
          .filter(isAutomatedItem)
          .filter(i => i.required && types.has(i.automated.evidenceType))
      : [];
  if (!gate || !items.length || !facts.length) {
    const result = await record();
    if (gate) unchanged?.(gate);
    return result;
  }
  const { entityRef, release } = facts[0];
  const outcomes = async (now: Date) => {
    const evidence = await stores.evidence.listNewestEvidence({
      entityRef,
      release,
    });
    return items.map(
      i => evaluateAutomatedItem(i, gate, evidence, now).outcome,
    );
  };
  const now = new Date();
  const before = await outcomes(now);
  const result = await record();
  const after = await outcomes(now);
  const changed = items
    .map((item, n) => ({ item, was: before[n], is: after[n] }))
    .filter(c => evidenceChangeIsMaterial(c.was, c.is));
  if (changed.length) {
    const what =
      facts.length === 1
        ? `${facts[0].type} evidence of run ${facts[0].runId}`
        : `${[...types].join(', ')} evidence of runs ${facts
            .slice(0, 5)
            .map(f => f.runId)
            .join(', ')}${
            facts.length > 5 ? ` and ${facts.length - 5} more` : ''
          }`;
    await stores.approvals.markVotesStale({
      gateId: gate.id,
      actor: facts[0].postedBy,
      because: `${what} changed ${changed
        .map(c => `${c.item.title} (${c.was} to ${c.is})`)
        .join(', ')}`,
    });
  } else {
    unchanged?.(gate);
  }
  return result;
}
