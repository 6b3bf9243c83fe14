/*
 * Every change to a gate, as one command each: what the request may ask,
 * checked against the gate *inside* the entity's transaction (the store reads
 * the gate row locked — FOR UPDATE on PostgreSQL, the write lock on SQLite —
 * and refuses an edit on a closed gate), then written, re-evaluated and
 * summarised before the transaction commits (EntityChanges). The checks made
 * here on the gate read before the transaction are a first, friendlier
 * answer; the one that counts is made again where the write happens.
 *
 * The caller (a route) has already checked the permission; a command gets
 * the gate it was checked on, and who acts.
 */
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  carryOverRisk,
  ChecklistItemDefinition,
  DECISION_STATES,
  Gate,
  gateClosedReason,
  GATE_TRANSITIONS,
  GateTemplate,
  GateTransition,
  GateWithEvaluation,
  ineligibleVoterMessage,
  isEligibleVoter,
  ItemUpdate,
  OpenGateRequest,
  parseRule,
  RiskUpdate,
  selectTemplate,
  SignoffVote,
  VoteRequest,
} from '@release-readiness/plugin-common';
import { Duration } from 'luxon';
import { CatalogRefs } from '../catalog/CatalogRefs';
import { GateHead, ReadinessStores, ServiceItem } from '../database';
import { EntityChanges } from './EntityChanges';
import {
  checkItemGovernance,
  chooseTemplate,
  requireNotSelfApproval,
  requireOneRole,
  staleVotesOnRiskChange,
} from './governance';
import { GateAccess, KnownEntity } from './GateAccess';
import { GateEvaluator } from './GateEvaluator';
import { openingManifest } from './manifest';
import { openingFacilitator } from './facilitator';
import type { PeopleDirectory } from '../notifications/people';
import { releaseGate } from './releaseGate';
import { requestTimestamp } from './timestamps';

/**
 * The largest item version an edit may name: item versions are 32-bit
 * integer columns, and an edit stores the version plus one.
 */
export const MAX_ITEM_VERSION = 2 ** 31 - 2;

/** The signed-in user a command acts for, with their ownership refs. */
export interface Actor {
  userEntityRef: string;
  /** The user and their catalog groups, lower case (GateAccess.claimsOf). */
  claims: string[];
}

/**
 * A first answer for a gate read before the write: the store checks again
 * inside the transaction that writes, which is the check that counts.
 */
export function requireEditable(gate: Pick<Gate, 'state' | 'release'>) {
  const closed = gateClosedReason(gate);
  if (closed) {
    throw new ConflictError(closed);
  }
}

/**
 * An acceptance of the residual risk or an approval of the communication
 * plan is recorded only when the body names what it is given for: this gate
 * and the risk version seen (`consent`), so that a form filled for one gate
 * records nothing on another. Returns the risk version consented to, which
 * the store checks against the current one inside the transaction.
 */
export function requireConsent(
  gate: Pick<Gate, 'id' | 'release'>,
  request: Pick<RiskUpdate, 'acceptResidualRisk' | 'communication' | 'consent'>,
): number | undefined {
  const given = [
    ...(request.acceptResidualRisk === true
      ? ['accepting the residual risk']
      : []),
    ...(request.communication?.approve === true
      ? ['approving the communication plan']
      : []),
  ].join(' and ');
  if (!given) {
    return undefined;
  }
  const { consent } = request;
  if (!consent) {
    throw new InputError(
      `consent: ${given} needs a consent naming this gate and the risk assessment version it was given on ({ "gateId": "${gate.id}", "riskVersion": … })`,
    );
  }
  if (consent.gateId !== gate.id) {
    throw new ConflictError(
      `consent.gateId: the consent for ${given} names gate ${consent.gateId}, not this gate (release ${gate.release}); nothing was recorded. Reload the gate and tick the box again if you mean it`,
    );
  }
  return consent.riskVersion;
}

/** Checks what the OpenAPI schema cannot: the rule and the duration. */
export function validateItemDefinition(item: ChecklistItemDefinition) {
  if (item.automated) {
    try {
      parseRule(item.automated.rule);
    } catch (error) {
      throw new InputError(`automated.rule: ${(error as Error).message}`);
    }
    if (!Duration.fromISO(item.automated.maxAge).isValid) {
      throw new InputError(
        `automated.maxAge: "${item.automated.maxAge}" is not an ISO 8601 duration such as P7D or PT12H`,
      );
    }
  }
}

/** The checklist a new gate starts with: the template's, then the service's own. */
function openingItems(template: GateTemplate, serviceItems: ServiceItem[]) {
  return [
    ...template.checklist.map(item => ({
      ...item,
      source: 'template' as const,
    })),
    ...serviceItems.map(({ createdAt: _a, createdBy: _b, ...item }) => ({
      ...item,
      source: 'service' as const,
    })),
  ];
}

/** The gate commands; see the top of this file. */
export class GateCommands {
  constructor(
    private readonly deps: {
      access: GateAccess;
      evaluator: GateEvaluator;
      changes: EntityChanges;
      stores: ReadinessStores;
      refs: CatalogRefs;
      /** Who is in a group: the facilitator's rotation among gate owners. */
      people?: PeopleDirectory;
    },
  ) {}

  /** Opens a gate for a release of the entity, from a template. */
  async openGate(
    entity: Entity,
    entityRef: string,
    request: OpenGateRequest,
    actor: string,
  ): Promise<{ gate: GateWithEvaluation; template: GateTemplate }> {
    const { access, changes, stores } = this.deps;
    // Governance: another, lower-tier or rapid template needs a reason and
    // an approval (gates/governance.ts).
    const choice = chooseTemplate(access, entity, entityRef, request);
    const chosen = choice.template;
    const serviceItems = await stores.entities.listServiceItems({ entityRef });
    const manifest = await openingManifest(
      { evaluator: this.deps.evaluator, gates: stores.gates },
      entityRef,
      chosen,
      request,
    );
    const facilitator = this.deps.people
      ? await openingFacilitator(
          { access, people: this.deps.people, gates: stores.gates },
          entityRef,
        )
      : undefined;
    const gate = await changes.changeGate(entityRef, tx =>
      tx.gates.openGate({
        entityRef,
        release: request.release.trim(),
        template: chosen,
        items: openingItems(chosen, serviceItems),
        ...(request.plannedAt
          ? { plannedAt: requestTimestamp(request.plannedAt, 'plannedAt') }
          : {}),
        requestedBy: actor,
        ...(chosen.rapid ? { rapidReason: choice.reason! } : {}),
        ...(choice.reason ? { templateReason: choice.reason } : {}),
        ...(choice.approval ? { templateApproval: choice.approval } : {}),
        ...(manifest ? { manifest } : {}),
        ...(facilitator ? { facilitator } : {}),
      }),
    );
    return { gate, template: chosen };
  }

  /** Marks, notes or waives one checklist item. */
  async updateItem(
    gate: Gate,
    itemId: string,
    update: ItemUpdate,
    actor: string,
  ): Promise<GateWithEvaluation> {
    requireEditable(gate);
    const item = gate.items.find(i => i.id === itemId);
    if (!item) {
      throw new NotFoundError(`The gate has no checklist item ${itemId}`);
    }
    const { status, note, waiver, version } = update;
    if (version > MAX_ITEM_VERSION) {
      // No item gets there; on PostgreSQL the comparison with an integer
      // column would fail (out of range), a 500 instead of this 400.
      throw new InputError(
        `version: ${version} is beyond any version an item can have (at most ${MAX_ITEM_VERSION})`,
      );
    }
    if (item.automated && !['pending', 'waived'].includes(status)) {
      throw new InputError(
        `status: ${item.title} is automated; it passes or fails from ${item.automated.evidenceType} evidence only, and a person may only waive it`,
      );
    }
    let expiresAt: string | undefined;
    if (status === 'waived') {
      if (!waiver) {
        throw new InputError(
          'waiver: a waived item needs a justification and an expiry',
        );
      }
      expiresAt = requestTimestamp(waiver.expiresAt, 'waiver.expiresAt');
      if (new Date(expiresAt).getTime() <= Date.now()) {
        throw new InputError(
          'waiver.expiresAt: the expiry must be in the future',
        );
      }
    } else if (waiver) {
      throw new InputError('waiver: only a waived item takes a waiver');
    }
    const approval = await checkItemGovernance(
      this.deps.stores,
      gate,
      item,
      update,
      expiresAt,
      new Date(),
    );
    return this.deps.changes.changeGate(gate.entityRef, stores =>
      stores.gates.updateItem({
        gateId: gate.id,
        itemId: item.id,
        version,
        actor,
        patch: {
          status,
          ...(note ? { note } : {}),
          ...(waiver
            ? {
                waiver: {
                  justification: waiver.justification.trim(),
                  expiresAt: expiresAt!,
                  by: actor,
                  at: new Date().toISOString(),
                  ...(approval ? { approval } : {}),
                },
              }
            : {}),
        },
      }),
    );
  }

  /**
   * Records the actor's vote in one of the template's sign-off roles, if
   * they may vote in it. Returns the gate, the vote as stored and the gate
   * owners (whom a Not-ready vote is told to).
   */
  async vote(
    gate: GateHead,
    request: VoteRequest,
    actor: Actor,
    known?: KnownEntity,
  ): Promise<{
    gate: GateWithEvaluation;
    vote?: SignoffVote;
    ownerRefs: string[];
  }> {
    const { access, changes, stores } = this.deps;
    requireEditable(gate);
    const template = await stores.gates.getGateTemplate({ gateId: gate.id });
    const role = template!.signoffs.roles.find(r => r.id === request.role);
    if (!role) {
      throw new InputError(
        `role: the gate's template has no sign-off role ${
          request.role
        }; its roles are ${template!.signoffs.roles.map(r => r.id).join(', ')}`,
      );
    }
    const voter = actor.userEntityRef.toLocaleLowerCase('en-US');
    const resource = await access.gateResource(gate.entityRef, known);
    const identity = {
      userEntityRef: voter,
      ownershipEntityRefs: actor.claims,
    };
    if (!isEligibleVoter(role, identity, resource.ownerRefs)) {
      throw new NotAllowedError(
        `You may not sign off as ${role.title}. ${ineligibleVoterMessage(
          role,
          resource.ownerRefs,
        )}`,
      );
    }
    const updated = await changes.changeGate(gate.entityRef, async tx => {
      const locked = await requireOneRole(tx, gate.id, voter, role);
      return tx.gates.addVote({
        ...(locked ? { gate: locked } : {}),
        gateId: gate.id,
        role: role.id,
        voter,
        voterClaims: actor.claims,
        verdict: request.verdict,
        ...(request.comment ? { comment: request.comment } : {}),
      });
    });
    const vote = updated.votes.find(
      v => v.voter === voter && v.role === role.id && !v.supersededAt,
    );
    return {
      gate: updated,
      ...(vote ? { vote } : {}),
      ownerRefs: resource.ownerRefs,
    };
  }

  /** Replaces the risk assessment, carrying over what was verified. */
  async putRisk(
    gate: Gate,
    request: RiskUpdate,
    actor: string,
  ): Promise<GateWithEvaluation> {
    requireEditable(gate);
    const { version, consent, ...change } = request;
    const consentVersion = requireConsent(gate, request);
    if (change.communication?.scheduledAt) {
      change.communication = {
        ...change.communication,
        scheduledAt: requestTimestamp(
          change.communication.scheduledAt,
          'communication.scheduledAt',
        ),
      };
    }
    const risk = carryOverRisk(
      change,
      gate.risk,
      actor,
      new Date().toISOString(),
    );
    return this.deps.changes.changeGate(gate.entityRef, async stores => {
      // Read locked: the store writes on it instead of reading it again.
      const locked = await stores.gates.getGate({
        gateId: gate.id,
        lock: true,
      });
      const before = locked?.risk;
      const updated = await stores.gates.putRisk({
        ...(locked ? { gate: locked } : {}),
        gateId: gate.id,
        version,
        risk,
        actor,
        ...(consentVersion !== undefined ? { consentVersion } : {}),
      });
      return staleVotesOnRiskChange(stores, before, updated, actor);
    });
  }

  /**
   * Records GO or NO-GO. The gate is evaluated inside the transaction that
   * records the decision: an edit, a vote or evidence committed a moment ago
   * counts, and none can land between the evaluation and the decision.
   */
  async decide(
    gate: Gate,
    verdict: 'go' | 'no-go',
    reason: string | undefined,
    actor: string,
  ): Promise<GateWithEvaluation> {
    const { changes, evaluator } = this.deps;
    if (!DECISION_STATES.includes(gate.state)) {
      throw new ConflictError(
        `The gate is ${gate.state}; a decision is taken on a gate in progress${
          gate.state === 'no-go' ? ' (reopen it first)' : ''
        }`,
      );
    }
    if (!reason) {
      throw new InputError(
        `reason: a ${verdict.toUpperCase()} decision needs a reason`,
      );
    }
    if (verdict === 'go') {
      await requireNotSelfApproval(this.deps.stores, gate, actor, 'GO');
    }
    return changes.changeGate(gate.entityRef, async (stores, context) => {
      const current = await stores.gates.getGate({ gateId: gate.id });
      if (!current || !DECISION_STATES.includes(current.state)) {
        throw new ConflictError(
          `The gate is ${
            current?.state ?? 'gone'
          }; a decision is taken on a gate in progress`,
        );
      }
      const evaluation = await evaluator.evaluate(
        current,
        new Date(),
        context.parts ? { parts: context.parts } : {},
        stores,
      );
      if (verdict === 'go' && !evaluation.ready) {
        throw new ConflictError(
          `GO is not possible yet: ${evaluation.blockers
            .map(b => b.message)
            .join('; ')}`,
        );
      }
      return stores.gates.transition({
        gateId: gate.id,
        from: [...DECISION_STATES],
        to: verdict,
        actor,
        expectedVersion: current.version,
        decision: {
          verdict,
          reason,
          stateHash: GateEvaluator.stateHash(current, evaluation),
          blockers: evaluation.blockers.length,
        },
      });
    });
  }

  /**
   * Moves the gate: reopen, release, rollback or cancel. A release checks
   * that its GO still holds (see releaseGate.ts).
   */
  async transition(
    gate: Gate,
    transition: GateTransition,
    reason: string | undefined,
    actor: string,
    options: { override?: boolean } = {},
  ): Promise<GateWithEvaluation> {
    const move = GATE_TRANSITIONS[transition];
    if (options.override && transition !== 'release') {
      throw new InputError(
        `override: only a release overrides a GO that no longer holds, not ${transition}`,
      );
    }
    if (options.override && !reason) {
      throw new InputError(
        'reason: releasing a GO that no longer holds needs a reason, which is kept in the audit trail',
      );
    }
    if (transition !== 'release' && !reason) {
      throw new InputError(`reason: ${transition} needs a reason`);
    }
    if (transition === 'release') {
      return releaseGate(this.deps, gate, reason, actor, options);
    }
    return this.deps.changes.changeGate(gate.entityRef, stores =>
      stores.gates.transition({
        gateId: gate.id,
        from: [...move.from],
        to: move.to,
        actor,
        ...(reason ? { reason } : {}),
      }),
    );
  }

  /**
   * Replaces the entity's assigned gate owners; returns all its gate owners.
   * Who may vote as a gate owner changes with them, and so can the current
   * gate's evaluation: not while a GO waits for its release, which was
   * decided with the votes of the owners as they were.
   */
  async setOwners(
    entityRef: string,
    owners: string[],
    actor: string,
  ): Promise<{ gateOwners: string[]; assigned: string[] }> {
    const { access, changes } = this.deps;
    const assigned = owners.map(ref =>
      stringifyEntityRef(parseEntityRef(ref)).toLocaleLowerCase('en-US'),
    );
    // A ref to nobody would be kept quietly and match no one.
    await this.deps.refs.requireUsersOrGroups(assigned, 'owners');
    const { result: gateOwners } = await changes.changeEntity(
      entityRef,
      async stores => {
        const current = await stores.entities.getCurrentGateRef({ entityRef });
        const gate = current
          ? await stores.gates.getGate({ gateId: current.gateId })
          : undefined;
        if (gate?.state === 'go') {
          throw new ConflictError(
            `The gate for release ${gate.release} is GO; its gate owners cannot change until it is released or cancelled`,
          );
        }
        await stores.entities.setAssignments({
          entityRef,
          ownerRefs: assigned,
          actor,
        });
        // Read in the transaction: once it commits, nothing is left to fail.
        return (await access.gateResource(entityRef, undefined, stores))
          .ownerRefs;
      },
    );
    return { gateOwners, assigned };
  }

  /** Adds a checklist item of the service's own, for its gates from now on. */
  async addServiceItem(
    entity: Entity,
    entityRef: string,
    item: ChecklistItemDefinition,
    actor: string,
  ): Promise<ServiceItem> {
    validateItemDefinition(item);
    const { template } = selectTemplate(entity, this.deps.access.templates);
    if (template?.checklist.some(t => t.id === item.id)) {
      throw new ConflictError(
        `id: the template ${template.name} already has a checklist item ${item.id}`,
      );
    }
    return this.deps.stores.entities.addServiceItem({ entityRef, item, actor });
  }
}
